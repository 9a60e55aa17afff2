package dev.ferry.storage.internal;

import static dev.ferry.storage.internal.StorageTestSupport.NEVER_MS;
import static dev.ferry.storage.internal.StorageTestSupport.bytes;
import static dev.ferry.storage.internal.StorageTestSupport.logConfig;
import static dev.ferry.storage.internal.StorageTestSupport.storage;
import static dev.ferry.storage.internal.StorageTestSupport.withRetention;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.AppendResult;
import dev.ferry.storage.AppendResult.Status;
import dev.ferry.storage.LogConfig;
import dev.ferry.storage.StorageConfig;
import dev.ferry.storage.TopicPartition;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Idempotent-producer state across restarts: snapshots, the replay of the log after them, fallbacks, expiry. */
class ProducerStateRecoveryTest {

    private static final TopicPartition PARTITION = new TopicPartition("payments", 1);
    private static final long NOW = 1_700_000_000_000L;
    /** About six batches of three records per segment. */
    private static final LogConfig SMALL_SEGMENTS = logConfig(600, 150);
    /** About sixteen batches per segment. */
    private static final LogConfig LARGER_SEGMENTS = logConfig(1_500, 150);

    @TempDir
    Path dir;

    private DefaultLogManager manager;
    private StorageConfig storageConfig;
    private LogConfig logConfig = SMALL_SEGMENTS;
    private final Map<Long, List<Sent>> sent = new HashMap<>();

    /** A batch as the producer sent it, before the log rewrote its header, and where it landed. */
    private record Sent(long producerId, int firstSequence, byte[] original, AppendResult result) {
    }

    @AfterEach
    void closeManager() {
        if (manager != null) {
            manager.close();
        }
    }

    private DefaultLog log() {
        if (manager == null) {
            manager = DefaultLogManager.open(storageConfig != null ? storageConfig : storage(dir, 64));
        }
        return (DefaultLog) manager.getOrCreateLog(PARTITION, logConfig);
    }

    private Path partitionDir() {
        return dir.resolve(PARTITION.dirName());
    }

    /** Appends the producer's next batch of three records at epoch 0, as of {@code nowMs}. */
    private Sent append(final long producerId, final long nowMs) {
        final List<Sent> earlier = sent.computeIfAbsent(producerId, id -> new ArrayList<>());
        final int sequence = 3 * earlier.size();
        final ByteBuffer batch = TestBatches.batch().producer(producerId, 0, sequence).record(NOW + sequence, "a")
                .record(NOW + sequence, "b").record(NOW + sequence + 1, "c").build();
        final byte[] original = bytes(batch);
        final AppendResult result = log().append(batch, nowMs);
        assertEquals(Status.OK, result.status());
        final Sent batchSent = new Sent(producerId, sequence, original, result);
        earlier.add(batchSent);
        return batchSent;
    }

    /** Appends {@code rounds} batches of each producer, one producer after the other. */
    private void appendRoundRobin(final int rounds, final long... producerIds) {
        for (int round = 0; round < rounds; round++) {
            for (long producerId : producerIds) {
                append(producerId, NOW);
            }
        }
    }

    private AppendResult retry(final Sent batch) {
        return log().append(ByteBuffer.wrap(batch.original().clone()), NOW);
    }

    /** The producer's {@code back}th newest batch, 0 being the newest. */
    private Sent newest(final long producerId, final int back) {
        final List<Sent> batches = sent.get(producerId);
        return batches.get(batches.size() - 1 - back);
    }

    private void assertRetriesOfTheLastFiveAreDuplicates(final long producerId) {
        final long end = log().logEndOffset();
        for (int back = 0; back < ProducerEntry.BATCHES_RETAINED; back++) {
            final Sent original = newest(producerId, back);
            final AppendResult retry = retry(original);
            assertEquals(new AppendResult(Status.DUPLICATE, original.result().baseOffset(),
                    original.result().lastOffset(), NOW + original.firstSequence() + 1, log().logStartOffset()),
                    retry, "retry of the batch " + back + " back of producer " + producerId);
        }
        assertEquals(end, log().logEndOffset(), "nothing was appended twice");
    }

    private void crashAndRestart() {
        manager.halt();
        manager = null;
    }

    private void awaitBackgroundTasks() throws Exception {
        manager.awaitBackgroundTasks();
    }

    /** What the log remembers of each producer, sorted by producer id. */
    private List<String> producerState() {
        return log().producerEntries().stream().sorted((a, b) -> Long.compare(a.producerId(), b.producerId()))
                .map(ProducerEntry::toString).toList();
    }

    private List<Long> snapshotOffsets() throws IOException {
        try (Stream<Path> files = Files.list(partitionDir())) {
            return files.map(file -> ProducerSnapshotFile.offsetOf(file.getFileName().toString()))
                    .filter(offset -> offset >= 0).sorted().toList();
        }
    }

