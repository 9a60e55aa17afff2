package dev.ferry.storage.offsets.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.storage.TopicPartition;
import dev.ferry.storage.offsets.CommittedOffset;
import dev.ferry.storage.offsets.OffsetCommit;
import dev.ferry.storage.offsets.OffsetStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetJournalTest {

    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);

    @TempDir
    Path dir;

    @Test
    void shouldReplayLargestStatesAcrossMappingBlocks() {
        final int saves = (int) (2 * OffsetJournal.BLOCK_SIZE / OffsetStore.MAX_GROUP_STATE_BYTES) + 1;
        try (OffsetJournal journal = OffsetJournal.open(dir, false, SystemTimeProvider.INSTANCE)) {
            for (int i = 0; i < saves; i++) {
                journal.appendSaveGroupState("g" + i % 3, patterned(OffsetStore.MAX_GROUP_STATE_BYTES, i));
                journal.appendCommit("g" + i % 3, List.of(new OffsetCommit(ORDERS_0, i, 0, "", i)));
            }
        }
        final OffsetTable table = new OffsetTable();
        try (OffsetJournal journal = OffsetJournal.open(dir, false, SystemTimeProvider.INSTANCE)) {
            final OffsetJournal.Replay replay = journal.replayAfter(OffsetSnapshotDescriptor.NO_INDEX, table);

            assertEquals(2L * saves, replay.entries());
            assertEquals((long) saves * OffsetStore.MAX_GROUP_STATE_BYTES, replay.stateBytes());
        }
        assertEquals(Set.of("g0", "g1", "g2"), table.states().keySet());
        for (int i = saves - 3; i < saves; i++) {
            assertArrayEquals(patterned(OffsetStore.MAX_GROUP_STATE_BYTES, i), table.states().get("g" + i % 3));
            assertEquals(Map.of(ORDERS_0, new CommittedOffset(i, 0, "", i)), table.offsets("g" + i % 3));
        }
    }

    @Test
    void shouldRefuseStateThatMightNotFitOneEntryBeforeWritingIt() {
        final String longGroup = "g".repeat(OffsetJournal.MAX_ENTRY_LENGTH / 3 - OffsetStore.MAX_GROUP_STATE_BYTES / 3);
        try (OffsetJournal journal = OffsetJournal.open(dir, false, SystemTimeProvider.INSTANCE)) {
            journal.appendDeleteGroupState("before");

            assertThrows(IllegalArgumentException.class, () -> journal.appendSaveGroupState(longGroup,
                    new byte[OffsetStore.MAX_GROUP_STATE_BYTES]));

            journal.appendSaveGroupState("after", new byte[] {1});
        }
        final OffsetTable table = new OffsetTable();
        try (OffsetJournal journal = OffsetJournal.open(dir, false, SystemTimeProvider.INSTANCE)) {
            assertEquals(2, journal.replayAfter(OffsetSnapshotDescriptor.NO_INDEX, table).entries());
        }
        assertEquals(Set.of("after"), table.states().keySet());
    }

    /** {@code length} bytes whose content depends on {@code seed} and on each byte's position. */
    private static byte[] patterned(final int length, final int seed) {
        final byte[] state = new byte[length];
        for (int i = 0; i < length; i++) {
            state[i] = (byte) (i * 31 + seed);
        }
        return state;
    }
}
