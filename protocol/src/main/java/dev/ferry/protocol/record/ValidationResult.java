package dev.ferry.protocol.record;

import dev.ferry.protocol.Errors;

/**
 * The verdict of {@link RecordBatchValidator} on the records of one produce partition.
 * <p>
 * On success {@code error} is {@link Errors#NONE} and the counts and timestamps describe the batch; on failure
 * {@code errorMessage} says what is wrong, the count is 0 and the timestamps are
 * {@link RecordBatchDescriptor#NO_TIMESTAMP}. For an uncompressed batch the timestamps are the smallest and largest
 * record timestamps; for a compressed one, which is not decompressed, they are the header's base and max timestamps.
 * They let the broker apply the topic's timestamp bounds, or rewrite the max timestamp, without reading the batch
 * again.
 *
 * @param error        {@link Errors#NONE}, or the error to return for the partition
 * @param errorMessage why the records were refused; null on success
 * @param recordCount  the number of records in the batch
 * @param minTimestamp the smallest record timestamp
 * @param maxTimestamp the largest record timestamp
 */
public record ValidationResult(Errors error, String errorMessage, int recordCount, long minTimestamp,
                               long maxTimestamp) {

    /**
     * Creates the result for accepted records.
     *
     * @param recordCount  the number of records
     * @param minTimestamp the smallest record timestamp
     * @param maxTimestamp the largest record timestamp
     * @return a successful result
     */
    public static ValidationResult ok(int recordCount, long minTimestamp, long maxTimestamp) {
        return new ValidationResult(Errors.NONE, null, recordCount, minTimestamp, maxTimestamp);
    }

    /**
     * Creates the result for refused records.
     *
     * @param error   the error to return for the partition
     * @param message what is wrong with the records
     * @return a failed result
     */
    public static ValidationResult failure(Errors error, String message) {
        return new ValidationResult(error, message, 0, RecordBatchDescriptor.NO_TIMESTAMP,
                RecordBatchDescriptor.NO_TIMESTAMP);
    }

    /**
     * Tells whether the records were accepted.
     *
     * @return true if {@code error} is {@link Errors#NONE}
     */
    public boolean isValid() {
        return error == Errors.NONE;
    }
}
