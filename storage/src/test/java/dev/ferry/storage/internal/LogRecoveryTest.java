package dev.ferry.storage.internal;

import static dev.ferry.storage.internal.StorageTestSupport.asStored;
import static dev.ferry.storage.internal.StorageTestSupport.batchOffsets;
import static dev.ferry.storage.internal.StorageTestSupport.bytes;
import static dev.ferry.storage.internal.StorageTestSupport.drain;
import static dev.ferry.storage.internal.StorageTestSupport.logConfig;
import static dev.ferry.storage.internal.StorageTestSupport.open;
import static dev.ferry.storage.internal.StorageTestSupport.split;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.AppendResult;
import dev.ferry.storage.AppendResult.Status;
import dev.ferry.storage.Log;
import dev.ferry.storage.LogConfig;
import dev.ferry.storage.TimestampOffset;
import dev.ferry.storage.TopicPartition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restarts, clean and not: what survives, what is cut, what is rebuilt. */
class LogRecoveryTest {

    private static final TopicPartition PARTITION = new TopicPartition("events", 2);
    private static final long NOW = 1_700_000_000_000L;
    private static final LogConfig CONFIG = logConfig(600, 150);

    @TempDir
    Path dir;

    private DefaultLogManager manager;
    private final List<byte[]> appended = new ArrayList<>();

    @AfterEach
    void closeManager() {
        if (manager != null) {
            manager.close();
        }
    }

    private DefaultLog log() {
        if (manager == null) {
            manager = open(dir);
        }
        return (DefaultLog) manager.getOrCreateLog(PARTITION, CONFIG);
    }

    /** Appends {@code count} batches of three records from producer 5, remembering how each is stored. */
    private void appendBatches(final int count) {
        final DefaultLog log = log();
        for (int i = 0; i < count; i++) {
            final int sequence = (int) log.logEndOffset();
            final ByteBuffer batch = TestBatches.batch().producer(5, 0, sequence).record(NOW + sequence, "a")
                    .record(NOW + sequence + 1, "b").record(NOW + sequence + 2, "c").build();
            final byte[] original = bytes(batch);
            final AppendResult result = log.append(batch, NOW);
            assertEquals(Status.OK, result.status());
            appended.add(asStored(ByteBuffer.wrap(original), result.baseOffset()));
        }
    }

    private ByteBuffer retryOf(final int batch) {
        final ByteBuffer copy = ByteBuffer.wrap(appended.get(batch).clone());
        copy.putLong(0, 0);
        return copy;
    }

    private void restartCleanly() {
        manager.close();
        manager = open(dir);
    }

    private void crashAndRestart() {
        manager.halt();
        manager = open(dir);
    }

    private void assertLogHolds(final int batches) {
        final Log log = log();
        assertEquals(3L * batches, log.logEndOffset());
        final List<byte[]> stored = new ArrayList<>();
        long offset = 0;
        while (offset < log.logEndOffset()) {
            final byte[] read = drain(log.read(offset, 10_000, true));
            stored.addAll(split(read));
            offset = batchOffsets(read).get(batchOffsets(read).size() - 1)[1] + 1;
        }
        assertEquals(batches, stored.size());
        for (int i = 0; i < batches; i++) {
            assertArrayEquals(appended.get(i), stored.get(i), "batch " + i);
        }
    }

