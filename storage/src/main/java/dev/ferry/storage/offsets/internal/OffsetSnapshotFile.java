package dev.ferry.storage.offsets.internal;

import dev.ferry.storage.AtomicFiles;
import dev.ferry.storage.TopicPartition;
import dev.ferry.storage.offsets.CommittedOffset;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * Writes and reads one snapshot file in the {@link OffsetSnapshotDescriptor} format. Writing replaces the file so
 * that a crash leaves either the old or the new snapshot: temporary sibling, fsync, rename, fsync of the directory.
 * Reading rejects a file whose checksum, magic, version or structure is wrong rather than loading part of it.
 */
final class OffsetSnapshotFile {

    /** Room reserved per partition and per group for names and fixed fields when sizing the buffer. */
    private static final int ESTIMATED_ENTRY_LENGTH = 64;

    private OffsetSnapshotFile() {
    }

    /** A snapshot read back: the table and the last journal index it includes. */
    record Loaded(OffsetTable table, long journalIndex) {
    }

    /**
     * Writes {@code table} as of {@code journalIndex} to {@code target}, in the current version.
     *
     * @throws IOException when the file cannot be written, or the table is estimated to exceed the longest snapshot
     */
    static void write(final Path target, final long journalIndex, final OffsetTable table) throws IOException {
        final long estimate = ESTIMATED_ENTRY_LENGTH * (1L + table.partitionCount() + table.all().size()
                + table.states().size()) + table.stateBytes();
        if (estimate > OffsetSnapshotDescriptor.MAX_LENGTH) {
            throw new IOException("offsets and group states of about " + estimate + " bytes exceed the longest "
                    + "snapshot, " + OffsetSnapshotDescriptor.MAX_LENGTH + " bytes");
        }
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) estimate);
        final CheckedOutputStream checked = new CheckedOutputStream(bytes, new CRC32());
        final DataOutputStream out = new DataOutputStream(checked);
        out.writeInt(OffsetSnapshotDescriptor.MAGIC);
        out.writeInt(OffsetSnapshotDescriptor.VERSION);
        out.writeLong(journalIndex);
        out.writeInt(table.all().size());
        for (Map.Entry<String, Map<TopicPartition, CommittedOffset>> group : table.all().entrySet()) {
            writeString(out, group.getKey());
            out.writeInt(group.getValue().size());
            for (Map.Entry<TopicPartition, CommittedOffset> entry : group.getValue().entrySet()) {
                final CommittedOffset offset = entry.getValue();
                writeString(out, entry.getKey().topic());
                out.writeInt(entry.getKey().partition());
                out.writeLong(offset.offset());
                out.writeInt(offset.leaderEpoch());
                writeString(out, offset.metadata());
                out.writeLong(offset.commitTimestampMs());
            }
        }
        out.writeInt(table.states().size());
        for (Map.Entry<String, byte[]> state : table.states().entrySet()) {
            writeString(out, state.getKey());
            out.writeInt(state.getValue().length);
            out.write(state.getValue());
        }
        out.writeInt((int) checked.getChecksum().getValue());
        out.flush();
        AtomicFiles.write(target, bytes.toByteArray());
    }

    /**
     * Reads the snapshot at {@code path}, of the current version or of {@link
     * OffsetSnapshotDescriptor#VERSION_WITHOUT_STATES}.
     *
     * @return the snapshot, or empty when the file is absent or not a complete, valid snapshot
     * @throws IOException when the file exists but cannot be read
     */
    static Optional<Loaded> read(final Path path) throws IOException {
        final byte[] content;
        try {
            content = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (content.length < OffsetSnapshotDescriptor.HEADER_LENGTH + OffsetSnapshotDescriptor.TRAILER_LENGTH) {
            return Optional.empty();
        }
        final int bodyLength = content.length - OffsetSnapshotDescriptor.TRAILER_LENGTH;
        final CRC32 crc = new CRC32();
        crc.update(content, 0, bodyLength);
        final ByteBuffer buffer = ByteBuffer.wrap(content, 0, bodyLength);
        if ((int) crc.getValue() != ByteBuffer.wrap(content, bodyLength, 4).getInt()
                || buffer.getInt() != OffsetSnapshotDescriptor.MAGIC) {
            return Optional.empty();
        }
        final int version = buffer.getInt();
        if (version != OffsetSnapshotDescriptor.VERSION && version != OffsetSnapshotDescriptor.VERSION_WITHOUT_STATES) {
            return Optional.empty();
        }
        try {
            final long journalIndex = buffer.getLong();
            final OffsetTable table = new OffsetTable();
            final int groupCount = buffer.getInt();
            for (int g = 0; g < groupCount; g++) {
                final String group = readString(buffer);
                final int count = buffer.getInt();
                for (int i = 0; i < count; i++) {
                    final TopicPartition partition = new TopicPartition(readString(buffer), buffer.getInt());
                    table.put(group, partition, new CommittedOffset(buffer.getLong(), buffer.getInt(),
                            readString(buffer), buffer.getLong()));
                }
            }
            if (version != OffsetSnapshotDescriptor.VERSION_WITHOUT_STATES) {
                final int stateCount = buffer.getInt();
                for (int s = 0; s < stateCount; s++) {
                    final String group = readString(buffer);
                    final byte[] state = new byte[checkedLength(buffer)];
                    buffer.get(state);
                    table.putState(group, state);
                }
            }
            return buffer.hasRemaining() ? Optional.empty() : Optional.of(new Loaded(table, journalIndex));
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static void writeString(final DataOutputStream out, final String value) throws IOException {
        final byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(final ByteBuffer buffer) {
        final int length = checkedLength(buffer);
        final String value = new String(buffer.array(), buffer.arrayOffset() + buffer.position(), length,
                StandardCharsets.UTF_8);
        buffer.position(buffer.position() + length);
        return value;
    }

    /** Reads a length and checks it against the bytes left, so a damaged one cannot make us allocate wildly. */
    private static int checkedLength(final ByteBuffer buffer) {
        final int length = buffer.getInt();
        if (length < 0 || length > buffer.remaining()) {
            throw new IllegalArgumentException("length " + length + " exceeds the snapshot");
        }
        return length;
    }
}
