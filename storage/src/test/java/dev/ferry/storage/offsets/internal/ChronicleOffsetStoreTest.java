package dev.ferry.storage.offsets.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.TopicPartition;
import dev.ferry.storage.offsets.CommittedOffset;
import dev.ferry.storage.offsets.OffsetCommit;
import dev.ferry.storage.offsets.OffsetStoreConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChronicleOffsetStoreTest {

    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final OffsetStoreConfig NO_AUTO_SNAPSHOT = new OffsetStoreConfig(false, Integer.MAX_VALUE);
    private static final long HOUR_MS = TimeUnit.HOURS.toMillis(1);

    @TempDir
    Path dir;

    private final SetTimeProvider clock = new SetTimeProvider(TimeUnit.DAYS.toNanos(20_000));

    @Test
    void shouldDropJournalFilesNoSnapshotNeedsAnyMore() throws IOException {
        try (ChronicleOffsetStore store = ChronicleOffsetStore.open(dir, NO_AUTO_SNAPSHOT, clock)) {
            commitInHours(store, 0, 4);
            assertEquals(4, store.journalFileCount());

            store.snapshot();
            // The first snapshot has no predecessor to fall back on, so it keeps only its own hour onwards.
            assertEquals(1, store.journalFileCount());

            commitInHours(store, 4, 3);
            store.snapshot();
            // The previous snapshot covers hour 3: its file and the three after it stay for the fallback.
            assertEquals(4, store.journalFileCount());
            commitInHours(store, 7, 1);
        }
        try (ChronicleOffsetStore store = ChronicleOffsetStore.open(dir, NO_AUTO_SNAPSHOT, clock)) {
            assertEquals(1, store.entriesReplayedOnOpen());
            assertEquals(Map.of(ORDERS_0, new CommittedOffset(7, 0, "", 7)), store.offsets("billing"));
        }
    }

    @Test
    void shouldFallBackToPreviousSnapshotWhenLatestIsCorrupt() throws IOException {
        try (ChronicleOffsetStore store = ChronicleOffsetStore.open(dir, NO_AUTO_SNAPSHOT, clock)) {
            commitInHours(store, 0, 3);
            store.snapshot();
            commitInHours(store, 3, 3);
            store.snapshot();
            commitInHours(store, 6, 1);
        }
        final Path latest = dir.resolve(ChronicleOffsetStore.SNAPSHOT_FILE);
        final byte[] bytes = Files.readAllBytes(latest);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(latest, bytes);

        try (ChronicleOffsetStore store = ChronicleOffsetStore.open(dir, NO_AUTO_SNAPSHOT, clock)) {
            assertEquals(4, store.entriesReplayedOnOpen());
            assertEquals(Map.of(ORDERS_0, new CommittedOffset(6, 0, "", 6)), store.offsets("billing"));
        }
    }

    @Test
    void shouldFallBackToPreviousSnapshotWhenLatestIsTruncated() throws IOException {
        try (ChronicleOffsetStore store = ChronicleOffsetStore.open(dir, NO_AUTO_SNAPSHOT, clock)) {
            commitInHours(store, 0, 2);
            store.snapshot();
            commitInHours(store, 2, 2);
            store.snapshot();
        }
        final Path latest = dir.resolve(ChronicleOffsetStore.SNAPSHOT_FILE);
        final byte[] bytes = Files.readAllBytes(latest);
        Files.write(latest, Arrays.copyOf(bytes, bytes.length - 3));

        try (ChronicleOffsetStore store = ChronicleOffsetStore.open(dir, NO_AUTO_SNAPSHOT, clock)) {
            assertEquals(2, store.entriesReplayedOnOpen());
            assertEquals(Map.of(ORDERS_0, new CommittedOffset(3, 0, "", 3)), store.offsets("billing"));
        }
    }

    @Test
    void shouldIgnoreTemporarySnapshotLeftByCrashMidWrite() throws IOException {
        try (ChronicleOffsetStore store = ChronicleOffsetStore.open(dir, NO_AUTO_SNAPSHOT, clock)) {
            commitInHours(store, 0, 2);
        }
        Files.write(dir.resolve(ChronicleOffsetStore.SNAPSHOT_FILE + ".tmp"), new byte[] {1, 2, 3});

        try (ChronicleOffsetStore store = ChronicleOffsetStore.open(dir, NO_AUTO_SNAPSHOT, clock)) {
            assertEquals(2, store.entriesReplayedOnOpen());
            assertEquals(Map.of(ORDERS_0, new CommittedOffset(1, 0, "", 1)), store.offsets("billing"));
        }
    }

    @Test
    void shouldRefuseToOpenWhenNoSnapshotIsValid() throws IOException {
        try (ChronicleOffsetStore store = ChronicleOffsetStore.open(dir, NO_AUTO_SNAPSHOT, clock)) {
            commitInHours(store, 0, 3);
            store.snapshot();
        }
        Files.write(dir.resolve(ChronicleOffsetStore.SNAPSHOT_FILE), new byte[] {0, 0, 0, 1});

        final UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> ChronicleOffsetStore.open(dir, NO_AUTO_SNAPSHOT, clock));
        assertTrue(e.getCause().getMessage().contains("no valid offsets snapshot"), e.getCause().getMessage());
    }

    /** Commits offset {@code h} to orders-0 of "billing" in each hour {@code h} of {@code [from, from + hours)}. */
    private void commitInHours(final ChronicleOffsetStore store, final int from, final int hours) {
        for (int h = from; h < from + hours; h++) {
            clock.currentTimeMillis(TimeUnit.DAYS.toMillis(20_000) + h * HOUR_MS);
            store.commit("billing", List.of(new OffsetCommit(ORDERS_0, h, 0, "", h)));
        }
    }
}
