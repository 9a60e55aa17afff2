package dev.ferry.protocol.record;

import static dev.ferry.protocol.record.RecordBatchDescriptor.COMPRESSION_NONE;
import static dev.ferry.protocol.record.RecordBatchDescriptor.MAGIC_V2;
import static dev.ferry.protocol.record.RecordBatchDescriptor.RECORDS_OFFSET;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Reads the records of a v2 batch one by one, copying keys, values and headers into {@link Record}s: in place for an
 * uncompressed batch, or from a compressed batch's records section once decompressed (see
 * {@link dev.ferry.protocol.record.compression.BatchRecords}). Meant for tests, tools and rare lookups, not for the
 * broker's hot paths: it allocates per record.
 * <p>
 * Captures the batch header when created, so the flyweight it was given may be re-wrapped afterwards; the buffer the
 * records are read from must stay alive and unchanged while reading. Malformed records raise
 * {@link IllegalArgumentException} rather than yielding garbage. Not thread-safe.
 */
public final class RecordReader implements Iterator<Record> {
    private final ByteBufCursor cursor = new ByteBufCursor();
    private final int batchEnd;
    private final int count;
    private final long baseOffset;
    private final long baseTimestamp;
    private final boolean logAppendTime;
    private final long maxTimestamp;
    private int read;

    /**
     * Starts reading an uncompressed batch in place.
     *
     * @param batch a flyweight over an uncompressed v2 batch lying within its buffer's readable bytes
     * @throws IllegalArgumentException if the batch is not v2, is compressed, or does not fit its buffer
     */
    public RecordReader(RecordBatch batch) {
        this(batch, batch.buffer(), batch.offset() + RECORDS_OFFSET, uncompressedBatchEnd(batch));
    }

    /**
     * Starts reading a batch's records from a separate buffer, such as the decompressed records section of a
     * compressed batch. Offsets and timestamps are resolved against the header of {@code batch}, whose records
     * section itself is not read.
     *
     * @param batch   a flyweight over the v2 batch the records belong to; only its header is read
     * @param records the batch's records, one after the other, as the buffer's readable bytes; not retained, and its
     *                indexes do not move
     * @throws IllegalArgumentException if the batch is not v2
     */
    public RecordReader(RecordBatch batch, ByteBuf records) {
        this(batch, records, records.readerIndex(), records.writerIndex());
    }

    private RecordReader(RecordBatch batch, ByteBuf records, int start, int end) {
        checkMagic(batch);
        this.batchEnd = end;
        this.count = batch.recordCount();
        this.baseOffset = batch.baseOffset();
        this.baseTimestamp = batch.baseTimestamp();
        this.logAppendTime = batch.timestampType() == TimestampType.LOG_APPEND_TIME;
        this.maxTimestamp = batch.maxTimestamp();
        cursor.reset(records, start, end);
    }

    private static void checkMagic(RecordBatch batch) {
        if (batch.magic() != MAGIC_V2) {
            throw new IllegalArgumentException("Cannot read records of a batch with magic v" + batch.magic());
        }
    }

    /** Checks that an uncompressed batch can be read in place and returns the index just past it. */
    private static int uncompressedBatchEnd(RecordBatch batch) {
        checkMagic(batch);
        if (batch.compressionId() != COMPRESSION_NONE) {
            throw new IllegalArgumentException("Cannot read records of a batch compressed with codec id "
                    + batch.compressionId());
        }
        final ByteBuf buffer = batch.buffer();
        final long end = (long) batch.offset() + batch.sizeInBytes();
        if (batch.sizeInBytes() < RECORDS_OFFSET || end > buffer.writerIndex()) {
            throw new IllegalArgumentException("Batch of " + batch.sizeInBytes() + " bytes at index " + batch.offset()
                    + " does not fit a buffer of " + buffer.writerIndex() + " bytes");
        }
        return (int) end;
    }

    /**
     * Reads every record of a batch.
     *
     * @param batch a flyweight over an uncompressed v2 batch
     * @return the records in offset order
     * @throws IllegalArgumentException if the batch cannot be read or a record is malformed
     */
    public static List<Record> readAll(RecordBatch batch) {
        final List<Record> records = new ArrayList<>();
        new RecordReader(batch).forEachRemaining(records::add);
        return records;
    }

    @Override
    public boolean hasNext() {
        return read < count;
    }

    @Override
    public Record next() {
        if (!hasNext()) {
            throw new NoSuchElementException("All " + count + " records have been read");
        }
        cursor.limit(batchEnd);
        final int length = cursor.readVarint();
        if (cursor.overrun() || length < 0 || length > cursor.remaining()) {
            throw malformed("its length runs past the end of the batch");
        }
        final int recordEnd = cursor.position() + length;
        cursor.limit(recordEnd);
        cursor.readByte();
        final long timestampDelta = cursor.readVarlong();
        final int offsetDelta = cursor.readVarint();
        final byte[] key = readNullableBytes();
        final byte[] value = readNullableBytes();
        final int headerCount = cursor.readVarint();
        if (headerCount < 0 || headerCount > cursor.remaining()) {
            throw malformed("it declares " + headerCount + " headers");
        }
        final List<Header> headers = new ArrayList<>(headerCount);
        for (int i = 0; i < headerCount; i++) {
            final int keyLength = cursor.readVarint();
            if (keyLength < 0) {
                throw malformed("a header has a null key");
            }
            final String headerKey = new String(cursor.readBytes(keyLength), StandardCharsets.UTF_8);
            headers.add(new Header(headerKey, readNullableBytes()));
        }
        if (cursor.overrun() || cursor.position() != recordEnd) {
            throw malformed("its content does not match its length of " + length + " bytes");
        }
        if (read + 1 == count && cursor.position() != batchEnd) {
            throw malformed("bytes follow it, but the batch declares it the last record");
        }
        read++;
        final long timestamp = logAppendTime ? maxTimestamp : baseTimestamp + timestampDelta;
        return new Record(baseOffset + offsetDelta, offsetDelta, timestamp, timestampDelta, key, value, headers);
    }

    private byte[] readNullableBytes() {
        final int length = cursor.readVarint();
        return length < 0 ? null : cursor.readBytes(length);
    }

    private IllegalArgumentException malformed(String reason) {
        return new IllegalArgumentException("Record " + read + " of the batch is malformed: " + reason);
    }
}
