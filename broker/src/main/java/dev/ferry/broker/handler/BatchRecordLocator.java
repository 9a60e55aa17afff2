package dev.ferry.broker.handler;

import static dev.ferry.protocol.record.RecordBatchDescriptor.COMPRESSION_NONE;
import static dev.ferry.protocol.record.RecordBatchDescriptor.MAGIC_V2;
import static dev.ferry.protocol.record.RecordBatchDescriptor.RECORDS_OFFSET;

import dev.ferry.protocol.record.Record;
import dev.ferry.protocol.record.RecordBatch;
import dev.ferry.protocol.record.TimestampType;
import dev.ferry.protocol.record.compression.BatchRecords;
import dev.ferry.storage.FetchSlice;
import dev.ferry.storage.Log;
import dev.ferry.storage.OffsetOutOfRangeException;
import dev.ferry.storage.TimestampOffset;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers ListOffsets lookups per record when the answer lies in a compressed batch. Storage does not decompress, so
 * for a compressed CreateTime batch it answers per batch (the batch's first offset, or the log start inside it, and
 * the batch's max timestamp); this reads that one batch, decompresses it and picks the record, as Kafka's
 * {@code FileRecords.searchForTimestamp} and {@code RecordBatch.offsetOfMaxTimestamp} do. Storage's answers for
 * uncompressed and LogAppendTime batches are already per record (under LogAppendTime every record carries the batch's
 * max timestamp, and Kafka answers with the batch's first offset) and pass through unchanged.
 * <p>
 * A batch that cannot be decompressed or read is logged and storage's batch-level answer returned; a failed disk read
 * raises {@link UncheckedIOException}. Thread-safe: it holds nothing but the allocator of its transient buffers,
 * which are released before each method returns.
 */
final class BatchRecordLocator {

    private static final Logger LOG = LoggerFactory.getLogger(BatchRecordLocator.class);

    private final ByteBufAllocator allocator;

    /** @param allocator where the buffers holding a batch read from disk, and its decompressed records, come from */
    BatchRecordLocator(ByteBufAllocator allocator) {
        this.allocator = allocator;
    }

    /**
     * The first record at or after the log start whose timestamp is at or after {@code timestampMs}, with that
     * record's timestamp, or null when no such record exists.
     *
     * @see Log#offsetForTimestamp(long)
     */
    TimestampOffset offsetForTimestamp(Log log, long timestampMs) {
        TimestampOffset answer = log.offsetForTimestamp(timestampMs);
        if (answer == null) {
            return null;
        }
        // storage answers with the first offset at or after the log start, so no record below it may be picked
        long minOffset = answer.offset();
        long next = minOffset;
        boolean first = true;
        while (true) {
            ByteBuf bytes = readBatchAt(log, next, first);
            if (bytes == null) {
                // past the first batch, the log end means no record matches, as Kafka finds
                return first ? answer : null;
            }
            try {
                RecordBatch batch = new RecordBatch().wrap(bytes, 0);
                first = false;
                if (batch.maxTimestamp() >= timestampMs) {
                    TimestampOffset found = firstRecord(batch, timestampMs, minOffset, false);
                    if (found != null) {
                        return found;
                    }
                }
                // only when the log start cuts the batch can its matching records all lie below the log start;
                // Kafka then goes on with the next batches, and so does this
                long following = batch.lastOffset() + 1;
                if (following <= next) {
                    return answer;
                }
                next = following;
            } catch (IllegalArgumentException e) {
                LOG.warn("Cannot read the records of the batch holding offset {} of {}; answering per batch", next,
                        log, e);
                return answer;
            } finally {
                bytes.release();
            }
        }
    }

    /**
     * The largest timestamp in the log and the offset of the first record carrying it, or null when the log has no
     * record with a timestamp.
     *
     * @see Log#maxTimestamp()
     */
    TimestampOffset maxTimestamp(Log log) {
        TimestampOffset answer = log.maxTimestamp();
        if (answer == null) {
            return null;
        }
        ByteBuf bytes = readBatchAt(log, answer.offset(), true);
        if (bytes == null) {
            return answer;
        }
        try {
            RecordBatch batch = new RecordBatch().wrap(bytes, 0);
            if (batch.maxTimestamp() != answer.timestampMs()) {
                return answer;
            }
            TimestampOffset found = firstRecord(batch, answer.timestampMs(), answer.offset(), true);
            return found != null ? found : answer;
        } catch (IllegalArgumentException e) {
            LOG.warn("Cannot read the records of the batch holding offset {} of {}; answering per batch",
                    answer.offset(), log, e);
            return answer;
        } finally {
            bytes.release();
        }
    }

    /** Tells whether storage answered for this batch as a whole rather than for one of its records. */
    private static boolean answeredPerBatch(RecordBatch batch) {
        return batch.magic() == MAGIC_V2 && batch.compressionId() != COMPRESSION_NONE
                && batch.timestampType() == TimestampType.CREATE_TIME;
    }

    /**
     * The first record of the batch at or after {@code minOffset} whose timestamp is at or after {@code timestampMs}
     * (or exactly {@code timestampMs} when {@code exact}), or null.
     */
    private TimestampOffset firstRecord(RecordBatch batch, long timestampMs, long minOffset, boolean exact) {
        try (BatchRecords records = BatchRecords.open(batch, allocator)) {
            while (records.hasNext()) {
                Record record = records.next();
                boolean matches = exact ? record.timestamp() == timestampMs : record.timestamp() >= timestampMs;
                if (matches && record.offset() >= minOffset) {
                    return new TimestampOffset(record.timestamp(), record.offset());
                }
            }
        }
        return null;
    }

    /**
     * Reads the whole batch holding {@code offset}; with {@code onlyIfAnsweredPerBatch}, only its header when that
     * shows storage's answer for it is already per record.
     *
     * @return the batch as the readable bytes of a buffer the caller releases, or null at the log end, when the
     *         offset has left the log meanwhile, or when the batch was not wanted
     */
    private ByteBuf readBatchAt(Log log, long offset, boolean onlyIfAnsweredPerBatch) {
        FetchSlice slice;
        try {
            slice = log.read(offset, 1, true);
        } catch (OffsetOutOfRangeException e) {
            return null;
        }
        try (slice) {
            int length = slice.length();
            if (length < RECORDS_OFFSET) {
                return null;
            }
            ByteBuf bytes = allocator.heapBuffer(length, length);
            boolean keep = false;
            try {
                readFully(slice, bytes, RECORDS_OFFSET, offset);
                if (onlyIfAnsweredPerBatch && !answeredPerBatch(new RecordBatch().wrap(bytes, 0))) {
                    return null;
                }
                readFully(slice, bytes, length - RECORDS_OFFSET, offset);
                keep = true;
                return bytes;
            } finally {
                if (!keep) {
                    bytes.release();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the batch holding offset " + offset + " of " + log, e);
        }
    }

    /** Appends the slice's next {@code length} bytes to {@code bytes}. */
    private static void readFully(FetchSlice slice, ByteBuf bytes, int length, long offset) throws IOException {
        int start = bytes.writerIndex();
        ByteBuffer target = bytes.nioBuffer(start, length);
        while (target.hasRemaining()) {
            if (slice.channel().read(target, slice.position() + start + target.position()) < 0) {
                throw new EOFException("batch holding offset " + offset + " runs past the end of its segment");
            }
        }
        bytes.writerIndex(start + length);
    }
}
