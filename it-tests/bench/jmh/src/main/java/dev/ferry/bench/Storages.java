package dev.ferry.bench;

import dev.ferry.storage.LogConfig;
import dev.ferry.storage.LogManager;
import dev.ferry.storage.StorageConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Storage set-up for the log benchmarks: a log manager over a fresh temporary directory, and its removal. */
final class Storages {

    /** The module access Agrona needs for its buffers over mapped files (the broker's jar manifest grants it too). */
    static final String AGRONA_ACCESS = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";

    /** The broker's defaults: 8192 open segments, retention checked every 5 minutes, flush.ms every second. */
    private static final int MAX_OPEN_SEGMENTS = 8192;
    private static final long RETENTION_CHECK_INTERVAL_MS = 300_000;
    private static final long FLUSH_CHECK_INTERVAL_MS = 1_000;

    private Storages() {
    }

    static Path newDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static LogManager open(Path dir) {
        return LogManager.open(new StorageConfig(List.of(dir), MAX_OPEN_SEGMENTS, RETENTION_CHECK_INTERVAL_MS,
                FLUSH_CHECK_INTERVAL_MS));
    }

    /** The broker's default topic settings with another segment size. */
    static LogConfig withSegmentBytes(long segmentBytes) {
        LogConfig defaults = LogConfig.defaults();
        return new LogConfig(segmentBytes, defaults.segmentMs(), defaults.retentionMs(), defaults.retentionBytes(),
                defaults.flushMessages(), defaults.flushMs(), defaults.indexIntervalBytes(),
                defaults.segmentIndexBytes(), defaults.logAppendTime());
    }

    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
