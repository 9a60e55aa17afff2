package dev.ferry.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.broker.topic.TopicManager;
import dev.ferry.config.FerryConfig;
import dev.ferry.protocol.ConsumerProtocol;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ConsumerProtocolSubscriptionData;
import dev.ferry.protocol.message.DescribeGroupsResponseData.DescribedGroup;
import dev.ferry.protocol.message.JoinGroupRequestData;
import dev.ferry.protocol.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import dev.ferry.protocol.message.JoinGroupResponseData;
import dev.ferry.protocol.message.ListGroupsResponseData.ListedGroup;
import dev.ferry.protocol.message.SyncGroupRequestData;
import dev.ferry.protocol.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import dev.ferry.storage.LogManager;
import dev.ferry.storage.StorageConfig;
import dev.ferry.storage.TopicPartition;
import dev.ferry.storage.offsets.CommittedOffset;
import dev.ferry.storage.offsets.OffsetCommit;
import dev.ferry.storage.offsets.OffsetStore;
import dev.ferry.storage.offsets.OffsetStoreConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCoordinatorTest {

    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final long RETENTION_MS = TimeUnit.MINUTES.toMillis(10);

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong(1_000_000L);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private FerryConfig config;
    private LogManager logManager;
    private TopicManager topics;
    private OffsetStore store;
    private GroupCoordinator coordinator;

    @BeforeEach
    void setUp() {
        config = FerryConfig.of(Map.of("log.dirs", dir.resolve("logs").toString(),
                "group.initial.rebalance.delay.ms", "0", "offsets.retention.minutes", "10"));
        logManager = LogManager.open(new StorageConfig(List.of(dir.resolve("logs")), 64, 60_000, 1_000));
        topics = new TopicManager(config, logManager);
        topics.create("orders", 2, Map.of(), false);
        store = open();
        coordinator = newCoordinator();
    }

    @AfterEach
    void tearDown() {
        coordinator.close();
        store.close();
        logManager.close();
        scheduler.shutdownNow();
    }

    @Test
    void shouldAcceptASimpleCommitWhateverTheMemberIdSays() {
        assertEquals(Errors.NONE, coordinator.validateCommit("billing", "someone", null, -1, (short) 9));
        coordinator.commit("billing", List.of(new OffsetCommit(ORDERS_0, 5, -1, null, 1L)));
        assertEquals(Errors.NONE, coordinator.validateCommit("billing", "", null, -1, (short) 9));
    }

    @Test
    void shouldRefuseAnEmptyGroupId() {
        assertEquals(Errors.INVALID_GROUP_ID, coordinator.validateCommit("", "", null, -1, (short) 9));
        assertFalse(GroupCoordinator.isValidGroupId(null));
        assertEquals(Errors.INVALID_GROUP_ID, coordinator.deleteGroup(""));
    }

    @Test
    void shouldAnswerAGenerationForAMissingGroupByVersion() {
        assertEquals(Errors.ILLEGAL_GENERATION, coordinator.validateCommit("billing", "m", null, 0, (short) 8));
        assertEquals(Errors.GROUP_ID_NOT_FOUND, coordinator.validateCommit("billing", "m", null, 3, (short) 9));
    }

    @Test
    void shouldAnswerUnknownMemberForAGenerationOfAGroupWithOffsetsOnly() {
        coordinator.commit("billing", List.of(new OffsetCommit(ORDERS_0, 5, -1, "", 1L)));

        assertEquals(Errors.UNKNOWN_MEMBER_ID, coordinator.validateCommit("billing", "m", null, 1, (short) 8));
    }

    @Test
    void shouldLimitMetadataToTheConfiguredLength() {
        assertFalse(coordinator.isMetadataTooLarge(null));
        assertFalse(coordinator.isMetadataTooLarge("m".repeat(4096)));
        assertTrue(coordinator.isMetadataTooLarge("m".repeat(4097)));
    }

    @Test
    void shouldKeepCommittedOffsetsAndGenerationsAcrossAReopen() {
        coordinator.commit("billing", List.of(new OffsetCommit(ORDERS_0, 42, 0, "meta", 1234L)));
        JoinGroupResponseData member = joinAndSync("workers");
        reopen();

        assertEquals(Map.of(ORDERS_0, new CommittedOffset(42, 0, "meta", 1234L)), coordinator.offsets("billing"));
        assertTrue(coordinator.offset("other", ORDERS_0).isEmpty());
        assertEquals(Errors.NONE, coordinator.validateCommit("workers", member.memberId(), null,
                member.generationId(), (short) 9));
        assertEquals("Stable", coordinator.describeGroup("workers", (short) 5, 0).groupState());
    }

    @Test
    void shouldListEveryKindOfGroupWithFilters() {
        coordinator.commit("simple", List.of(new OffsetCommit(ORDERS_0, 1, -1, "", 1L)));
        joinAndSync("workers");

        List<ListedGroup> all = coordinator.listGroups(List.of(), List.of());
        List<ListedGroup> stable = coordinator.listGroups(List.of("STABLE"), List.of());
        List<ListedGroup> consumerType = coordinator.listGroups(List.of(), List.of("consumer"));

        assertEquals(List.of("simple", "workers"), all.stream().map(ListedGroup::groupId).toList());
        assertEquals(List.of("Empty", "Stable"), all.stream().map(ListedGroup::groupState).toList());
        assertEquals(List.of("", "consumer"), all.stream().map(ListedGroup::protocolType).toList());
        assertEquals(List.of("workers"), stable.stream().map(ListedGroup::groupId).toList());
        assertEquals(List.of(), consumerType);
    }

    @Test
    void shouldDescribeAStableGroupWithItsMembersAndAnUnknownOneAsDead() {
        JoinGroupResponseData member = joinAndSync("workers");

        DescribedGroup workers = coordinator.describeGroup("workers", (short) 5, 8);
        DescribedGroup unknownOld = coordinator.describeGroup("nobody", (short) 5, 8);
        DescribedGroup unknownNew = coordinator.describeGroup("nobody", (short) 6, 8);

        assertEquals("Stable", workers.groupState());
        assertEquals("range", workers.protocolData());
        assertEquals(1, workers.members().size());
        assertEquals(member.memberId(), workers.members().get(0).memberId());
        assertEquals("client", workers.members().get(0).clientId());
        assertEquals("assignment", new String(workers.members().get(0).memberAssignment(), StandardCharsets.UTF_8));
        assertEquals("Dead", unknownOld.groupState());
        assertEquals(Errors.NONE.code(), unknownOld.errorCode());
        assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), unknownNew.errorCode());
    }

    @Test
    void shouldDeleteOnlyGroupsWithoutMembers() {
        joinAndSync("workers");
        coordinator.commit("workers", List.of(new OffsetCommit(ORDERS_0, 3, -1, "", 1L)));
        coordinator.commit("idle", List.of(new OffsetCommit(ORDERS_0, 7, -1, "", 1L)));

        assertEquals(Errors.NON_EMPTY_GROUP, coordinator.deleteGroup("workers"));
        assertEquals(Errors.GROUP_ID_NOT_FOUND, coordinator.deleteGroup("nobody"));
        assertEquals(Errors.NONE, coordinator.deleteGroup("idle"));
        assertEquals(Map.of(), coordinator.offsets("idle"));
        assertEquals(Map.of(ORDERS_0, 3L), Map.of(ORDERS_0, coordinator.offsets("workers").get(ORDERS_0).offset()));
    }

    @Test
    void shouldRefuseToDeleteOffsetsOfTopicsTheMembersSubscribeTo() {
        joinAndSync("workers");
        TopicPartition other = new TopicPartition("audit", 0);
        coordinator.commit("workers", List.of(new OffsetCommit(ORDERS_0, 3, -1, "", 1L),
                new OffsetCommit(other, 4, -1, "", 1L)));

        GroupCoordinator.OffsetDeletion deletion = coordinator.deleteOffsets("workers", List.of(ORDERS_0, other));

        assertEquals(Errors.NONE, deletion.groupError());
        assertEquals(Errors.GROUP_SUBSCRIBED_TO_TOPIC, deletion.partitionErrors().get(ORDERS_0));
        assertEquals(Errors.NONE, deletion.partitionErrors().get(other));
        assertEquals(List.of(ORDERS_0), List.copyOf(coordinator.offsets("workers").keySet()));
        assertEquals(Errors.GROUP_ID_NOT_FOUND, coordinator.deleteOffsets("nobody", List.of(other)).groupError());
    }

    @Test
    void shouldExpireOffsetsOfGroupsWithoutMembersAfterTheRetention() {
        coordinator.commit("old", List.of(new OffsetCommit(ORDERS_0, 1, -1, "", clock.get())));
        clock.addAndGet(RETENTION_MS / 2);
        coordinator.commit("recent", List.of(new OffsetCommit(ORDERS_0, 2, -1, "", clock.get())));
        joinAndSync("active");
        coordinator.commit("active", List.of(new OffsetCommit(ORDERS_0, 3, -1, "", 0L)));
        clock.addAndGet(RETENTION_MS / 2);

        coordinator.expireOffsets();

        assertEquals(Map.of(), coordinator.offsets("old"));
        assertEquals(2L, coordinator.offsets("recent").get(ORDERS_0).offset());
        assertEquals(3L, coordinator.offsets("active").get(ORDERS_0).offset(), "a group with members keeps all");
        assertEquals(List.of("active", "recent"),
                coordinator.listGroups(List.of(), List.of()).stream().map(ListedGroup::groupId).toList());
    }

    @Test
    void shouldReportLagAsLogEndMinusCommitted() {
        coordinator.commit("billing", List.of(new OffsetCommit(ORDERS_0, 0, -1, "", 1L),
                new OffsetCommit(new TopicPartition("gone", 0), 5, -1, "", 1L)));

        assertEquals(Map.of(ORDERS_0, 0L), coordinator.lag("billing"));
    }

    private JoinGroupResponseData joinAndSync(String groupId) {
        JoinGroupRequestData join = new JoinGroupRequestData().setGroupId(groupId).setMemberId("")
                .setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(10_000).setProtocolType("consumer");
        join.protocols().add(new JoinGroupRequestProtocol().setName("range")
                .setMetadata(subscription("orders")));
        JoinGroupResponseData joined = coordinator.classicGroups().join(join, "client", "/127.0.0.1", (short) 3)
                .orTimeout(10, TimeUnit.SECONDS).join();
        assertEquals(Errors.NONE.code(), joined.errorCode());
        SyncGroupRequestData sync = new SyncGroupRequestData().setGroupId(groupId)
                .setMemberId(joined.memberId()).setGenerationId(joined.generationId());
        sync.assignments().add(new SyncGroupRequestAssignment()
                .setMemberId(joined.memberId()).setAssignment("assignment".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Errors.NONE.code(), coordinator.classicGroups().sync(sync).join().errorCode());
        return joined;
    }

    private static byte[] subscription(String topic) {
        ConsumerProtocolSubscriptionData data = new ConsumerProtocolSubscriptionData();
        data.topics().add(topic);
        return ConsumerProtocol.writeSubscription(data, (short) 1);
    }

    private void reopen() {
        coordinator.close();
        store.close();
        store = open();
        coordinator = newCoordinator();
    }

    private GroupCoordinator newCoordinator() {
        return new GroupCoordinator(store, topics, scheduler, GroupCoordinator.Settings.from(config), clock::get);
    }

    private OffsetStore open() {
        return OffsetStore.open(dir.resolve("offsets"), OffsetStoreConfig.defaults());
    }
}