    private List<Long> segmentBaseOffsets() throws IOException {
        try (Stream<Path> files = Files.list(partitionDir())) {
            return files.map(file -> SegmentFiles.baseOffset(file.getFileName().toString(), SegmentFiles.LOG_SUFFIX))
                    .filter(offset -> offset >= 0).sorted().toList();
        }
    }

    private void damage(final long snapshotOffset) throws IOException {
        final Path file = ProducerSnapshotFile.path(partitionDir(), snapshotOffset);
        final byte[] content = Files.readAllBytes(file);
        content[content.length / 2] ^= 0x40;
        Files.write(file, content);
    }

    @Test
    void shouldAnswerARetryOfAnyOfTheLastFiveBatchesOfEachProducerWithItsOriginalOffsetsAfterACrash()
            throws Exception {
        appendRoundRobin(8, 11, 12, 13);
        awaitBackgroundTasks();
        assertTrue(log().segmentCount() >= 3);
        assertFalse(snapshotOffsets().isEmpty());

        crashAndRestart();

        for (long producerId : new long[] {11, 12, 13}) {
            assertRetriesOfTheLastFiveAreDuplicates(producerId);
            final AppendResult forgotten = retry(newest(producerId, ProducerEntry.BATCHES_RETAINED));
            assertEquals(Status.OUT_OF_ORDER_SEQUENCE, forgotten.status(), "the sixth newest batch is not retained");
        }
        final int next = newest(11, 0).firstSequence() + 3;
        assertEquals(Status.OUT_OF_ORDER_SEQUENCE, log().append(TestBatches.batch().producer(11, 0, next + 1)
                .record(NOW, "gap").build(), NOW).status());
        assertEquals(Status.OK, log().append(TestBatches.batch().producer(11, 0, next).record(NOW, "next").build(),
                NOW).status());
    }

    @Test
    void shouldRememberAProducerWhoseBatchesAreOlderThanTheLastTwoSegments() throws Exception {
        appendRoundRobin(5, 21);
        appendRoundRobin(30, 22);
        awaitBackgroundTasks();
        assertTrue(log().segmentCount() > 4);

        crashAndRestart();

        assertRetriesOfTheLastFiveAreDuplicates(21);
        assertRetriesOfTheLastFiveAreDuplicates(22);
    }

    @Test
    void shouldLoadTheSameStateFromASnapshotAndTheTailAsFromAFullRebuild() throws Exception {
        logConfig = LARGER_SEGMENTS;
        appendRoundRobin(3, 31, 32);
        appendRoundRobin(12, 31, 33, 34);
        // a new epoch starts again at sequence 0 and forgets the old epoch's batches
        assertEquals(Status.OK, log().append(TestBatches.batch().producer(32, 1, 0).record(NOW, "x").build(), NOW)
                .status());
        awaitBackgroundTasks();
        assertTrue(log().segmentCount() >= 3);
        final List<String> live = producerState();
        assertEquals(4, live.size());

        crashAndRestart();
        assertEquals(live, producerState(), "loaded from the newest snapshot and the batches after it");

        crashAndRestart();
        for (long offset : snapshotOffsets()) {
            Files.delete(ProducerSnapshotFile.path(partitionDir(), offset));
        }
        assertEquals(live, producerState(), "rebuilt from the batches of the last two segments");
    }

    @Test
    void shouldStartFromTheNewestSnapshotAndReplayOnlyTheBatchesAfterIt() throws Exception {
        while (log().segmentCount() < 3) {
            append(41, NOW);
        }
        append(41, NOW);
        awaitBackgroundTasks();
        final long snapshotOffset = segmentBaseOffsets().get(2);
        assertEquals(snapshotOffset, snapshotOffsets().get(snapshotOffsets().size() - 1));
        // replace the snapshot by one that remembers a batch the log never held: only a load that starts from the
        // snapshot and replays nothing before its offset ends up with it among the last five
        final ProducerStateTable planted = new ProducerStateTable();
        planted.replay(41, (short) 0, 500, 502, 0, 2, NOW + 7, NOW);
        Files.write(ProducerSnapshotFile.path(partitionDir(), snapshotOffset),
                ProducerSnapshotFile.encode(planted, snapshotOffset));

        crashAndRestart();

        final ProducerEntry entry = log().producerEntries().get(0);
        assertEquals(3, entry.batchCount(), "the planted batch and the two after the snapshot");
        assertEquals(500, entry.firstSequence(entry.slot(0)));
        assertEquals(newest(41, 1).firstSequence(), entry.firstSequence(entry.slot(1)));
        assertEquals(newest(41, 0).firstSequence(), entry.firstSequence(entry.slot(2)));
        assertEquals(Status.OUT_OF_ORDER_SEQUENCE, retry(newest(41, 2)).status(), "replayed from before the snapshot");
    }

