package dev.ferry.storage.offsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.TopicPartition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetStoreTest {

    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition ORDERS_1 = new TopicPartition("orders", 1);
    private static final TopicPartition PAYMENTS_0 = new TopicPartition("payments", 0);
    private static final OffsetStoreConfig NO_AUTO_SNAPSHOT = new OffsetStoreConfig(false, Integer.MAX_VALUE);

    @TempDir
    Path dir;

    @Test
    void shouldReturnLatestCommitOfEachPartition() {
        try (OffsetStore store = OffsetStore.open(dir, NO_AUTO_SNAPSHOT)) {
            store.commit("billing", List.of(new OffsetCommit(ORDERS_0, 10, 3, "first", 1_000),
                    new OffsetCommit(ORDERS_1, 20, 3, null, 1_000)));
            store.commit("billing", List.of(new OffsetCommit(ORDERS_0, 15, 4, "second", 2_000)));
            store.commit("audit", List.of(new OffsetCommit(PAYMENTS_0, 7, -1, "", 3_000)));

            assertEquals(Map.of(ORDERS_0, new CommittedOffset(15, 4, "second", 2_000),
                    ORDERS_1, new CommittedOffset(20, 3, "", 1_000)), store.offsets("billing"));
            assertEquals(Optional.of(new CommittedOffset(7, -1, "", 3_000)), store.offset("audit", PAYMENTS_0));
            assertEquals(Optional.empty(), store.offset("audit", ORDERS_0));
            assertEquals(Map.of(), store.offsets("unknown"));
            assertEquals(Set.of("billing", "audit"), store.groups());
        }
    }

    @Test
    void shouldKeepOffsetsAcrossRestart() {
        try (OffsetStore store = OffsetStore.open(dir, NO_AUTO_SNAPSHOT)) {
            store.commit("billing", List.of(new OffsetCommit(ORDERS_0, 10, 3, "meta-ü", 1_000)));
            store.commit("billing", List.of(new OffsetCommit(ORDERS_0, 11, 3, "meta-ü", 1_100)));
            store.commit("audit", List.of(new OffsetCommit(PAYMENTS_0, 7, 1, "", 3_000)));
        }
        try (OffsetStore store = OffsetStore.open(dir, NO_AUTO_SNAPSHOT)) {
            assertEquals(Map.of(ORDERS_0, new CommittedOffset(11, 3, "meta-ü", 1_100)), store.offsets("billing"));
            assertEquals(Map.of(PAYMENTS_0, new CommittedOffset(7, 1, "", 3_000)), store.offsets("audit"));
            assertEquals(3, store.entriesReplayedOnOpen());
        }
    }

    @Test
    void shouldHoldEveryAcknowledgedCommitWhenProcessDiesWithoutClosing() throws IOException {
        final Path copy = dir.resolve("copy");
        try (OffsetStore store = OffsetStore.open(dir.resolve("live"), NO_AUTO_SNAPSHOT)) {
            for (int i = 0; i < 500; i++) {
                store.commit("group-" + (i % 7), List.of(new OffsetCommit(new TopicPartition("t", i % 13), i, 0,
                        "m" + i, i)));
            }
            // A copy taken while the store is open stands for the files a killed process leaves behind.
            copyTree(dir.resolve("live"), copy);
        }
        try (OffsetStore recovered = OffsetStore.open(copy, NO_AUTO_SNAPSHOT)) {
            assertEquals(500, recovered.entriesReplayedOnOpen());
            assertEquals(7, recovered.groups().size());
            for (int i = 500 - 7 * 13; i < 500; i++) {
                assertEquals(Optional.of(new CommittedOffset(i, 0, "m" + i, i)),
                        recovered.offset("group-" + (i % 7), new TopicPartition("t", i % 13)));
            }
        }
    }

    @Test
    void shouldKeepDeletionsAcrossRestart() {
        try (OffsetStore store = OffsetStore.open(dir, NO_AUTO_SNAPSHOT)) {
            store.commit("billing", List.of(new OffsetCommit(ORDERS_0, 10, 3, "", 1_000),
                    new OffsetCommit(ORDERS_1, 20, 3, "", 1_000), new OffsetCommit(PAYMENTS_0, 5, 3, "", 1_000)));
            store.commit("audit", List.of(new OffsetCommit(PAYMENTS_0, 7, 1, "", 3_000)));
            store.deleteOffsets("billing", List.of(ORDERS_1, PAYMENTS_0, new TopicPartition("absent", 0)));
            store.deleteGroup("audit");
            assertEquals(Map.of(ORDERS_0, new CommittedOffset(10, 3, "", 1_000)), store.offsets("billing"));
            assertEquals(Set.of("billing"), store.groups());
        }
        try (OffsetStore store = OffsetStore.open(dir, NO_AUTO_SNAPSHOT)) {
            assertEquals(Map.of(ORDERS_0, new CommittedOffset(10, 3, "", 1_000)), store.offsets("billing"));
            assertEquals(Set.of("billing"), store.groups());
            assertEquals(4, store.entriesReplayedOnOpen());
        }
    }

    @Test
    void shouldDropGroupOnceItsLastOffsetIsDeleted() {
        try (OffsetStore store = OffsetStore.open(dir, NO_AUTO_SNAPSHOT)) {
            store.commit("billing", List.of(new OffsetCommit(ORDERS_0, 10, 3, "", 1_000)));
            store.deleteOffsets("billing", List.of(ORDERS_0));
            assertEquals(Set.of(), store.groups());
        }
    }

    @Test
    void shouldExpireAllOffsetsOfGroupEmptyLongerThanRetention() {
        try (OffsetStore store = OffsetStore.open(dir, NO_AUTO_SNAPSHOT)) {
            store.commit("idle", List.of(new OffsetCommit(ORDERS_0, 1, 0, "", 100),
                    new OffsetCommit(ORDERS_1, 2, 0, "", 9_000)));
            store.commit("recent", List.of(new OffsetCommit(ORDERS_0, 3, 0, "", 100)));
            store.commit("active", List.of(new OffsetCommit(ORDERS_0, 4, 0, "", 100)));

            final Map<String, Set<TopicPartition>> expired = store.expireOffsets(
                    Map.of("idle", OptionalLong.of(5_000), "recent", OptionalLong.of(5_001)), 15_000, 10_000);

            assertEquals(Map.of("idle", Set.of(ORDERS_0, ORDERS_1)), expired);
            assertEquals(Set.of("recent", "active"), store.groups());
        }
        try (OffsetStore store = OffsetStore.open(dir, NO_AUTO_SNAPSHOT)) {
            assertEquals(Set.of("recent", "active"), store.groups());
        }
    }

    @Test
    void shouldExpireStandaloneOffsetsByTheirOwnCommitTime() {
        try (OffsetStore store = OffsetStore.open(dir, NO_AUTO_SNAPSHOT)) {
            store.commit("standalone", List.of(new OffsetCommit(ORDERS_0, 1, 0, "", 1_000),
                    new OffsetCommit(ORDERS_1, 2, 0, "", 5_000)));

            final Map<String, Set<TopicPartition>> expired =
                    store.expireOffsets(Map.of("standalone", OptionalLong.empty()), 11_000, 10_000);

            assertEquals(Map.of("standalone", Set.of(ORDERS_0)), expired);
            assertEquals(Map.of(ORDERS_1, new CommittedOffset(2, 0, "", 5_000)), store.offsets("standalone"));
        }
        try (OffsetStore store = OffsetStore.open(dir, NO_AUTO_SNAPSHOT)) {
            assertEquals(Map.of(ORDERS_1, new CommittedOffset(2, 0, "", 5_000)), store.offsets("standalone"));
        }
    }

    @Test
    void shouldReplayOnlyJournalWrittenAfterSnapshot() {
        try (OffsetStore store = OffsetStore.open(dir, NO_AUTO_SNAPSHOT)) {
            for (int i = 0; i < 1_000; i++) {
                store.commit("billing", List.of(new OffsetCommit(ORDERS_0, i, 0, "", i)));
            }
            store.deleteGroup("billing");
            store.commit("audit", List.of(new OffsetCommit(ORDERS_1, 1, 0, "", 1)));
            store.snapshot();
            store.commit("audit", List.of(new OffsetCommit(ORDERS_1, 2, 0, "", 2)));
            store.commit("billing", List.of(new OffsetCommit(ORDERS_0, 3, 0, "", 3)));
        }
        try (OffsetStore store = OffsetStore.open(dir, NO_AUTO_SNAPSHOT)) {
            assertEquals(2, store.entriesReplayedOnOpen());
            assertEquals(Map.of(ORDERS_1, new CommittedOffset(2, 0, "", 2)), store.offsets("audit"));
            assertEquals(Map.of(ORDERS_0, new CommittedOffset(3, 0, "", 3)), store.offsets("billing"));
        }
    }

    @Test
    void shouldSnapshotByItselfEveryIntervalEntries() {
        final OffsetStoreConfig everyTen = new OffsetStoreConfig(false, 10);
        try (OffsetStore store = OffsetStore.open(dir, everyTen)) {
            for (int i = 0; i < 25; i++) {
                store.commit("billing", List.of(new OffsetCommit(ORDERS_0, i, 0, "", i)));
            }
        }
        try (OffsetStore store = OffsetStore.open(dir, everyTen)) {
            assertEquals(5, store.entriesReplayedOnOpen());
            assertEquals(Optional.of(new CommittedOffset(24, 0, "", 24)), store.offset("billing", ORDERS_0));
        }
    }

    @Test
    void shouldKeepCommitsWhenSyncingEachOne() {
        final OffsetStoreConfig synced = new OffsetStoreConfig(true, 100);
        try (OffsetStore store = OffsetStore.open(dir, synced)) {
            store.commit("billing", List.of(new OffsetCommit(ORDERS_0, 42, 1, "x", 7)));
        }
        try (OffsetStore store = OffsetStore.open(dir, synced)) {
            assertEquals(Optional.of(new CommittedOffset(42, 1, "x", 7)), store.offset("billing", ORDERS_0));
        }
    }

    @Test
    void shouldKeepCommitsOfConcurrentThreads() throws Exception {
        final int threads = 4;
        final int commitsPerThread = 300;
        final CountDownLatch start = new CountDownLatch(1);
        final ExecutorService executor = Executors.newFixedThreadPool(threads);
        try (OffsetStore store = OffsetStore.open(dir, new OffsetStoreConfig(false, 250))) {
            final List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final String group = "group-" + t;
                done.add(executor.submit(() -> {
                    start.await();
                    for (int i = 0; i < commitsPerThread; i++) {
                        store.commit(group, List.of(new OffsetCommit(new TopicPartition("t", i % 10), i, 0, "", i)));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            executor.shutdown();
        }
        try (OffsetStore store = OffsetStore.open(dir, new OffsetStoreConfig(false, 250))) {
            assertEquals(threads * commitsPerThread % 250, store.entriesReplayedOnOpen());
            for (int t = 0; t < threads; t++) {
                for (int i = commitsPerThread - 10; i < commitsPerThread; i++) {
                    assertEquals(Optional.of(new CommittedOffset(i, 0, "", i)),
                            store.offset("group-" + t, new TopicPartition("t", i % 10)));
                }
            }
        }
    }

    @Test
    void shouldRejectUseAfterClose() {
        final OffsetStore store = OffsetStore.open(dir, NO_AUTO_SNAPSHOT);
        store.close();
        final IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> store.commit("billing", List.of(new OffsetCommit(ORDERS_0, 1, 0, "", 1))));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void shouldSaveReplaceAndDeleteGroupStates() {
        try (OffsetStore store = OffsetStore.open(dir, NO_AUTO_SNAPSHOT)) {
            final byte[] saved = {1, 2, 3};
            store.saveGroupState("billing", saved);
            store.saveGroupState("audit", new byte[0]);
            saved[0] = 99;
            assertStates(Map.of("billing", new byte[] {1, 2, 3}, "audit", new byte[0]), store.groupStates());

            store.saveGroupState("billing", new byte[] {4, 5});
            store.groupStates().get("billing")[0] = 99;
            assertStates(Map.of("billing", new byte[] {4, 5}, "audit", new byte[0]), store.groupStates());

            store.deleteGroupState("audit");
            store.deleteGroupState("unknown");
            assertStates(Map.of("billing", new byte[] {4, 5}), store.groupStates());
            assertEquals(Set.of(), store.groups(), "a state alone does not make a group hold offsets");
        }
    }

    @Test
    void shouldKeepGroupStatesAndOffsetsApart() {
        try (OffsetStore store = OffsetStore.open(dir, NO_AUTO_SNAPSHOT)) {
            store.commit("billing", List.of(new OffsetCommit(ORDERS_0, 10, 3, "", 1_000)));
            store.saveGroupState("billing", new byte[] {7});

            store.deleteGroupState("billing");
            assertEquals(Map.of(ORDERS_0, new CommittedOffset(10, 3, "", 1_000)), store.offsets("billing"));

            store.saveGroupState("billing", new byte[] {8});
            store.deleteOffsets("billing", List.of(ORDERS_0));
            assertEquals(Set.of(), store.groups());
            assertStates(Map.of("billing", new byte[] {8}), store.groupStates());
        }
    }

    @Test
    void shouldKeepGroupStatesAcrossRestart() {
        try (OffsetStore store = OffsetStore.open(dir, NO_AUTO_SNAPSHOT)) {
            store.saveGroupState("billing", new byte[] {1});
            store.commit("billing", List.of(new OffsetCommit(ORDERS_0, 10, 3, "", 1_000)));
            store.saveGroupState("audit", new byte[] {2, 2});
            store.saveGroupState("billing", new byte[] {3, 3, 3});
            store.saveGroupState("idle", new byte[] {4});
            store.deleteGroupState("idle");
        }
        try (OffsetStore store = OffsetStore.open(dir, NO_AUTO_SNAPSHOT)) {
            assertEquals(6, store.entriesReplayedOnOpen());
            assertStates(Map.of("billing", new byte[] {3, 3, 3}, "audit", new byte[] {2, 2}), store.groupStates());
            assertEquals(Map.of(ORDERS_0, new CommittedOffset(10, 3, "", 1_000)), store.offsets("billing"));
        }
    }

    @Test
    void shouldRestoreGroupStatesFromSnapshotWithoutReplay() {
        try (OffsetStore store = OffsetStore.open(dir, NO_AUTO_SNAPSHOT)) {
            store.saveGroupState("billing", new byte[] {1, 2});
            store.saveGroupState("audit", new byte[] {3});
            store.commit("audit", List.of(new OffsetCommit(PAYMENTS_0, 7, 1, "", 3_000)));
            store.snapshot();
        }
        try (OffsetStore store = OffsetStore.open(dir, NO_AUTO_SNAPSHOT)) {
            assertEquals(0, store.entriesReplayedOnOpen());
            assertStates(Map.of("billing", new byte[] {1, 2}, "audit", new byte[] {3}), store.groupStates());
            assertEquals(Map.of(PAYMENTS_0, new CommittedOffset(7, 1, "", 3_000)), store.offsets("audit"));
        }
    }

    @Test
    void shouldReplayStateChangesAfterSnapshotInOrderWithCommits() {
        try (OffsetStore store = OffsetStore.open(dir, NO_AUTO_SNAPSHOT)) {
            store.saveGroupState("billing", new byte[] {1});
            store.saveGroupState("audit", new byte[] {2});
            store.snapshot();
            store.deleteGroupState("billing");
            store.commit("audit", List.of(new OffsetCommit(PAYMENTS_0, 7, 1, "", 3_000)));
            store.saveGroupState("audit", new byte[] {3});
            store.deleteGroup("audit");
            store.saveGroupState("audit", new byte[] {4});
        }
        try (OffsetStore store = OffsetStore.open(dir, NO_AUTO_SNAPSHOT)) {
            assertEquals(5, store.entriesReplayedOnOpen());
            assertStates(Map.of("audit", new byte[] {4}), store.groupStates());
            assertEquals(Map.of(), store.offsets("audit"));
        }
    }

    @Test
    void shouldDeleteOffsetsAndStateWithGroup() {
        try (OffsetStore store = OffsetStore.open(dir, NO_AUTO_SNAPSHOT)) {
            store.commit("billing", List.of(new OffsetCommit(ORDERS_0, 10, 3, "", 1_000)));
            store.saveGroupState("billing", new byte[] {1});
            store.saveGroupState("state-only", new byte[] {2});
            store.saveGroupState("audit", new byte[] {3});

            store.deleteGroup("billing");
            store.deleteGroup("state-only");

            assertEquals(Set.of(), store.groups());
            assertStates(Map.of("audit", new byte[] {3}), store.groupStates());
        }
        try (OffsetStore store = OffsetStore.open(dir, NO_AUTO_SNAPSHOT)) {
            assertEquals(6, store.entriesReplayedOnOpen());
            assertEquals(Map.of(), store.offsets("billing"));
            assertStates(Map.of("audit", new byte[] {3}), store.groupStates());
        }
    }

    @Test
    void shouldLeaveGroupStatesAloneWhenOffsetsExpire() {
        try (OffsetStore store = OffsetStore.open(dir, NO_AUTO_SNAPSHOT)) {
            store.commit("idle", List.of(new OffsetCommit(ORDERS_0, 1, 0, "", 100)));
            store.saveGroupState("idle", new byte[] {5});

            final Map<String, Set<TopicPartition>> expired =
                    store.expireOffsets(Map.of("idle", OptionalLong.of(100)), 20_000, 10_000);

            assertEquals(Map.of("idle", Set.of(ORDERS_0)), expired);
            assertStates(Map.of("idle", new byte[] {5}), store.groupStates());
        }
    }

    @Test
    void shouldKeepGroupStatesOfLargestSizeAndSnapshotOnceTheyOutweighTheStore() {
        // Nine 8 MiB saves: the entries straddle the journal's 64 MiB mapping blocks, and the eighth brings the
        // states journaled since the last snapshot to 64 MiB, which makes the store snapshot by itself.
        final int saves = 9;
        try (OffsetStore store = OffsetStore.open(dir, NO_AUTO_SNAPSHOT)) {
            for (int i = 0; i < saves; i++) {
                store.saveGroupState("large", patterned(OffsetStore.MAX_GROUP_STATE_BYTES, i));
                store.saveGroupState("small-" + i, patterned(3, i));
            }
            assertArrayEquals(patterned(OffsetStore.MAX_GROUP_STATE_BYTES, saves - 1),
                    store.groupStates().get("large"));
        }
        try (OffsetStore store = OffsetStore.open(dir, NO_AUTO_SNAPSHOT)) {
            assertEquals(3, store.entriesReplayedOnOpen());
            final Map<String, byte[]> states = store.groupStates();
            assertEquals(saves + 1, states.size());
            assertArrayEquals(patterned(OffsetStore.MAX_GROUP_STATE_BYTES, saves - 1), states.get("large"));
            for (int i = 0; i < saves; i++) {
                assertArrayEquals(patterned(3, i), states.get("small-" + i));
            }
        }
    }

    @Test
    void shouldRejectGroupStateOverLimitWithoutWritingAnything() {
        try (OffsetStore store = OffsetStore.open(dir, NO_AUTO_SNAPSHOT)) {
            store.saveGroupState("billing", new byte[] {1});

            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> store.saveGroupState("billing", new byte[OffsetStore.MAX_GROUP_STATE_BYTES + 1]));

            assertTrue(e.getMessage().contains(String.valueOf(OffsetStore.MAX_GROUP_STATE_BYTES)), e.getMessage());
            assertStates(Map.of("billing", new byte[] {1}), store.groupStates());
        }
        try (OffsetStore store = OffsetStore.open(dir, NO_AUTO_SNAPSHOT)) {
            assertEquals(1, store.entriesReplayedOnOpen());
            assertStates(Map.of("billing", new byte[] {1}), store.groupStates());
        }
    }

    /** A state of {@code length} bytes whose content depends on {@code seed} and on each byte's position. */
    private static byte[] patterned(final int length, final int seed) {
        final byte[] state = new byte[length];
        for (int i = 0; i < length; i++) {
            state[i] = (byte) (i * 31 + seed);
        }
        return state;
    }

    private static void assertStates(final Map<String, byte[]> expected, final Map<String, byte[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        for (Map.Entry<String, byte[]> entry : expected.entrySet()) {
            assertArrayEquals(entry.getValue(), actual.get(entry.getKey()), entry.getKey());
        }
    }

    private static void copyTree(final Path source, final Path target) throws IOException {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                final Path destination = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(file, destination);
                }
            }
        }
    }
}