    private Path activeSegmentFile() throws IOException {
        try (var files = Files.list(dir.resolve(PARTITION.dirName()))) {
            return files.filter(file -> file.toString().endsWith(".log")).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    @Test
    void shouldKeepDataOffsetsAndProducerStateAcrossACleanRestart() {
        appendBatches(20);
        final int segments = log().segmentCount();
        assertTrue(segments > 2);
        restartCleanly();
        assertTrue(manager.logs().stream().anyMatch(log -> log.topicPartition().equals(PARTITION)));
        assertEquals(0, manager.openSegmentCount(), "a log nobody touched costs no file");
        assertLogHolds(20);
        assertEquals(segments, log().segmentCount());
        final AppendResult retry = log().append(retryOf(19), NOW);
        assertEquals(new AppendResult(Status.DUPLICATE, 57, 59, NOW + 59, 0), retry);
        appendBatches(1);
        assertLogHolds(21);
        assertEquals(new TimestampOffset(NOW + 62, 62), log().maxTimestamp());
    }

    @Test
    void shouldKeepEverythingWrittenBeforeACrash() {
        appendBatches(20);
        crashAndRestart();
        assertLogHolds(20);
        assertEquals(Status.DUPLICATE, log().append(retryOf(17), NOW).status());
        assertEquals(Status.OUT_OF_ORDER_SEQUENCE, log().append(TestBatches.batch().producer(5, 0, 61)
                .record(NOW, "x").build(), NOW).status());
        appendBatches(2);
        assertLogHolds(22);
        assertEquals(new TimestampOffset(NOW + 30, 30), log().offsetForTimestamp(NOW + 30));
    }

    @Test
    void shouldRecoverOnlyTheSegmentsFromTheCheckpointedRecoveryPointAfterACrash() throws Exception {
        appendBatches(20);
        final int segments = log().segmentCount();
        assertTrue(segments >= 3);
        // each roll's background flush moves the recovery point to the new active segment; the pass checkpoints it
        manager.awaitBackgroundTasks();
        manager.flushPass();
        crashAndRestart();
        assertEquals(1, log().recoveredSegmentCount(), "only the active segment is past the recovery point");
        assertEquals(segments, log().segmentCount());
        assertLogHolds(20);
    }

    @Test
    void shouldRecoverEverySegmentWhenNoRecoveryPointWasCheckpointed() {
        appendBatches(20);
        final int segments = log().segmentCount();
        crashAndRestart();
        assertEquals(segments, log().recoveredSegmentCount());
        assertLogHolds(20);
    }

    @Test
    void shouldMakeARecoveredTailDurableInTheBackgroundSoThatTheNextCrashSkipsIt() throws Exception {
        appendBatches(20);
        final int segments = log().segmentCount();
        crashAndRestart();
        assertEquals(segments, log().recoveredSegmentCount());
        manager.awaitBackgroundTasks();
        assertEquals(60, log().recoveryPoint());
        manager.flushPass();
        crashAndRestart();
        assertEquals(1, log().recoveredSegmentCount());
        assertEquals(Status.DUPLICATE, log().append(retryOf(19), NOW).status());
        assertLogHolds(20);
    }

    @Test
    void shouldNeitherRecoverNorFlushAnythingAfterACleanShutdown() throws Exception {
        appendBatches(20);
        restartCleanly();
        assertEquals(0, log().recoveredSegmentCount());
        assertEquals(60, log().recoveryPoint());
        assertLogHolds(20);
    }

    @Test
    void shouldCutATornBatchAfterACrashAndContinueFromTheLastWholeOne() throws IOException {
        appendBatches(20);
        final Path active = activeSegmentFile();
        crashAndRestartWith(() -> truncateBy(active, 10));
        assertLogHolds(19);
        appendBatches(1);
        assertLogHolds(20);
        restartCleanly();
        assertLogHolds(20);
    }

    @Test
    void shouldCutATornBatchFoundAfterACleanShutdown() throws IOException {
        appendBatches(20);
        manager.close();
        truncateBy(activeSegmentFile(), 25);
        manager = open(dir);
        assertLogHolds(19);
        appendBatches(1);
        assertLogHolds(20);
    }

    @Test
    void shouldCutGarbageAppendedToTheActiveSegment() throws IOException {
        appendBatches(6);
        manager.close();
        final byte[] garbage = new byte[100];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = (byte) (i * 7 + 3);
        }
        Files.write(activeSegmentFile(), garbage, StandardOpenOption.APPEND);
        manager = open(dir);
        assertLogHolds(6);
        appendBatches(2);
        crashAndRestart();
        assertLogHolds(8);
    }

    @Test
    void shouldCutABatchWhoseCrcDoesNotMatchAfterACrash() throws IOException {
        appendBatches(8);
        final Path active = activeSegmentFile();
        final long size = Files.size(active);
        crashAndRestartWith(() -> {
            try (FileChannel channel = FileChannel.open(active, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(new byte[] {(byte) 0xEE}), size - 2);
            }
        });
        assertLogHolds(7);
    }

    @Test
    void shouldDropSegmentsAfterATornOneWhenRecovering() throws IOException {
        appendBatches(20);
        final List<Path> segments;
        try (var files = Files.list(dir.resolve(PARTITION.dirName()))) {
            segments = files.filter(file -> file.toString().endsWith(".log")).sorted().toList();
        }
        assertTrue(segments.size() >= 3);
        final Path second = segments.get(1);
        final long firstBatches = Files.size(segments.get(0)) / appended.get(0).length;
        final long secondBatches = Files.size(second) / appended.get(0).length;
        crashAndRestartWith(() -> truncateBy(second, appended.get(0).length + 5));
        assertLogHolds((int) (firstBatches + secondBatches - 2));
        for (int i = 2; i < segments.size(); i++) {
            assertFalse(Files.exists(segments.get(i)), segments.get(i) + " follows the torn segment");
        }
        appendBatches(3);
        assertLogHolds((int) (firstBatches + secondBatches + 1));
    }

    @Test
    void shouldRebuildMissingAndCorruptIndexes() throws IOException {
        appendBatches(20);
        manager.close();
        final Path partitionDir = dir.resolve(PARTITION.dirName());
        Files.delete(partitionDir.resolve("00000000000000000000.index"));
        final Path secondTimeIndex;
        try (var files = Files.list(partitionDir)) {
            secondTimeIndex = files.filter(file -> file.toString().endsWith(".timeindex")).sorted().skip(1)
                    .findFirst().orElseThrow();
        }
        Files.write(secondTimeIndex, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13});
        final Path lastIndex;
        try (var files = Files.list(partitionDir)) {
            lastIndex = files.filter(file -> file.toString().endsWith(".index")).sorted().reduce((a, b) -> b)
                    .orElseThrow();
        }
        Files.write(lastIndex, ByteBuffer.allocate(16).putInt(1).putInt(999_999).putInt(0).putInt(5).array());
        manager = open(dir);
        assertLogHolds(20);
        for (int offset = 0; offset < 60; offset += 7) {
            final List<long[]> first = batchOffsets(drain(log().read(offset, 1, true)));
            assertEquals(offset / 3 * 3L, first.get(0)[0], "read at " + offset);
        }
        assertEquals(new TimestampOffset(NOW + 40, 40), log().offsetForTimestamp(NOW + 40));
        assertTrue(Files.size(partitionDir.resolve("00000000000000000000.index")) > 0, "index rebuilt on disk");
    }

