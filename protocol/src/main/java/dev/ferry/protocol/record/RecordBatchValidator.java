package dev.ferry.protocol.record;

import static dev.ferry.protocol.record.RecordBatchDescriptor.BATCH_LENGTH_OFFSET;
import static dev.ferry.protocol.record.RecordBatchDescriptor.COMPRESSION_NONE;
import static dev.ferry.protocol.record.RecordBatchDescriptor.COMPRESSION_ZSTD;
import static dev.ferry.protocol.record.RecordBatchDescriptor.HEADER_SIZE_UP_TO_MAGIC;
import static dev.ferry.protocol.record.RecordBatchDescriptor.LOG_OVERHEAD;
import static dev.ferry.protocol.record.RecordBatchDescriptor.MAGIC_OFFSET;
import static dev.ferry.protocol.record.RecordBatchDescriptor.MAGIC_V2;
import static dev.ferry.protocol.record.RecordBatchDescriptor.MIN_LENGTH_FIELD;
import static dev.ferry.protocol.record.RecordBatchDescriptor.RECORDS_OFFSET;

import dev.ferry.protocol.Errors;
import io.netty.buffer.ByteBuf;

/**
 * Checks the records of one produce partition the way a Kafka 4.x broker does before appending them, and answers
 * with the error code Kafka would return.
 * <p>
 * The checks, in Kafka's order, with the Kafka code each follows:
 * <ol>
 *   <li>Framing ({@code ByteBufferLogInputStream.nextBatchSize}): a length field below 14 bytes or a magic byte
 *       other than 0, 1 or 2 is {@link Errors#CORRUPT_MESSAGE}.</li>
 *   <li>Shape of the partition's records ({@code ProduceRequest.validateRecords}, called by the produce handler):
 *       no complete batch at all (empty records, or one cut short or whose length runs past the end) is
 *       {@link Errors#INVALID_RECORD}; <b>a v0 or v1 message set (magic 0 or 1) is {@link Errors#INVALID_RECORD}</b>,
 *       since Kafka 4.x only accepts magic v2 on produce; more than one batch is {@link Errors#INVALID_RECORD}.</li>
 *   <li>Batch header ({@code UnifiedLog.analyzeAndValidateRecords}): a base offset other than 0 is
 *       {@link Errors#INVALID_RECORD}; a batch larger than {@code maxBatchBytes} is {@link Errors#MESSAGE_TOO_LARGE};
 *       a batch shorter than its header or with a wrong CRC-32C is {@link Errors#CORRUPT_MESSAGE}.</li>
 *   <li>Batch content ({@code LogValidator.validateBatch} and the record iterator of {@code DefaultRecordBatch}):
 *       a records count that is not positive or disagrees with the last offset delta, a control batch, a producer
 *       id without a base sequence, or records that do not exactly fill an uncompressed batch are
 *       {@link Errors#INVALID_RECORD}.</li>
 * </ol>
 * Where Ferry differs from Kafka, on purpose:
 * <ul>
 *   <li>Bytes after the batch that do not form a further batch are {@link Errors#CORRUPT_MESSAGE}; Kafka silently
 *       trims them, but Ferry stores records exactly as sent and will not store, or silently drop, stray bytes.</li>
 *   <li>An unknown compression codec id (5 to 7) is {@link Errors#INVALID_RECORD}; in Kafka it escapes as an
 *       unexpected exception and surfaces as {@link Errors#UNKNOWN_SERVER_ERROR}.</li>
 *   <li>Compressed batches are not decompressed, so their records are not walked: the broker stores the bytes as
 *       the producer sent them and never recompresses, the CRC already proves they arrived intact, and inflating
 *       every batch would cost the produce path CPU and memory for no other use. Consumers decompress.</li>
 * </ul>
 * Topic-dependent checks stay with the broker: record timestamps against the topic's bounds (the result carries the
 * range), keys on compacted topics, and codecs a request version does not allow.
 * <p>
 * <b>Hot path: allocates nothing but the returned result</b> (and its message on failure). Thread-safe; each thread
 * reuses its own flyweight and cursor.
 */
