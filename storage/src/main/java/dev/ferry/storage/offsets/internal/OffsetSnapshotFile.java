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

/**
 * Writes and reads one snapshot file in the {@link OffsetSnapshotDescriptor} format. Writing replaces the file so
 * that a crash leaves either the old or the new snapshot: temporary sibling, fsync, rename, fsync of the directory.
 * Reading rejects a file whose checksum, magic, version or structure is wrong rather than loading part of it.
 */
final class OffsetSnapshotFile {


    private OffsetSnapshotFile() {
    }

    /** A snapshot read back: the table and the last journal index it includes. */
    record Loaded(OffsetTable table, long journalIndex) {
    }

    static void write(final Path target, final long journalIndex, final OffsetTable table) throws IOException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + table.partitionCount() * 64);
        final DataOutputStream out = new DataOutputStream(bytes);
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
        final CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeInt((int) crc.getValue());
        out.flush();
        AtomicFiles.write(target, bytes.toByteArray());
    }

    /**
     * Reads the snapshot at {@code path}.
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
                || buffer.getInt() != OffsetSnapshotDescriptor.MAGIC
                || buffer.getInt() != OffsetSnapshotDescriptor.VERSION) {
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
        final int length = buffer.getInt();
        if (length < 0 || length > buffer.remaining()) {
            throw new IllegalArgumentException("string length " + length + " exceeds the snapshot");
        }
        final String value = new String(buffer.array(), buffer.arrayOffset() + buffer.position(), length,
                StandardCharsets.UTF_8);
        buffer.position(buffer.position() + length);
        return value;
    }
}
