package dev.ferry.storage.internal;

import static dev.ferry.storage.internal.BatchHeaderDescriptor.HEADER_LENGTH;

import dev.ferry.storage.TimestampOffset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Finds records by timestamp inside one batch, for ListOffsets. Uncompressed batches are walked record by record
 * (each record: varint length, int8 attributes, varlong timestamp delta, varint offset delta, ...). Under
 * LogAppendTime every record carries the batch's max timestamp, so no walk is needed. Compressed batches are not
 * decoded by storage: they answer at batch granularity (the batch's max timestamp and its first offset at or after
 * the requested one), which can point a consumer a few records early but never past a match.
 *
 * <p><b>Not thread-safe:</b> one instance per search; it reads through the caller's thread's {@link FileBatchReader}.
 */
final class RecordScanner {

    private final ByteBuffer batch;
    private int cursor = HEADER_LENGTH;

    private RecordScanner(final ByteBuffer batch) {
        this.batch = batch;
    }

    /**
     * The first record of the batch at {@code position} (whose header the reader holds) with an offset at or after
     * {@code minOffset} and a timestamp at or after {@code timestamp}, or null.
     */
    static TimestampOffset firstAtOrAfter(final FileBatchReader reader, final FileChannel channel,
                                          final long position, final long timestamp, final long minOffset)
            throws IOException {
        final BatchHeaderFlyweight header = reader.header();
        final long baseOffset = header.baseOffset();
        if (header.isLogAppendTime() || header.isCompressed()) {
            return new TimestampOffset(header.maxTimestamp(), Math.max(baseOffset, minOffset));
        }
        final long baseTimestamp = header.baseTimestamp();
        final int count = header.recordCount();
        final RecordScanner scanner = new RecordScanner(reader.readBatch(channel, position));
        for (int i = 0; i < count && scanner.hasMore(); i++) {
            final int end = scanner.recordEnd();
            scanner.skipAttributes();
            final long recordTimestamp = baseTimestamp + scanner.readVarlong();
            final long recordOffset = baseOffset + scanner.readVarint();
            if (recordTimestamp >= timestamp && recordOffset >= minOffset) {
                return new TimestampOffset(recordTimestamp, recordOffset);
            }
            scanner.cursor = end;
        }
        return null;
    }

    /** The offset of the first record of the batch at {@code position} carrying {@code timestamp}. */
    static long offsetOfTimestamp(final FileBatchReader reader, final FileChannel channel, final long position,
                                  final long timestamp) throws IOException {
        final BatchHeaderFlyweight header = reader.header();
        final long baseOffset = header.baseOffset();
        if (header.isLogAppendTime() || header.isCompressed()) {
            return baseOffset;
        }
        final long baseTimestamp = header.baseTimestamp();
        final int count = header.recordCount();
        final RecordScanner scanner = new RecordScanner(reader.readBatch(channel, position));
        for (int i = 0; i < count && scanner.hasMore(); i++) {
            final int end = scanner.recordEnd();
            scanner.skipAttributes();
            final long recordTimestamp = baseTimestamp + scanner.readVarlong();
            final long recordOffset = baseOffset + scanner.readVarint();
            if (recordTimestamp == timestamp) {
                return recordOffset;
            }
            scanner.cursor = end;
        }
        return baseOffset;
    }

    private boolean hasMore() {
        return cursor < batch.limit();
    }

    /** Reads a record's length prefix and returns where the record ends. */
    private int recordEnd() throws IOException {
        final int length = readVarint();
        final long end = (long) cursor + length;
        if (length < 0 || end > batch.limit()) {
            throw new IOException("malformed record length " + length + " at batch position " + cursor);
        }
        return (int) end;
    }

    private void skipAttributes() {
        cursor++;
    }

    private int readVarint() throws IOException {
        final long raw = readUnsigned(5);
        return (int) ((raw >>> 1) ^ -(raw & 1));
    }

    private long readVarlong() throws IOException {
        final long raw = readUnsigned(10);
        return (raw >>> 1) ^ -(raw & 1);
    }

    private long readUnsigned(final int maxBytes) throws IOException {
        long value = 0;
        for (int i = 0; i < maxBytes; i++) {
            if (cursor >= batch.limit()) {
                throw new IOException("record truncated at batch position " + cursor);
            }
            final byte b = batch.get(cursor++);
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("varint longer than " + maxBytes + " bytes at batch position " + cursor);
    }
}