    @Test
    void shouldStayMarkedUncleanUntilEveryLogIsRecovered() {
        appendBatches(4);
        manager.halt();
        manager = open(dir);
        manager.close();
        assertFalse(Files.exists(dir.resolve(LogDirectory.CLEAN_SHUTDOWN_MARKER)), "the log was never recovered");
        manager = open(dir);
        assertLogHolds(4);
        manager.close();
        assertTrue(Files.exists(dir.resolve(LogDirectory.CLEAN_SHUTDOWN_MARKER)));
        manager = open(dir);
        assertFalse(Files.exists(dir.resolve(LogDirectory.CLEAN_SHUTDOWN_MARKER)), "removed while running");
    }

    @Test
    void shouldLeaveTheDirectoryUncleanWhenAFinalFlushFails() {
        appendBatches(2);
        log().directorySync(partitionDir -> {
            throw new IOException("device gone");
        });
        manager.close();
        assertFalse(Files.exists(dir.resolve(LogDirectory.CLEAN_SHUTDOWN_MARKER)), "the flush failed");
        manager = open(dir);
        assertLogHolds(2);
    }

    @Test
    void shouldRefuseADirectoryAlreadyInUse() {
        appendBatches(1);
        assertThrows(UncheckedIOException.class, () -> open(dir));
    }

    private interface FileDamage {
        void apply() throws IOException;
    }

    private void crashAndRestartWith(final FileDamage damage) throws IOException {
        manager.halt();
        damage.apply();
        manager = open(dir);
    }

    private static void truncateBy(final Path file, final long bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - bytes);
        }
    }
}
