package dev.ferry.protocol.record;

/**
 * What the timestamps of a v2 batch mean: when the producer created the records, or when the broker appended them.
 */
public enum TimestampType {
    /** Timestamps set by the producer; the batch's attribute bit is clear. */
    CREATE_TIME,
    /** One timestamp for the whole batch, set by the broker at append; the batch's attribute bit is set. */
    LOG_APPEND_TIME
}
