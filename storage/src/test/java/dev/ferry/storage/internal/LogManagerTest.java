package dev.ferry.storage.internal;

import static dev.ferry.storage.internal.StorageTestSupport.asStored;
import static dev.ferry.storage.internal.StorageTestSupport.bytes;
import static dev.ferry.storage.internal.StorageTestSupport.drain;
import static dev.ferry.storage.internal.StorageTestSupport.logConfig;
import static dev.ferry.storage.internal.StorageTestSupport.storage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.FetchSlice;
import dev.ferry.storage.Log;
import dev.ferry.storage.LogConfig;
import dev.ferry.storage.StorageConfig;
import dev.ferry.storage.TopicPartition;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogManagerTest {

    private static final int PARTITIONS = 2_000;
    private static final int MAX_OPEN = 64;
    private static final LogConfig CONFIG = logConfig(1 << 20, 4096);

    @TempDir
    Path dir;

    private DefaultLogManager manager;

    @AfterEach
    void closeManager() {
        if (manager != null) {
            manager.close();
        }
    }

    private static TopicPartition partition(final int i) {
        return new TopicPartition("topic-" + (i % 50), i / 50);
    }

    private static ByteBuffer batchFor(final int i) {
        return TestBatches.batch().record(1_000 + i, "partition " + i).build();
    }

    @Test
    void shouldServeFarMorePartitionsThanOpenSegmentsWithinTheBound() {
        manager = DefaultLogManager.open(storage(dir, MAX_OPEN));
        for (int i = 0; i < PARTITIONS; i++) {
            final Log log = manager.getOrCreateLog(partition(i), CONFIG);
            final ByteBuffer batch = batchFor(i);
            final byte[] expected = asStored(ByteBuffer.wrap(bytes(batch)), 0);
            log.append(batch, 1_000);
            assertTrue(manager.openSegmentCount() <= MAX_OPEN, "open after append: " + manager.openSegmentCount());
            assertArrayEquals(expected, drain(log.read(0, 10_000, true)));
            assertTrue(manager.openSegmentCount() <= MAX_OPEN, "open after read: " + manager.openSegmentCount());
        }
        assertEquals(MAX_OPEN, manager.openSegmentCount());
        for (int i = 0; i < PARTITIONS; i += 7) {
            final Log log = manager.log(partition(i)).orElseThrow();
            assertEquals(1, log.append(batchFor(i), 2_000).baseOffset(), "reopened transparently");
            assertEquals(2, log.logEndOffset());
            assertTrue(manager.openSegmentCount() <= MAX_OPEN);
        }
        manager.close();

        manager = DefaultLogManager.open(storage(dir, MAX_OPEN));
        assertEquals(PARTITIONS, manager.logs().size());
        assertEquals(0, manager.openSegmentCount());
        for (int i = 0; i < PARTITIONS; i += 13) {
            final Log log = manager.log(partition(i)).orElseThrow();
            assertArrayEquals(asStored(batchFor(i), 0), drain(log.read(0, batchFor(i).remaining(), true)));
            assertEquals(i % 7 == 0 ? 2 : 1, log.logEndOffset());
            assertTrue(manager.openSegmentCount() <= MAX_OPEN);
        }
    }

    @Test
    void shouldTellTheSizeOfALogFoundOnDiskWithoutLoadingIt() {
        manager = DefaultLogManager.open(storage(dir, 8));
        final Log created = manager.getOrCreateLog(partition(0), CONFIG);
        created.append(batchFor(0), 1_000);
        created.append(batchFor(1), 1_000);
        final long stored = created.sizeInBytes();
        manager.close();

        manager = DefaultLogManager.open(storage(dir, 8));
        final DefaultLog found = (DefaultLog) manager.log(partition(0)).orElseThrow();

        assertEquals(stored, found.sizeInBytes());
        assertFalse(found.isLoaded(), "asking the size loads nothing");
        assertEquals(0, manager.openSegmentCount());
        final int appended = batchFor(2).remaining();
        found.append(batchFor(2), 2_000);
        assertTrue(found.isLoaded());
        assertEquals(stored + appended, found.sizeInBytes());
    }

    @Test
    void shouldKeepSegmentsWithOpenSlicesOpenBeyondTheBound() {
        manager = DefaultLogManager.open(storage(dir, 2));
        final FetchSlice[] slices = new FetchSlice[3];
        for (int i = 0; i < 3; i++) {
            final Log log = manager.getOrCreateLog(partition(i), CONFIG);
            log.append(batchFor(i), 1_000);
            slices[i] = log.read(0, 10_000, true);
        }
        assertEquals(3, manager.openSegmentCount(), "no segment is closed under a reader");
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(asStored(batchFor(i), 0), drain(slices[i]));
        }
        manager.getOrCreateLog(partition(3), CONFIG).append(batchFor(3), 1_000);
        assertEquals(2, manager.openSegmentCount());
    }

    @Test
    void shouldSpreadNewPartitionsOverTheLeastLoadedDirectory() {
        final Path first = dir.resolve("a");
        final Path second = dir.resolve("b");
        manager = DefaultLogManager.open(new StorageConfig(List.of(first, second), 16, 3_600_000, 3_600_000));
        for (int i = 0; i < 4; i++) {
            manager.getOrCreateLog(partition(i), CONFIG);
        }
        assertEquals(2, countPartitionDirs(first));
        assertEquals(2, countPartitionDirs(second));
    }

    @Test
    void shouldReturnTheSameLogAndApplyTheGivenConfig() {
        manager = DefaultLogManager.open(storage(dir, 8));
        final Log log = manager.getOrCreateLog(partition(1), CONFIG);
        final LogConfig changed = logConfig(4096, 100);
        assertSame(log, manager.getOrCreateLog(partition(1), changed));
        assertEquals(changed, log.config());
    }

    @Test
    void shouldRejectTopicNamesThatAreNotLegal() {
        manager = DefaultLogManager.open(storage(dir, 8));
        assertThrows(IllegalArgumentException.class,
                () -> manager.getOrCreateLog(new TopicPartition("../escape", 0), CONFIG));
        assertThrows(IllegalArgumentException.class,
                () -> manager.getOrCreateLog(new TopicPartition("ok", -1), CONFIG));
        assertFalse(Files.exists(dir.getParent().resolve("escape-0")));
    }

    @Test
    void shouldDeleteALogAndItsFiles() throws Exception {
        manager = DefaultLogManager.open(storage(dir, 8));
        final TopicPartition partition = partition(5);
        final Log log = manager.getOrCreateLog(partition, CONFIG);
        log.append(batchFor(5), 1_000);
        final FetchSlice open = log.read(0, 1000, true);
        manager.deleteLog(partition);
        assertFalse(Files.exists(dir.resolve(partition.dirName())));
        assertTrue(manager.log(partition).isEmpty());
        assertThrows(IllegalStateException.class, () -> log.append(batchFor(5), 1_000));
        assertArrayEquals(asStored(batchFor(5), 0), drain(open), "an open slice reads the unlinked file");
        manager.awaitBackgroundTasks();
        assertEquals(0, manager.openSegmentCount());
        final Log recreated = manager.getOrCreateLog(partition, CONFIG);
        assertEquals(0, recreated.logEndOffset());
        manager.close();
        manager = DefaultLogManager.open(storage(dir, 8));
        assertEquals(0, manager.log(partition).orElseThrow().logStartOffset());
    }

    @Test
    void shouldFlushDueLogsAndCheckpointRecoveryPoints() throws Exception {
        final LogConfig flushNow = new LogConfig(1 << 20, Long.MAX_VALUE, -1, -1, Long.MAX_VALUE, 0, 4096,
                64 * 1024, false);
        manager = DefaultLogManager.open(storage(dir, 8));
        final DefaultLog log = (DefaultLog) manager.getOrCreateLog(partition(0), flushNow);
        log.append(batchFor(0), 1_000);
        assertEquals(0, log.recoveryPoint());
        manager.flushPass();
        assertEquals(1, log.recoveryPoint());
        assertEquals(List.of("0", "1", partition(0).topic() + " 0 1"),
                Files.readAllLines(dir.resolve(LogDirectory.RECOVERY_POINT_CHECKPOINT)));
    }

    private static long countPartitionDirs(final Path root) {
        try (var entries = Files.list(root)) {
            return entries.filter(Files::isDirectory).filter(p -> p.getFileName().toString().startsWith("topic-"))
                    .count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
