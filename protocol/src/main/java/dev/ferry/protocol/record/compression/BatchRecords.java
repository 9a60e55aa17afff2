package dev.ferry.protocol.record.compression;

import static dev.ferry.protocol.record.RecordBatchDescriptor.COMPRESSION_NONE;

import dev.ferry.protocol.record.Record;
import dev.ferry.protocol.record.RecordBatch;
import dev.ferry.protocol.record.RecordReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The records of any v2 batch, read one by one: in place when the batch is uncompressed, from its decompressed
 * records section otherwise. Offsets and timestamps are resolved as {@link RecordReader} does, log append time
 * included.
 * <p>
 * Owns the decompressed records until {@link #close() closed}; the batch's own buffer must stay alive and unchanged
 * while an uncompressed batch is read. Not thread-safe.
 */
public final class BatchRecords implements Iterator<Record>, AutoCloseable {
    private final ByteBuf decompressed;
    private final RecordReader reader;
    private boolean closed;

    private BatchRecords(ByteBuf decompressed, RecordReader reader) {
        this.decompressed = decompressed;
        this.reader = reader;
    }

    /**
     * Starts reading a batch, decompressing its records first if need be, up to
     * {@link RecordBatchDecompressor#DEFAULT_MAX_RECORDS_BYTES}.
     *
     * @param batch     a flyweight over a v2 batch lying within its buffer's readable bytes
     * @param allocator where the decompressed records' buffer comes from
     * @return the records; close them to release the decompressed buffer
     * @throws IllegalArgumentException if the batch cannot be read
     * @throws DecompressionException   if its records cannot be decompressed
     */
    public static BatchRecords open(RecordBatch batch, ByteBufAllocator allocator) {
        if (batch.compressionId() == COMPRESSION_NONE) {
            return new BatchRecords(null, new RecordReader(batch));
        }
        final ByteBuf records = RecordBatchDecompressor.decompressedRecords(batch, allocator);
        try {
            return new BatchRecords(records, new RecordReader(batch, records));
        } catch (RuntimeException e) {
            records.release();
            throw e;
        }
    }

    /**
     * Reads every record of a batch, compressed or not.
     *
     * @param batch a flyweight over a v2 batch lying within its buffer's readable bytes
     * @return the records in offset order
     * @throws IllegalArgumentException if the batch cannot be read or a record is malformed
     */
    public static List<Record> readAll(RecordBatch batch) {
        final List<Record> records = new ArrayList<>();
        try (BatchRecords reader = open(batch, UnpooledByteBufAllocator.DEFAULT)) {
            reader.forEachRemaining(records::add);
        }
        return records;
    }

    @Override
    public boolean hasNext() {
        return reader.hasNext();
    }

    /**
     * Reads the next record.
     *
     * @throws IllegalArgumentException if the record is malformed
     * @throws java.util.NoSuchElementException if every record has been read
     */
    @Override
    public Record next() {
        return reader.next();
    }

    /** Releases the decompressed records, once; the records already read stay valid. */
    @Override
    public void close() {
        if (!closed && decompressed != null) {
            decompressed.release();
        }
        closed = true;
    }
}