    @Test
    void shouldFallBackToTheOlderSnapshotWhenTheNewestIsDamagedAndToTheLastTwoSegmentsWhenBothAre()
            throws Exception {
        logConfig = LARGER_SEGMENTS;
        appendRoundRobin(20, 51, 52);
        awaitBackgroundTasks();
        final List<Long> snapshots = snapshotOffsets();
        assertEquals(ProducerSnapshots.RETAINED, snapshots.size());
        final List<String> live = producerState();

        crashAndRestart();
        damage(snapshots.get(1));
        assertEquals(live, producerState());
        final long end = log().logEndOffset();
        awaitBackgroundTasks();
        assertEquals(List.of(snapshots.get(0), end), snapshotOffsets(),
                "the damaged snapshot is deleted and the recovered log snapshotted at its end");
        assertRetriesOfTheLastFiveAreDuplicates(51);

        crashAndRestart();
        for (long offset : snapshotOffsets()) {
            damage(offset);
        }
        assertEquals(live, producerState());
        awaitBackgroundTasks();
        assertEquals(List.of(end), snapshotOffsets(), "only the snapshot written after this recovery");
        assertRetriesOfTheLastFiveAreDuplicates(52);
    }

    @Test
    void shouldDeleteSnapshotsPastTheLogEndWhenLoading() throws Exception {
        appendRoundRobin(5, 55);
        final long end = log().logEndOffset();
        final ProducerStateTable stray = new ProducerStateTable();
        stray.replay(99, (short) 0, 0, 0, end + 5, end + 5, NOW, NOW);
        Files.write(ProducerSnapshotFile.path(partitionDir(), end + 10), ProducerSnapshotFile.encode(stray, end + 10));

        crashAndRestart();

        assertEquals(List.of(55L), log().producerEntries().stream().map(ProducerEntry::producerId).toList());
        assertEquals(List.of(), snapshotOffsets());
        assertRetriesOfTheLastFiveAreDuplicates(55);
    }

    @Test
    void shouldSnapshotAtEachRollAtCloseAndAfterATimedFlush() throws Exception {
        appendRoundRobin(20, 56);
        awaitBackgroundTasks();
        final List<Long> bases = segmentBaseOffsets();
        assertEquals(bases.subList(bases.size() - 2, bases.size()), snapshotOffsets(), "one per roll, newest two");

        manager.close();
        manager = null;
        assertEquals(log().logEndOffset(), snapshotOffsets().get(1), "closing snapshots the log end");

        logConfig = new LogConfig(600, Long.MAX_VALUE, -1, -1, Long.MAX_VALUE, 0, 150, 64 * 1024, false);
        final Sent last = append(56, NOW);
        manager.flushPass();
        assertEquals(last.result().lastOffset() + 1, snapshotOffsets().get(1), "the flusher snapshots what it flushed");
    }

    @Test
    void shouldDeleteSnapshotsOfSegmentsDeletedByDeleteRecordsAndKeepTheirProducers() throws Exception {
        appendRoundRobin(5, 61);
        appendRoundRobin(15, 62);
        awaitBackgroundTasks();
        final long activeBase = segmentBaseOffsets().get(segmentBaseOffsets().size() - 1);

        log().deleteRecordsBefore(activeBase);
        awaitBackgroundTasks();

        final List<Long> snapshots = snapshotOffsets();
        assertTrue(snapshots.stream().allMatch(offset -> offset >= activeBase), snapshots.toString());
        assertEquals(log().logEndOffset(), snapshots.get(snapshots.size() - 1));
        crashAndRestart();
        assertRetriesOfTheLastFiveAreDuplicates(61);
    }

    @Test
    void shouldDeleteSnapshotsOfSegmentsDeletedByRetention() throws Exception {
        appendRoundRobin(20, 63);
        awaitBackgroundTasks();
        final List<Long> before = snapshotOffsets();
        logConfig = withRetention(SMALL_SEGMENTS, -1, 1);
        log().updateConfig(logConfig);

        manager.retentionPass();
        awaitBackgroundTasks();

        final long firstBase = segmentBaseOffsets().get(0);
        assertEquals(before.get(1), firstBase, "retention left the active segment alone");
        assertEquals(List.of(firstBase, log().logEndOffset()), snapshotOffsets(),
                "the snapshot of a deleted segment is gone, one as of the log end taken");
        crashAndRestart();
        assertRetriesOfTheLastFiveAreDuplicates(63);
    }

    @Test
    void shouldForgetProducersIdleForTheExpirationTimeAndNotBringThemBackAfterACleanRestart() {
        storageConfig = new StorageConfig(List.of(dir), 64, NEVER_MS, NEVER_MS, 60_000);
        final long now = System.currentTimeMillis();
        final Sent idle = append(71, now - 120_000);
        append(72, now);
        append(73, now - 120_000);

        manager.producerExpirationPass();

        assertEquals(List.of(72L), log().producerEntries().stream().map(ProducerEntry::producerId).toList());
        final AppendResult again = log().append(ByteBuffer.wrap(idle.original().clone()), now);
        assertEquals(Status.OK, again.status(), "an expired producer's retry is taken as from a new producer");
        assertEquals(9, again.baseOffset());

        manager.close();
        manager = null;
        assertEquals(List.of(71L, 72L), log().producerEntries().stream().map(ProducerEntry::producerId).sorted()
                .toList());
    }
}
