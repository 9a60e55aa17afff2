package dev.ferry.storage;

/**
 * Per-log settings, with Kafka's topic-level meanings. The broker maps topic configs
 * ({@code segment.bytes}, {@code retention.ms}, ...) onto this record.
 *
 * @param segmentBytes       roll the active segment once it would exceed this size
 * @param segmentMs          roll the active segment once its first batch is older than this
 * @param retentionMs        delete whole segments whose newest record is older than this; -1 keeps forever
 * @param retentionBytes     delete the oldest segments while the log is larger than this; -1 is unlimited
 * @param flushMessages      fsync once this many messages were appended since the last flush; Long.MAX_VALUE leaves
 *                           it to the OS
 * @param flushMs            fsync unflushed messages once this long has passed since the last flush (checked every
 *                           flush check interval, as Kafka's flush.ms); Long.MAX_VALUE leaves it to the OS
 * @param indexIntervalBytes add an offset-index and time-index entry every this many bytes of log
 * @param segmentIndexBytes  maximum size of each segment's offset index and time index files
 * @param logAppendTime      true for message.timestamp.type=LogAppendTime: the broker stamps batches on append
 */
public record LogConfig(
        long segmentBytes,
        long segmentMs,
        long retentionMs,
        long retentionBytes,
        long flushMessages,
        long flushMs,
        int indexIntervalBytes,
        int segmentIndexBytes,
        boolean logAppendTime) {

    /** Kafka's defaults: 1 GiB segments rolled weekly, 3 days' retention (Ferry's default), OS flushing. */
    public static LogConfig defaults() {
        return new LogConfig(1L << 30, 7L * 24 * 3600 * 1000, 3L * 24 * 3600 * 1000, -1,
                Long.MAX_VALUE, Long.MAX_VALUE, 4096, 10 * 1024 * 1024, false);
    }
}
