package dev.ferry.storage.internal;

import static dev.ferry.storage.internal.ProducerSnapshotDescriptor.BATCH_COUNT_OFFSET;
import static dev.ferry.storage.internal.ProducerSnapshotDescriptor.CRC_COVERED_FROM;
import static dev.ferry.storage.internal.ProducerSnapshotDescriptor.CRC_OFFSET;
import static dev.ferry.storage.internal.ProducerSnapshotDescriptor.FIRST_OFFSET_OFFSET;
import static dev.ferry.storage.internal.ProducerSnapshotDescriptor.FIRST_SEQUENCE_OFFSET;
import static dev.ferry.storage.internal.ProducerSnapshotDescriptor.HEADER_LENGTH;
import static dev.ferry.storage.internal.ProducerSnapshotDescriptor.LAST_APPEND_TIME_OFFSET;
import static dev.ferry.storage.internal.ProducerSnapshotDescriptor.LAST_OFFSET_OFFSET;
import static dev.ferry.storage.internal.ProducerSnapshotDescriptor.LAST_SEQUENCE_OFFSET;
import static dev.ferry.storage.internal.ProducerSnapshotDescriptor.MAGIC;
import static dev.ferry.storage.internal.ProducerSnapshotDescriptor.MAGIC_OFFSET;
import static dev.ferry.storage.internal.ProducerSnapshotDescriptor.MAX_TIMESTAMP_OFFSET;
import static dev.ferry.storage.internal.ProducerSnapshotDescriptor.PRODUCER_COUNT_OFFSET;
import static dev.ferry.storage.internal.ProducerSnapshotDescriptor.PRODUCER_EPOCH_OFFSET;
import static dev.ferry.storage.internal.ProducerSnapshotDescriptor.PRODUCER_ID_OFFSET;
import static dev.ferry.storage.internal.ProducerSnapshotDescriptor.SNAPSHOT_OFFSET_OFFSET;
import static dev.ferry.storage.internal.ProducerSnapshotDescriptor.VERSION;
import static dev.ferry.storage.internal.ProducerSnapshotDescriptor.VERSION_OFFSET;
import static dev.ferry.storage.internal.ProducerSnapshotDescriptor.batchOffset;
import static dev.ferry.storage.internal.ProducerSnapshotDescriptor.entryLength;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Encodes a {@link ProducerStateTable} into the {@link ProducerSnapshotDescriptor} format and reads such a file
 * back. Encoding is the only part done under the log's append lock: it is the copy of the table a snapshot needs,
 * and the file is written later, elsewhere ({@link ProducerSnapshots}).
 *
 * <p>Stateless and thread-safe.
 */
final class ProducerSnapshotFile {

    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    private ProducerSnapshotFile() {
    }

    static Path path(final Path dir, final long offset) {
        return dir.resolve(SegmentFiles.name(offset, ProducerSnapshotDescriptor.SUFFIX));
    }

    /** The offset a snapshot file name encodes, or -1 when the name is not a producer snapshot's. */
    static long offsetOf(final String fileName) {
        return SegmentFiles.baseOffset(fileName, ProducerSnapshotDescriptor.SUFFIX);
    }

