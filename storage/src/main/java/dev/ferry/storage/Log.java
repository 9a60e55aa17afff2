package dev.ferry.storage;

import java.nio.ByteBuffer;

/**
 * The append-only log of one partition: a sequence of segments holding Kafka v2 record batches exactly as
 * they arrived on the wire, with their base offsets assigned by {@link #append}.
 *
 * <p><b>Thread-safety:</b> all methods are safe to call from any thread. Appends are serialised per log;
 * reads never block appends and see only whole batches below {@link #logEndOffset()}.
 *
 * <p><b>Failures:</b> a disk operation that fails throws {@link java.io.UncheckedIOException} (Kafka's
 * KAFKA_STORAGE_ERROR); an append the log directory has no room for throws its subclass
 * {@link LogDirectoryFullException}, having written nothing, and appends succeed again once space returns; any method
 * but {@link #topicPartition()}, {@link #config()} and {@link #updateConfig}
 * throws {@link LogClosedException} (an {@link IllegalStateException}) once the log has been deleted or the storage
 * closed.
 */
public interface Log {

    TopicPartition topicPartition();

    /**
     * Appends one or more v2 record batches, which the caller has already validated (length, magic, CRC).
     * Assigns consecutive offsets by rewriting each batch's base offset in {@code batches}, stamps
     * LogAppendTime batches (recomputing their CRC), checks idempotent-producer sequences, and writes.
     *
     * <p>Idempotence: a batch whose producer id is not -1 is checked against that producer's last five
     * batches: an exact retry is not written again and the result carries its original offsets
     * ({@link AppendResult.Status#DUPLICATE}); a sequence gap gives {@link AppendResult.Status#OUT_OF_ORDER_SEQUENCE};
     * an older epoch gives {@link AppendResult.Status#INVALID_PRODUCER_EPOCH}. Any non-OK status means
     * nothing from {@code batches} was written. As in Kafka 4.x, a producer the log does not know (new, or whose
     * batches retention removed) may start at any sequence, and a duplicate's {@code logAppendTimeMs} is the
     * original batch's max timestamp.
     *
     * <p>Each batch's partition leader epoch is set to {@link #latestEpoch()}. Offsets advance by each batch's
     * last offset delta plus one.
     *
     * @param batches    the batches, from position to limit; their header bytes are modified in place; the
     *                   buffer's position and limit are unchanged on return; must not be read-only
     * @param nowMs      the broker's wall clock, used for LogAppendTime and segment.ms rolling
     * @return where the batches landed
     * @throws IllegalArgumentException when the buffer is empty, read-only, or not a sequence of whole v2 batches
     * @throws LogDirectoryFullException when the file system holding the log has no room for the batches (or for the
     *                                   new segment they need); nothing was written and the log is unchanged
     */
    AppendResult append(ByteBuffer batches, long nowMs);

    /**
     * Locates the batches starting at the batch that contains {@code fetchOffset}. The slice never spans two
     * segments, so a reader at a segment's end gets that segment's last batches and continues from the next
     * offset.
     *
     * @param fetchOffset  the first offset the reader wants
     * @param maxBytes     the most bytes to return, in whole batches
     * @param minOneBatch  return the first batch even when it is larger than {@code maxBytes}
     * @return a slice of one segment file, possibly empty at the log end; the caller must close it
     * @throws OffsetOutOfRangeException when fetchOffset is below the log start or above the log end
     */
    FetchSlice read(long fetchOffset, int maxBytes, boolean minOneBatch);

    /** The first offset still in the log. */
    long logStartOffset();

    /** The offset the next appended record will get; also the high watermark on a single broker. */
    long logEndOffset();

    /**
     * The first record at or after the log start offset whose timestamp is at or after {@code timestampMs}, with
     * that record's timestamp, or null when no such record exists. Uncompressed and LogAppendTime batches answer
     * per record, as Kafka does. Storage does not decompress, so when the search reaches a compressed CreateTime
     * batch whose max timestamp is at or after {@code timestampMs} the answer is batch-level: the larger of the
     * batch's base offset and the log start offset, with the batch's max timestamp. The matching record lies inside
     * that batch (or, when the log start cuts it, possibly further on); the broker refines the answer to it by
     * decompressing the batch.
     */
    TimestampOffset offsetForTimestamp(long timestampMs);

    /**
     * The largest timestamp in the log and an offset for it, or null when the log has no record with a timestamp.
     * The offset is that of the first record carrying the timestamp in an uncompressed CreateTime batch, and the base
     * offset of the batch for a LogAppendTime batch, as Kafka answers. Storage does not decompress, so for a
     * compressed CreateTime batch the answer is batch-level: the batch's base offset with its max timestamp; the
     * broker refines it to the first record carrying that timestamp by decompressing the batch.
     */
    TimestampOffset maxTimestamp();

    /** The partition leader epoch ranges are not tracked on a single broker; the latest epoch is 0. */
    default int latestEpoch() {
        return 0;
    }

    /**
     * Moves the log start offset up to {@code offset} (DeleteRecords), deleting segments wholly below it.
     *
     * The new log start offset is written to disk before this returns. An offset at or below the current log
     * start changes nothing.
     *
     * @return the new log start offset
     * @throws OffsetOutOfRangeException when offset is negative or above the log end
     */
    long deleteRecordsBefore(long offset);

    /** Applies new topic settings; the next roll, retention pass and flush use them. */
    void updateConfig(LogConfig config);

    LogConfig config();

    /** Total bytes in all segments; never loads the log (a log not loaded yet answers from its files' sizes). */
    long sizeInBytes();

    /**
     * Whether the log's files have been read: a log found on disk at startup loads, and after a crash recovers, on
     * the first call that needs its data.
     */
    boolean isLoaded();

    /** Forces every appended byte to disk. */
    void flush();
}
