package dev.ferry.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.Errors;
import dev.ferry.storage.TopicPartition;
import dev.ferry.storage.offsets.CommittedOffset;
import dev.ferry.storage.offsets.OffsetCommit;
import dev.ferry.storage.offsets.OffsetStore;
import dev.ferry.storage.offsets.OffsetStoreConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCoordinatorTest {

    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);

    @TempDir
    Path dir;

    @Test
    void shouldAcceptASimpleCommitWhateverTheMemberIdSays() {
        try (OffsetStore store = open()) {
            GroupCoordinator coordinator = new GroupCoordinator(store, () -> 1L);

            assertEquals(Errors.NONE, coordinator.validateCommit("billing", -1, (short) 9));
            coordinator.commit("billing", List.of(new OffsetCommit(ORDERS_0, 5, -1, null, 1L)));
            assertEquals(Errors.NONE, coordinator.validateCommit("billing", -1, (short) 9));
        }
    }

    @Test
    void shouldRefuseAnEmptyGroupId() {
        try (OffsetStore store = open()) {
            GroupCoordinator coordinator = new GroupCoordinator(store, () -> 1L);

            assertEquals(Errors.INVALID_GROUP_ID, coordinator.validateCommit("", -1, (short) 9));
            assertFalse(GroupCoordinator.isValidGroupId(null));
        }
    }

    @Test
    void shouldAnswerAGenerationForAMissingGroupByVersion() {
        try (OffsetStore store = open()) {
            GroupCoordinator coordinator = new GroupCoordinator(store, () -> 1L);

            assertEquals(Errors.ILLEGAL_GENERATION, coordinator.validateCommit("billing", 0, (short) 8));
            assertEquals(Errors.GROUP_ID_NOT_FOUND, coordinator.validateCommit("billing", 3, (short) 9));
        }
    }

    @Test
    void shouldAnswerUnknownMemberForAGenerationOfAnExistingGroup() {
        try (OffsetStore store = open()) {
            GroupCoordinator coordinator = new GroupCoordinator(store, () -> 1L);
            coordinator.commit("billing", List.of(new OffsetCommit(ORDERS_0, 5, -1, "", 1L)));

            assertEquals(Errors.UNKNOWN_MEMBER_ID, coordinator.validateCommit("billing", 1, (short) 8));
            assertEquals(Errors.UNKNOWN_MEMBER_ID, coordinator.validateCommit("billing", 1, (short) 9));
        }
    }

    @Test
    void shouldLimitMetadataToTheDefaultMaximumLength() {
        assertFalse(GroupCoordinator.isMetadataTooLarge(null));
        assertFalse(GroupCoordinator.isMetadataTooLarge("m".repeat(GroupCoordinator.OFFSET_METADATA_MAX_LENGTH)));
        assertTrue(GroupCoordinator.isMetadataTooLarge("m".repeat(GroupCoordinator.OFFSET_METADATA_MAX_LENGTH + 1)));
    }

    @Test
    void shouldKeepCommittedOffsetsAcrossAReopen() {
        try (OffsetStore store = open()) {
            new GroupCoordinator(store, () -> 1L)
                    .commit("billing", List.of(new OffsetCommit(ORDERS_0, 42, 0, "meta", 1234L)));
        }
        try (OffsetStore store = open()) {
            GroupCoordinator coordinator = new GroupCoordinator(store, () -> 1L);

            assertEquals(Map.of(ORDERS_0, new CommittedOffset(42, 0, "meta", 1234L)), coordinator.offsets("billing"));
            assertTrue(coordinator.offset("other", ORDERS_0).isEmpty());
        }
    }

    private OffsetStore open() {
        return OffsetStore.open(dir, OffsetStoreConfig.defaults());
    }
}
