package dev.ferry.storage;

import java.util.Collection;
import java.util.Optional;

/**
 * Owns every partition log under the configured log directories, the topic catalog beside them, and the
 * background duties (retention, time-based flushing, closing idle files).
 *
 * <p><b>Thread-safety:</b> all methods are safe to call from any thread.
 */
public interface LogManager extends AutoCloseable {

    /**
     * Opens the storage: loads the topic catalog, then recovers each partition lazily or eagerly as the
     * implementation sees fit (the tail of each active segment is validated batch by batch and torn
     * writes are truncated before the log serves anything), and starts the background duties.
     */
    static LogManager open(StorageConfig config) {
        return dev.ferry.storage.internal.DefaultLogManager.open(config);
    }

    /** The persisted topic definitions. */
    TopicCatalog catalog();

    /**
     * The log of a partition, created empty if it does not exist yet; an existing log takes {@code config} as its
     * settings (logs found on disk at startup carry {@link LogConfig#defaults()} until then).
     *
     * @throws IllegalArgumentException when the topic is not a legal Kafka topic name or the partition is negative
     */
    Log getOrCreateLog(TopicPartition partition, LogConfig config);

    Optional<Log> log(TopicPartition partition);

    Collection<Log> logs();

    /** Deletes the partition's log and its files; open slices keep reading until closed. Absent logs are ignored. */
    void deleteLog(TopicPartition partition);

    /**
     * How many segments have their file descriptor and index mappings open right now, across all logs; at most
     * {@link StorageConfig#maxOpenSegments()} except while more segments than that are being read or appended at
     * the same moment.
     */
    int openSegmentCount();

    /** Flushes every log and closes every file. */
    @Override
    void close();
}