    /**
     * The whole snapshot file of {@code table} as of {@code offset}.
     *
     * @throws IllegalStateException when the table is too large for one file (some 10 million producers)
     */
    static byte[] encode(final ProducerStateTable table, final long offset) {
        long length = HEADER_LENGTH;
        int producers = 0;
        for (ProducerEntry entry : table.entries()) {
            if (!entry.isEmpty()) {
                length += entryLength(entry.batchCount());
                producers++;
            }
        }
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("producer state of " + table.size() + " producers is too large to "
                    + "snapshot");
        }
        final byte[] bytes = new byte[(int) length];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        buffer.putInt(MAGIC_OFFSET, MAGIC, ORDER);
        buffer.putInt(VERSION_OFFSET, VERSION, ORDER);
        buffer.putInt(PRODUCER_COUNT_OFFSET, producers, ORDER);
        buffer.putLong(SNAPSHOT_OFFSET_OFFSET, offset, ORDER);
        int position = HEADER_LENGTH;
        for (ProducerEntry entry : table.entries()) {
            final int count = entry.batchCount();
            if (count == 0) {
                // an entry without batches has nothing to recognise a retry by
                continue;
            }
            buffer.putLong(position + PRODUCER_ID_OFFSET, entry.producerId(), ORDER);
            buffer.putLong(position + LAST_APPEND_TIME_OFFSET, entry.lastAppendMs(), ORDER);
            buffer.putShort(position + PRODUCER_EPOCH_OFFSET, entry.epoch(), ORDER);
            buffer.putShort(position + BATCH_COUNT_OFFSET, (short) count, ORDER);
            for (int i = 0; i < count; i++) {
                final int slot = entry.slot(i);
                final int at = batchOffset(position, i);
                buffer.putInt(at + FIRST_SEQUENCE_OFFSET, entry.firstSequence(slot), ORDER);
                buffer.putInt(at + LAST_SEQUENCE_OFFSET, entry.lastSequence(slot), ORDER);
                buffer.putLong(at + FIRST_OFFSET_OFFSET, entry.firstOffset(slot), ORDER);
                buffer.putLong(at + LAST_OFFSET_OFFSET, entry.lastOffset(slot), ORDER);
                buffer.putLong(at + MAX_TIMESTAMP_OFFSET, entry.timestamp(slot), ORDER);
            }
            position += entryLength(count);
        }
        buffer.putInt(CRC_OFFSET, crcOf(bytes), ORDER);
        return bytes;
    }

    /**
     * Reads the snapshot at {@code file}, which its name says is as of {@code offset}.
     *
     * @return its producers, or empty when the file is absent, or not a complete, valid snapshot as of
     * {@code offset} (wrong magic, version, checksum, length, or offset)
     * @throws IOException when the file exists but cannot be read
     */
    static Optional<List<ProducerEntry>> read(final Path file, final long offset) throws IOException {
        final byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return decode(bytes, offset);
    }

    static Optional<List<ProducerEntry>> decode(final byte[] bytes, final long offset) {
        if (bytes.length < HEADER_LENGTH) {
            return Optional.empty();
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        if (buffer.getInt(MAGIC_OFFSET, ORDER) != MAGIC || buffer.getInt(VERSION_OFFSET, ORDER) != VERSION
                || buffer.getInt(CRC_OFFSET, ORDER) != crcOf(bytes)
                || buffer.getLong(SNAPSHOT_OFFSET_OFFSET, ORDER) != offset) {
            return Optional.empty();
        }
        final int producers = buffer.getInt(PRODUCER_COUNT_OFFSET, ORDER);
        // each entry takes at least its header: a damaged count cannot make us allocate wildly
        if (producers < 0 || producers > (bytes.length - HEADER_LENGTH) / entryLength(1)) {
            return Optional.empty();
        }
        final List<ProducerEntry> entries = new ArrayList<>(producers);
        int position = HEADER_LENGTH;
        for (int p = 0; p < producers; p++) {
            if (bytes.length - position < entryLength(0)) {
                return Optional.empty();
            }
            final int count = buffer.getShort(position + BATCH_COUNT_OFFSET, ORDER);
            if (count < 1 || count > ProducerEntry.BATCHES_RETAINED || bytes.length - position < entryLength(count)) {
                return Optional.empty();
            }
            final ProducerEntry entry = new ProducerEntry(buffer.getLong(position + PRODUCER_ID_OFFSET, ORDER));
            final short epoch = buffer.getShort(position + PRODUCER_EPOCH_OFFSET, ORDER);
            for (int i = 0; i < count; i++) {
                final int at = batchOffset(position, i);
                entry.addBatch(epoch, buffer.getInt(at + FIRST_SEQUENCE_OFFSET, ORDER),
                        buffer.getInt(at + LAST_SEQUENCE_OFFSET, ORDER),
                        buffer.getLong(at + FIRST_OFFSET_OFFSET, ORDER),
                        buffer.getLong(at + LAST_OFFSET_OFFSET, ORDER),
                        buffer.getLong(at + MAX_TIMESTAMP_OFFSET, ORDER));
            }
            entry.lastAppendMs(buffer.getLong(position + LAST_APPEND_TIME_OFFSET, ORDER));
            entries.add(entry);
            position += entryLength(count);
        }
        return position == bytes.length ? Optional.of(entries) : Optional.empty();
    }

    private static int crcOf(final byte[] bytes) {
        final CRC32C crc = new CRC32C();
        crc.update(bytes, CRC_COVERED_FROM, bytes.length - CRC_COVERED_FROM);
        return (int) crc.getValue();
    }
}
