package dev.ferry.storage;

/**
 * Outcome of {@link Log#append}.
 *
 * @param status          whether the batches were written
 * @param baseOffset      offset of the first record appended (or of the original append for a duplicate); -1 on error
 * @param lastOffset      offset of the last record appended; -1 on error
 * @param logAppendTimeMs the timestamp stamped on the batches under LogAppendTime, else -1; for a duplicate, the
 *                        original batch's max timestamp (as Kafka answers)
 * @param logStartOffset  the log start offset after the append
 */
public record AppendResult(Status status, long baseOffset, long lastOffset, long logAppendTimeMs, long logStartOffset) {

    public enum Status {
        /** Written. */
        OK,
        /** An exact retry of one of the producer's last five batches: not written again, original offsets returned. */
        DUPLICATE,
        /** The batch's first sequence does not follow the producer's last one. */
        OUT_OF_ORDER_SEQUENCE,
        /** The batch's producer epoch is older than the one the log has seen. */
        INVALID_PRODUCER_EPOCH,
        /**
         * A non-zero first sequence from a producer the log does not know. Never returned by the storage engine:
         * like Kafka 4.x, it accepts any sequence from a producer it has no state for.
         */
        UNKNOWN_PRODUCER_ID
    }

    public static AppendResult failed(Status status, long logStartOffset) {
        return new AppendResult(status, -1, -1, -1, logStartOffset);
    }
}
