package dev.ferry.storage.internal;

import static dev.ferry.storage.internal.StorageTestSupport.batchOffsets;
import static dev.ferry.storage.internal.StorageTestSupport.drain;
import static dev.ferry.storage.internal.StorageTestSupport.logConfig;
import static dev.ferry.storage.internal.StorageTestSupport.withRetention;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.Log;
import dev.ferry.storage.OffsetOutOfRangeException;
import dev.ferry.storage.StorageConfig;
import dev.ferry.storage.TopicPartition;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Appends, reads, rolls, retention and the open-file bound all at once. */
class ConcurrentLogTest {

    private static final int BATCHES = 3_000;
    private static final int TAIL_APPENDS = 30_000;

    @TempDir
    Path dir;

    private DefaultLogManager manager;

    @AfterEach
    void closeManager() {
        if (manager != null) {
            manager.close();
        }
    }

    @Test
    void shouldServeReadersOnlyWholeContiguousBatchesWhileAppendingRollingAndDeleting() throws Exception {
        manager = DefaultLogManager.open(StorageTestSupport.storage(dir, 3));
        final Log log = manager.getOrCreateLog(new TopicPartition("busy", 0),
                withRetention(logConfig(2_000, 300), -1, 20_000));
        final AtomicBoolean writing = new AtomicBoolean(true);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicLong reads = new AtomicLong();
        final Runnable reader = () -> {
            try {
                while (writing.get()) {
                    final long end = log.logEndOffset();
                    final long start = log.logStartOffset();
                    if (end == start) {
                        continue;
                    }
                    final long offset = ThreadLocalRandom.current().nextLong(start, end);
                    try {
                        final List<long[]> batches = batchOffsets(drain(log.read(offset, 700, true)));
                        assertTrue(batches.get(0)[0] <= offset && offset <= batches.get(0)[1], "first batch");
                        for (int i = 1; i < batches.size(); i++) {
                            assertEquals(batches.get(i - 1)[1] + 1, batches.get(i)[0], "contiguous");
                        }
                        reads.incrementAndGet();
                    } catch (OffsetOutOfRangeException deletedMeanwhile) {
                        assertTrue(log.logStartOffset() > offset, "out of range only below the new log start");
                    }
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        };
        final Thread[] readers = {new Thread(reader, "reader-1"), new Thread(reader, "reader-2")};
        for (Thread thread : readers) {
            thread.start();
        }
        try {
            for (int i = 0; i < BATCHES; i++) {
                assertEquals(2L * i, log.append(TestBatches.records(2, i), 1_000).baseOffset());
                if (i % 200 == 0) {
                    manager.retentionPass();
                }
            }
        } finally {
            writing.set(false);
            for (Thread thread : readers) {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
        if (failure.get() != null) {
            throw new AssertionError("reader failed", failure.get());
        }
        assertTrue(reads.get() > 0);
        assertEquals(2L * BATCHES, log.logEndOffset());
        assertTrue(log.logStartOffset() > 0, "retention ran");
    }

    @Test
    void shouldNeverServeABatchAtOrAboveTheLogEndWhileItIsBeingAppended() throws Exception {
        manager = DefaultLogManager.open(StorageTestSupport.storage(dir, 8));
        final Log log = manager.getOrCreateLog(new TopicPartition("tail", 0), logConfig(256 * 1024, 4096));
        log.append(TestBatches.records(1, 1_000), 1_000);
        final AtomicBoolean writing = new AtomicBoolean(true);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicLong checked = new AtomicLong();
        final Runnable tailReader = () -> {
            try {
                while (writing.get()) {
                    final long before = log.logEndOffset();
                    final List<long[]> batches = batchOffsets(drain(log.read(before - 1, 1 << 20, true)));
                    // an unchanged log end across the read pins the end the read itself saw
                    if (log.logEndOffset() == before) {
                        final long last = batches.get(batches.size() - 1)[1];
                        assertTrue(last < before, "served offset " + last + " at log end " + before);
                        checked.incrementAndGet();
                    }
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        };
        final Thread[] readers = {new Thread(tailReader, "tail-reader-1"), new Thread(tailReader, "tail-reader-2")};
        for (Thread thread : readers) {
            thread.start();
        }
        try {
            for (int i = 1; i < TAIL_APPENDS && failure.get() == null; i++) {
                assertEquals(i, log.append(TestBatches.records(1, 1_000 + i), 1_000).baseOffset());
            }
        } finally {
            writing.set(false);
            for (Thread thread : readers) {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
        if (failure.get() != null) {
            throw new AssertionError("tail reader failed", failure.get());
        }
        assertTrue(checked.get() > 0);
    }

    @Test
    void shouldRunRetentionOnANamedBackgroundThread() throws Exception {
        manager = DefaultLogManager.open(new StorageConfig(List.of(dir), 8, 20, 20));
        final Log log = manager.getOrCreateLog(new TopicPartition("aging", 0),
                withRetention(logConfig(200, 4096), 1_000, -1));
        for (int i = 0; i < 5; i++) {
            log.append(TestBatches.sized(150, 1_000), 1_000);
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (log.logStartOffset() < 5 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(5, log.logStartOffset());
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals(DefaultLogManager.BACKGROUND_THREAD_NAME)
                        && thread.isDaemon()));
    }
}