public final class RecordBatchValidator {
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Outcomes of {@link #entrySize} that are not a size. */
    private static final long INCOMPLETE = -1;
    private static final long LENGTH_TOO_SMALL = -2;
    private static final long UNKNOWN_MAGIC = -3;

    private RecordBatchValidator() {
    }

    /**
     * Validates the records of one partition of a produce request.
     *
     * @param records       the partition's records, from reader index to writer index; neither index moves, and the
     *                      buffer is not retained or released
     * @param maxBatchBytes the largest batch accepted, header included (the topic's {@code max.message.bytes})
     * @return the verdict; never null
     */
    public static ValidationResult validate(final ByteBuf records, final int maxBatchBytes) {
        final int start = records.readerIndex();
        final int end = records.writerIndex();
        if (start == end) {
            return ValidationResult.failure(Errors.INVALID_RECORD, "The records hold no record batch");
        }

        final long size = entrySize(records, start, end);
        if (size == LENGTH_TOO_SMALL || size == UNKNOWN_MAGIC) {
            return framingFailure(records, start, size);
        }
        if (size == INCOMPLETE) {
            return ValidationResult.failure(Errors.INVALID_RECORD,
                    "The records hold no complete record batch: " + (end - start) + " bytes, batch cut short");
        }
        final byte magic = records.getByte(start + MAGIC_OFFSET);
        if (magic != MAGIC_V2) {
            return ValidationResult.failure(Errors.INVALID_RECORD,
                    "Only record batches with magic v2 are accepted, found magic v" + magic);
        }
        final int batchEnd = start + (int) size;
        if (batchEnd != end) {
            return extraBytesFailure(records, batchEnd, end);
        }

        final Scratch scratch = SCRATCH.get();
        try {
            return validateBatch(scratch, records, start, batchEnd, maxBatchBytes);
        } finally {
            scratch.release();
        }
    }

    private static ValidationResult validateBatch(final Scratch scratch, final ByteBuf records, final int start,
                                                  final int batchEnd, final int maxBatchBytes) {
        final RecordBatch batch = scratch.batch.wrap(records, start);
        final ValidationResult headerFailure = checkHeader(batch, maxBatchBytes);
        if (headerFailure != null) {
            return headerFailure;
        }
        final int count = batch.recordCount();
        if (batch.compressionId() != COMPRESSION_NONE) {
            return ValidationResult.ok(count, batch.baseTimestamp(), batch.maxTimestamp());
        }
        return walkRecords(scratch.cursor.reset(records, start + RECORDS_OFFSET, batchEnd), batch.baseTimestamp(),
                count);
    }

    /**
     * Frames one batch or message the way Kafka's log input stream does.
     *
     * @return the entry size, or {@link #INCOMPLETE}, {@link #LENGTH_TOO_SMALL} or {@link #UNKNOWN_MAGIC}
     */
    private static long entrySize(final ByteBuf records, final int position, final int end) {
        final int available = end - position;
        if (available < LOG_OVERHEAD) {
            return INCOMPLETE;
        }
        final int length = records.getInt(position + BATCH_LENGTH_OFFSET);
        if (length < MIN_LENGTH_FIELD) {
            return LENGTH_TOO_SMALL;
        }
        if (available < HEADER_SIZE_UP_TO_MAGIC) {
            return INCOMPLETE;
        }
        final byte magic = records.getByte(position + MAGIC_OFFSET);
        if (magic < 0 || magic > MAGIC_V2) {
            return UNKNOWN_MAGIC;
        }
        final long size = (long) LOG_OVERHEAD + length;
        return available < size ? INCOMPLETE : size;
    }

    private static ValidationResult framingFailure(final ByteBuf records, final int position, final long outcome) {
        if (outcome == LENGTH_TOO_SMALL) {
            return ValidationResult.failure(Errors.CORRUPT_MESSAGE, "Record batch length "
                    + records.getInt(position + BATCH_LENGTH_OFFSET) + " is below the minimum of " + MIN_LENGTH_FIELD);
        }
        return ValidationResult.failure(Errors.CORRUPT_MESSAGE,
                "Unknown magic byte " + records.getByte(position + MAGIC_OFFSET) + " in record batch");
    }

    /** Kafka looks for a second batch only to refuse it, but its framing errors surface first. */
    private static ValidationResult extraBytesFailure(final ByteBuf records, final int position, final int end) {
        final long next = entrySize(records, position, end);
        if (next == LENGTH_TOO_SMALL || next == UNKNOWN_MAGIC) {
            return framingFailure(records, position, next);
        }
        if (next == INCOMPLETE) {
            return ValidationResult.failure(Errors.CORRUPT_MESSAGE,
                    (end - position) + " stray bytes follow the record batch");
        }
        return ValidationResult.failure(Errors.INVALID_RECORD,
                "A produce request may hold only one record batch per partition");
    }

    /** Returns the failure the header calls for, or null when the header is sound. */
    private static ValidationResult checkHeader(final RecordBatch batch, final int maxBatchBytes) {
        if (batch.baseOffset() != 0) {
            return ValidationResult.failure(Errors.INVALID_RECORD,
                    "The base offset of a produced batch must be 0, not " + batch.baseOffset());
        }
        final int size = batch.sizeInBytes();
        if (size > maxBatchBytes) {
            return ValidationResult.failure(Errors.MESSAGE_TOO_LARGE,
                    "The record batch is " + size + " bytes, more than the maximum of " + maxBatchBytes);
        }
        if (!batch.isCrcValid()) {
            return ValidationResult.failure(Errors.CORRUPT_MESSAGE, size < RECORDS_OFFSET
                    ? "The record batch is " + size + " bytes, shorter than its " + RECORDS_OFFSET + "-byte header"
                    : "The record batch CRC " + batch.crc() + " does not match its content");
        }
        if (batch.compressionId() > COMPRESSION_ZSTD) {
            return ValidationResult.failure(Errors.INVALID_RECORD,
                    "Unknown compression codec id " + batch.compressionId());
        }
        final long countFromOffsets = batch.lastOffsetDelta() + 1L;
        final int count = batch.recordCount();
        if (countFromOffsets <= 0 || count <= 0 || countFromOffsets != count) {
            return ValidationResult.failure(Errors.INVALID_RECORD, "The records count " + count
                    + " does not match the last offset delta " + batch.lastOffsetDelta());
        }
        if (batch.isControl()) {
            return ValidationResult.failure(Errors.INVALID_RECORD, "Clients may not write control batches");
        }
        if (batch.hasProducerId() && batch.baseSequence() < 0) {
            return ValidationResult.failure(Errors.INVALID_RECORD, "Invalid base sequence " + batch.baseSequence()
                    + " for producer id " + batch.producerId());
        }
        return null;
    }

    /**
     * Walks the records of an uncompressed batch, whose end is the cursor's limit, checking each record's length
     * against its content and that the records fill the batch exactly.
     */
    private static ValidationResult walkRecords(final ByteBufCursor cursor, final long baseTimestamp,
                                                final int count) {
        final int batchEnd = cursor.limit();
        long minTimestamp = Long.MAX_VALUE;
        long maxTimestamp = Long.MIN_VALUE;
        for (int index = 0; index < count; index++) {
            cursor.limit(batchEnd);
            final int length = cursor.readVarint();
            if (cursor.overrun() || length < 0 || length > cursor.remaining()) {
                return recordFailure(index, "its length runs past the end of the batch");
            }
            final int recordEnd = cursor.position() + length;
            cursor.limit(recordEnd);
            cursor.skip(1);
            final long timestamp = baseTimestamp + cursor.readVarlong();
            // the offset delta is kept as the producer wrote it, as Kafka does
            cursor.readVarint();
            skipNullableBytes(cursor);
            skipNullableBytes(cursor);
            final int headerCount = cursor.readVarint();
            if (headerCount < 0 || headerCount > cursor.remaining()) {
                return recordFailure(index, "it declares " + headerCount + " headers");
            }
            for (int header = 0; header < headerCount; header++) {
                final int keyLength = cursor.readVarint();
                if (keyLength < 0) {
                    return recordFailure(index, "a header has a null key");
                }
                cursor.skip(keyLength);
                skipNullableBytes(cursor);
            }
            if (cursor.overrun() || cursor.position() != recordEnd) {
                return recordFailure(index, "its content does not match its length of " + length + " bytes");
            }
            minTimestamp = Math.min(minTimestamp, timestamp);
            maxTimestamp = Math.max(maxTimestamp, timestamp);
        }
        if (cursor.position() != batchEnd) {
            return ValidationResult.failure(Errors.INVALID_RECORD, (batchEnd - cursor.position())
                    + " bytes follow the last of the " + count + " records the batch declares");
        }
        return ValidationResult.ok(count, minTimestamp, maxTimestamp);
    }

    /** Skips a key, value or header value: a varint length, negative for null, then that many bytes. */
    private static void skipNullableBytes(final ByteBufCursor cursor) {
        final int length = cursor.readVarint();
        if (length > 0) {
            cursor.skip(length);
        }
    }

    private static ValidationResult recordFailure(final int index, final String reason) {
        return ValidationResult.failure(Errors.INVALID_RECORD, "Record " + index + " of the batch is malformed: "
                + reason);
    }

    /** Per-thread reusable state, so that validation allocates nothing per batch or record. */
    private static final class Scratch {
        private final RecordBatch batch = new RecordBatch();
        private final ByteBufCursor cursor = new ByteBufCursor();

        /** Drops the references to the caller's buffer, which the validator must not keep reachable. */
        void release() {
            batch.wrap(null, 0);
            cursor.reset(null, 0, 0);
        }
    }
}
