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
 */
public record StorageConfig(List<Path> logDirs, int maxOpenSegments, long retentionCheckIntervalMs,
                            long flushCheckIntervalMs) {
}
