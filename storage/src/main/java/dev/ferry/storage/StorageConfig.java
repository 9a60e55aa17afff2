package dev.ferry.storage;

import java.nio.file.Path;
import java.util.List;

/**
 * Settings of the storage engine as a whole.
 *
 * @param logDirs                  directories holding partition logs; new partitions go to the one with fewest
 * @param maxOpenSegments          most segments whose file descriptor and index mappings are open at once;
 *                                 the least recently used are closed beyond that (active segments included)
 * @param retentionCheckIntervalMs how often the background retention pass runs
 * @param flushCheckIntervalMs     how often the background flusher checks {@link LogConfig#flushMs()}
 * @param producerIdExpirationMs   Kafka's {@code producer.id.expiration.ms}: how long after its last append a
 *                                 partition forgets an idempotent producer and its sequence numbers; at least 1
 */
public record StorageConfig(List<Path> logDirs, int maxOpenSegments, long retentionCheckIntervalMs,
                            long flushCheckIntervalMs, long producerIdExpirationMs) {

    /** Kafka's default {@code producer.id.expiration.ms}: one day. */
    public static final long DEFAULT_PRODUCER_ID_EXPIRATION_MS = 86_400_000L;

    public StorageConfig {
        if (producerIdExpirationMs < 1) {
            throw new IllegalArgumentException("producerIdExpirationMs must be at least 1, not "
                    + producerIdExpirationMs);
        }
    }

    /** Settings with Kafka's default {@code producer.id.expiration.ms}. */
    public StorageConfig(final List<Path> logDirs, final int maxOpenSegments, final long retentionCheckIntervalMs,
                         final long flushCheckIntervalMs) {
        this(logDirs, maxOpenSegments, retentionCheckIntervalMs, flushCheckIntervalMs,
                DEFAULT_PRODUCER_ID_EXPIRATION_MS);
    }
}
