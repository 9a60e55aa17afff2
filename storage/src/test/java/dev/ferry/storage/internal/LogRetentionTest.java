package dev.ferry.storage.internal;

import static dev.ferry.storage.internal.StorageTestSupport.batchOffsets;
import static dev.ferry.storage.internal.StorageTestSupport.drain;
import static dev.ferry.storage.internal.StorageTestSupport.logConfig;
import static dev.ferry.storage.internal.StorageTestSupport.open;
import static dev.ferry.storage.internal.StorageTestSupport.withRetention;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.FetchSlice;
import dev.ferry.storage.LogConfig;
import dev.ferry.storage.OffsetOutOfRangeException;
import dev.ferry.storage.TopicPartition;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogRetentionTest {

    private static final TopicPartition PARTITION = new TopicPartition("metrics", 0);
    private static final long DAY = 24 * 3600 * 1000L;
    private static final long NOW = System.currentTimeMillis();
    private static final int BATCH_SIZE = TestBatches.sized(100, NOW).remaining();
    /** Five batches per segment. */
    private static final LogConfig CONFIG = logConfig(5L * BATCH_SIZE, 4096);

    @TempDir
    Path dir;

    private DefaultLogManager manager;

    @AfterEach
    void closeManager() {
        if (manager != null) {
            manager.close();
        }
    }

    private DefaultLog log(final LogConfig config) {
        if (manager == null) {
            manager = open(dir);
        }
        return (DefaultLog) manager.getOrCreateLog(PARTITION, config);
    }

    private void append(final DefaultLog log, final int batches, final long timestamp) {
        for (int i = 0; i < batches; i++) {
            log.append(TestBatches.sized(100, timestamp), NOW);
        }
    }

    private Path segmentFile(final long baseOffset) {
        return dir.resolve(PARTITION.dirName()).resolve(SegmentFiles.name(baseOffset, SegmentFiles.LOG_SUFFIX));
    }

    @Test
    void shouldDeleteSegmentsWhoseNewestRecordIsOlderThanRetentionMs() {
        final DefaultLog log = log(withRetention(CONFIG, DAY, -1));
        append(log, 10, NOW - 3 * DAY);
        append(log, 7, NOW - 1000);
        assertEquals(4, log.segmentCount());
        manager.retentionPass();
        assertEquals(2, log.segmentCount());
        assertEquals(10, log.logStartOffset());
        assertEquals(17, log.logEndOffset());
        assertFalse(Files.exists(segmentFile(0)));
        assertFalse(Files.exists(segmentFile(5)));
        assertTrue(Files.exists(segmentFile(10)));
        assertThrows(OffsetOutOfRangeException.class, () -> log.read(9, 10_000, true));
        assertEquals(10, batchOffsets(drain(log.read(10, 100_000, true))).get(0)[0]);
    }

    @Test
    void shouldRollAndDeleteTheActiveSegmentWhenEverythingExpired() {
        final DefaultLog log = log(withRetention(CONFIG, DAY, -1));
        append(log, 7, NOW - 2 * DAY);
        manager.retentionPass();
        assertEquals(7, log.logStartOffset());
        assertEquals(7, log.logEndOffset());
        assertEquals(1, log.segmentCount());
        assertEquals(0, log.sizeInBytes());
        assertFalse(Files.exists(segmentFile(0)));
        assertFalse(Files.exists(segmentFile(5)));
        assertEquals(7, log.append(TestBatches.records(1, NOW), NOW).baseOffset());
        assertTrue(Files.exists(segmentFile(7)));
    }

    @Test
    void shouldDeleteTheOldestSegmentsWhileTheLogExceedsRetentionBytes() {
        final DefaultLog log = log(withRetention(CONFIG, -1, 8L * BATCH_SIZE));
        append(log, 17, NOW);
        assertEquals(17L * BATCH_SIZE, log.sizeInBytes());
        manager.retentionPass();
        assertEquals(5, log.logStartOffset(), "deleting the second segment too would go below the limit");
        assertEquals(12L * BATCH_SIZE, log.sizeInBytes());
        assertFalse(Files.exists(segmentFile(0)));
        assertTrue(Files.exists(segmentFile(5)));
        append(log, 3, NOW);
        manager.retentionPass();
        assertEquals(10, log.logStartOffset());
        assertEquals(10L * BATCH_SIZE, log.sizeInBytes());
        manager.retentionPass();
        assertEquals(10, log.logStartOffset(), "a log within its size keeps its segments");
    }

    @Test
    void shouldMoveTheLogStartAndDeleteWholeSegmentsBelowIt() {
        final DefaultLog log = log(CONFIG);
        append(log, 12, NOW);
        assertEquals(7, log.deleteRecordsBefore(7));
        assertFalse(Files.exists(segmentFile(0)));
        assertTrue(Files.exists(segmentFile(5)), "the segment holding the new start stays");
        assertThrows(OffsetOutOfRangeException.class, () -> log.read(6, 10_000, true));
        assertEquals(7, batchOffsets(drain(log.read(7, 10_000, true))).get(0)[0]);
        assertEquals(7, log.deleteRecordsBefore(3), "the log start never moves back");
        assertThrows(OffsetOutOfRangeException.class, () -> log.deleteRecordsBefore(13));
        assertThrows(OffsetOutOfRangeException.class, () -> log.deleteRecordsBefore(-1));
        assertEquals(12, log.deleteRecordsBefore(12));
        assertEquals(0, log.read(12, 1000, true).length());
    }

    @Test
    void shouldPersistTheLogStartAcrossACleanRestartAndACrash() {
        append(log(CONFIG), 12, NOW);
        log(CONFIG).deleteRecordsBefore(8);
        manager.close();
        manager = open(dir);
        assertEquals(8, log(CONFIG).logStartOffset());
        log(CONFIG).deleteRecordsBefore(9);
        manager.halt();
        manager = open(dir);
        assertEquals(9, log(CONFIG).logStartOffset());
        assertThrows(OffsetOutOfRangeException.class, () -> log(CONFIG).read(8, 1000, true));
        assertEquals(12, log(CONFIG).logEndOffset());
    }

    @Test
    void shouldKeepAnOpenSliceReadableWhileRetentionDeletesItsSegment() throws Exception {
        final DefaultLog log = log(withRetention(CONFIG, DAY, -1));
        append(log, 5, NOW - 3 * DAY);
        append(log, 2, NOW);
        // settles the background flush that followed the roll, which would hold a reference of its own
        log.flush();
        final byte[] expected = drain(log.read(0, 3 * BATCH_SIZE, true));
        final FetchSlice slice = log.read(0, 3 * BATCH_SIZE, true);
        final int openBefore = manager.openSegmentCount();
        manager.retentionPass();
        assertFalse(Files.exists(segmentFile(0)));
        assertEquals(5, log.logStartOffset());
        final ByteBuffer bytes = ByteBuffer.allocate(slice.length());
        slice.channel().read(bytes, slice.position());
        assertArrayEquals(expected, bytes.array());
        assertEquals(openBefore, manager.openSegmentCount(), "still open for the slice");
        slice.close();
        manager.awaitBackgroundTasks();
        assertEquals(openBefore - 1, manager.openSegmentCount());
        slice.close();
        manager.awaitBackgroundTasks();
        assertEquals(openBefore - 1, manager.openSegmentCount(), "closing twice releases once");
    }

    @Test
    void shouldApplyNewRetentionSettingsOnTheNextPass() {
        final DefaultLog log = log(CONFIG);
        append(log, 12, NOW - 3 * DAY);
        manager.retentionPass();
        assertEquals(0, log.logStartOffset());
        log.updateConfig(withRetention(CONFIG, DAY, -1));
        manager.retentionPass();
        assertEquals(12, log.logStartOffset());
    }
}
