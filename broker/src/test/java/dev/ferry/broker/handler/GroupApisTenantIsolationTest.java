package dev.ferry.broker.handler;

import static dev.ferry.broker.handler.TopicsFixture.acme;
import static dev.ferry.broker.handler.TopicsFixture.context;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.broker.group.GroupCoordinator;
import dev.ferry.broker.tenant.Role;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.DeleteGroupsRequestData;
import dev.ferry.protocol.message.DeleteGroupsResponseData;
import dev.ferry.protocol.message.DescribeGroupsRequestData;
import dev.ferry.protocol.message.DescribeGroupsResponseData;
import dev.ferry.protocol.message.DescribeGroupsResponseData.DescribedGroup;
import dev.ferry.protocol.message.HeartbeatRequestData;
import dev.ferry.protocol.message.HeartbeatResponseData;
import dev.ferry.protocol.message.JoinGroupRequestData;
import dev.ferry.protocol.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import dev.ferry.protocol.message.JoinGroupResponseData;
import dev.ferry.protocol.message.LeaveGroupRequestData;
import dev.ferry.protocol.message.LeaveGroupResponseData;
import dev.ferry.protocol.message.ListGroupsRequestData;
import dev.ferry.protocol.message.ListGroupsResponseData;
import dev.ferry.protocol.message.ListGroupsResponseData.ListedGroup;
import dev.ferry.protocol.message.OffsetDeleteRequestData;
import dev.ferry.protocol.message.OffsetDeleteRequestData.OffsetDeleteRequestPartition;
import dev.ferry.protocol.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import dev.ferry.protocol.message.OffsetDeleteResponseData;
import dev.ferry.protocol.message.SyncGroupRequestData;
import dev.ferry.protocol.message.SyncGroupResponseData;
import dev.ferry.protocol.message.TxnOffsetCommitRequestData;
import dev.ferry.protocol.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition;
import dev.ferry.protocol.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic;
import dev.ferry.protocol.message.TxnOffsetCommitResponseData;
import dev.ferry.storage.TopicPartition;
import dev.ferry.storage.offsets.OffsetCommit;
import dev.ferry.storage.offsets.OffsetStore;
import dev.ferry.storage.offsets.OffsetStoreConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The group APIs without a test class of their own, driven as a tenant of application {@code acme}: another
 * application's ({@code globex.}) groups and topics are refused with Kafka's authorization errors and stay as they
 * were, the tenant's own pass on to the coordinator, and a key's role limits what it may do.
 */
class GroupApisTenantIsolationTest {

    private static final String MINE = "acme.billing";
    private static final String THEIRS = "globex.billing";

    @TempDir
    Path logDir;
    @TempDir
    Path offsetsDir;

    private TopicsFixture fixture;
    private OffsetStore store;
    private GroupCoordinator coordinator;

    @BeforeEach
    void start() {
        fixture = new TopicsFixture(logDir, Map.of());
        assertTrue(fixture.topics.create("acme.orders", 1, Map.of(), false).isOk());
        assertTrue(fixture.topics.create("globex.orders", 1, Map.of(), false).isOk());
        store = OffsetStore.open(offsetsDir, OffsetStoreConfig.defaults());
        coordinator = fixture.groupCoordinator(store, () -> 1L);
        for (String group : List.of(MINE, THEIRS)) {
            store.commit(group, List.of(new OffsetCommit(new TopicPartition("acme.orders", 0), 3, -1, "", 1L),
                    new OffsetCommit(new TopicPartition("globex.orders", 0), 4, -1, "", 1L)));
        }
    }

    @AfterEach
    void stop() {
        store.close();
        fixture.close();
    }

    @Test
    void shouldRefuseJoiningAnotherApplicationsGroupOrWithAProduceOnlyKey() {
        JoinGroupHandler handler = new JoinGroupHandler(coordinator.classicGroups());
        JoinGroupRequestData theirs = join("globex.newcomers");

        JoinGroupResponseData v7 = handler.handle(context(ApiMessageType.JOIN_GROUP, 7, acme(Role.ALL)), theirs)
                .join();
        JoinGroupResponseData v5 = handler.handle(context(ApiMessageType.JOIN_GROUP, 5, acme(Role.ALL)), theirs)
                .join();
        JoinGroupResponseData produceOnly = handler.handle(context(ApiMessageType.JOIN_GROUP, 7,
                acme(Role.PRODUCE)), join("acme.newcomers")).join();
        JoinGroupResponseData mine = handler.handle(context(ApiMessageType.JOIN_GROUP, 7, acme(Role.CONSUME)),
                join("acme.newcomers")).join();

        org.apache.kafka.common.message.JoinGroupResponseData parsed = new org.apache.kafka.common.message
                .JoinGroupResponseData(KafkaWireBytes.encode(v7, (short) 7), (short) 7);
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), parsed.errorCode());
        assertEquals(-1, parsed.generationId());
        assertEquals("", parsed.memberId());
        assertEquals("", parsed.leader());
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), v5.errorCode());
        assertEquals("", v5.protocolName());
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), produceOnly.errorCode());
        // the tenant's own group reaches the coordinator, which first asks a new member to rejoin with its id
        assertEquals(Errors.MEMBER_ID_REQUIRED.code(), mine.errorCode());
        assertFalse(groupIds(coordinator.listGroups(List.of(), List.of())).contains("globex.newcomers"),
                "no group is created for a refused join");
    }

    @Test
    void shouldRefuseSyncHeartbeatAndLeaveOfAnotherApplicationsGroup() {
        SyncGroupResponseData sync = new SyncGroupHandler(coordinator.classicGroups()).handle(
                context(ApiMessageType.SYNC_GROUP, 5, acme(Role.ALL)), new SyncGroupRequestData().setGroupId(THEIRS)
                        .setMemberId("m").setGenerationId(1).setProtocolType("consumer").setProtocolName("range"))
                .join();
        HeartbeatResponseData heartbeat = new HeartbeatHandler(coordinator.classicGroups()).handle(
                context(ApiMessageType.HEARTBEAT, 4, acme(Role.ALL)),
                new HeartbeatRequestData().setGroupId(THEIRS).setMemberId("m").setGenerationId(1)).join();
        LeaveGroupResponseData leave = new LeaveGroupHandler(coordinator.classicGroups()).handle(
                context(ApiMessageType.LEAVE_GROUP, 5, acme(Role.ALL)), new LeaveGroupRequestData()
                        .setGroupId(THEIRS).setMembers(new ArrayList<>(List.of(
                                new LeaveGroupRequestData.MemberIdentity().setMemberId("m"))))).join();
        HeartbeatResponseData mine = new HeartbeatHandler(coordinator.classicGroups()).handle(
                context(ApiMessageType.HEARTBEAT, 4, acme(Role.CONSUME)),
                new HeartbeatRequestData().setGroupId(MINE).setMemberId("m").setGenerationId(1)).join();

        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), sync.errorCode());
        assertEquals(0, sync.assignment().length);
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), heartbeat.errorCode());
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), leave.errorCode());
        assertEquals(List.of(), leave.members());
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), new org.apache.kafka.common.message
                .LeaveGroupResponseData(KafkaWireBytes.encode(leave, (short) 5), (short) 5).errorCode());
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), mine.errorCode(), "the tenant's own group is looked at");
    }

    @Test
    void shouldRefuseDescribingAnotherApplicationsGroupInRequestOrder() {
        DescribeGroupsResponseData response = new DescribeGroupsHandler(coordinator).handle(
                context(ApiMessageType.DESCRIBE_GROUPS, 5, acme(Role.PRODUCE)), new DescribeGroupsRequestData()
                        .setGroups(new ArrayList<>(List.of(THEIRS, MINE))).setIncludeAuthorizedOperations(true))
                .join();

        DescribedGroup refused = response.groups().get(0);
        assertEquals(THEIRS, refused.groupId());
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), refused.errorCode());
        assertEquals("", refused.groupState());
        assertEquals(List.of(), refused.members());
        assertEquals(Integer.MIN_VALUE, refused.authorizedOperations());
        assertEquals(MINE, response.groups().get(1).groupId());
        assertEquals(Errors.NONE.code(), response.groups().get(1).errorCode());
        assertEquals(1 << 8, response.groups().get(1).authorizedOperations(), "a producing key may only DESCRIBE");
    }

    @Test
    void shouldReportTheGroupOperationsAConsumingKeyMayDo() {
        DescribeGroupsResponseData response = new DescribeGroupsHandler(coordinator).handle(
                context(ApiMessageType.DESCRIBE_GROUPS, 5, acme(Role.CONSUME)), new DescribeGroupsRequestData()
                        .setGroups(new ArrayList<>(List.of(MINE))).setIncludeAuthorizedOperations(true))
                .join();

        // READ, DELETE, DESCRIBE
        assertEquals(0b1_0100_1000, response.groups().get(0).authorizedOperations());
    }

    @Test
    void shouldDeleteOnlyTheTenantsOwnGroupsAndOnlyWithAConsumingKey() {
        DeleteGroupsHandler handler = new DeleteGroupsHandler(coordinator);
        DeleteGroupsRequestData request = new DeleteGroupsRequestData()
                .setGroupsNames(new ArrayList<>(List.of(THEIRS, MINE)));

        DeleteGroupsResponseData produceOnly = handler.handle(
                context(ApiMessageType.DELETE_GROUPS, 2, acme(Role.PRODUCE)), request).join();
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), produceOnly.results().get(1).errorCode());
        assertEquals(2, store.offsets(MINE).size());

        DeleteGroupsResponseData consume = handler.handle(
                context(ApiMessageType.DELETE_GROUPS, 2, acme(Role.CONSUME)), request).join();

        assertEquals(THEIRS, consume.results().get(0).groupId());
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), consume.results().get(0).errorCode());
        assertEquals(Errors.NONE.code(), consume.results().get(1).errorCode());
        assertEquals(2, store.offsets(THEIRS).size());
        assertEquals(Map.of(), store.offsets(MINE));
    }

    @Test
    void shouldListOnlyTheTenantsOwnGroups() {
        ListGroupsHandler handler = new ListGroupsHandler(coordinator);

        ListGroupsResponseData tenant = handler.handle(context(ApiMessageType.LIST_GROUPS, 5, acme(Role.PRODUCE)),
                new ListGroupsRequestData()).join();
        ListGroupsResponseData open = handler.handle(context(ApiMessageType.LIST_GROUPS, 5),
                new ListGroupsRequestData()).join();
        ListGroupsResponseData filtered = handler.handle(context(ApiMessageType.LIST_GROUPS, 5, acme(Role.ALL)),
                new ListGroupsRequestData().setStatesFilter(new ArrayList<>(List.of("Stable")))).join();

        assertEquals(List.of(MINE), groupIds(tenant.groups()));
        assertEquals(List.of(MINE, THEIRS), groupIds(open.groups()));
        assertEquals(List.of(), filtered.groups(), "the state filter still applies");
    }

    @Test
    void shouldDeleteOffsetsOnlyOfTheTenantsOwnGroupAndTopics() {
        OffsetDeleteHandler handler = new OffsetDeleteHandler(fixture.topics, coordinator);

        OffsetDeleteResponseData theirs = handler.handle(context(ApiMessageType.OFFSET_DELETE, 0, acme(Role.ALL)),
                offsetDelete(THEIRS)).join();
        OffsetDeleteResponseData produceOnly = handler.handle(
                context(ApiMessageType.OFFSET_DELETE, 0, acme(Role.PRODUCE)), offsetDelete(MINE)).join();
        OffsetDeleteResponseData mine = handler.handle(context(ApiMessageType.OFFSET_DELETE, 0, acme(Role.CONSUME)),
                offsetDelete(MINE)).join();

        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), theirs.errorCode());
        assertEquals(List.of(), theirs.topics());
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), produceOnly.errorCode());
        assertEquals(Errors.NONE.code(), mine.errorCode());
        assertEquals(Errors.NONE.code(), mine.topics().get(0).partitions().get(0).errorCode());
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), mine.topics().get(1).partitions().get(0).errorCode());
        assertEquals(Map.of(new TopicPartition("globex.orders", 0), 4L), offsets(MINE));
        assertEquals(2, store.offsets(THEIRS).size());
    }

    @Test
    void shouldAnswerTxnOffsetCommitWithTheFirstAuthorizationErrorKafkaChecks() {
        TxnOffsetCommitHandler handler = new TxnOffsetCommitHandler();

        assertEquals(List.of(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code()),
                txnCommit(handler, "globex.tx", THEIRS, "globex.orders"));
        assertEquals(List.of(Errors.GROUP_AUTHORIZATION_FAILED.code()),
                txnCommit(handler, "acme.tx", THEIRS, "acme.orders"));
        assertEquals(List.of(Errors.TOPIC_AUTHORIZATION_FAILED.code()),
                txnCommit(handler, "acme.tx", MINE, "globex.orders"));
        assertEquals(List.of(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code()),
                txnCommit(handler, "acme.tx", MINE, "acme.orders"), "transactions are not offered");
        assertEquals(3L, offsets(MINE).get(new TopicPartition("acme.orders", 0)));
    }

    private static JoinGroupRequestData join(String groupId) {
        return new JoinGroupRequestData().setGroupId(groupId).setSessionTimeoutMs(30_000)
                .setRebalanceTimeoutMs(30_000).setMemberId("").setProtocolType("consumer")
                .setProtocols(new ArrayList<>(List.of(new JoinGroupRequestProtocol().setName("range")
                        .setMetadata(new byte[0]))));
    }

    private static OffsetDeleteRequestData offsetDelete(String groupId) {
        List<OffsetDeleteRequestTopic> topics = new ArrayList<>();
        for (String topic : List.of("acme.orders", "globex.orders")) {
            topics.add(new OffsetDeleteRequestTopic().setName(topic).setPartitions(new ArrayList<>(List.of(
                    new OffsetDeleteRequestPartition().setPartitionIndex(0)))));
        }
        return new OffsetDeleteRequestData().setGroupId(groupId).setTopics(topics);
    }

    private static List<Short> txnCommit(TxnOffsetCommitHandler handler, String transactionalId, String groupId,
                                         String topic) {
        TxnOffsetCommitResponseData response = handler.handle(context(ApiMessageType.TXN_OFFSET_COMMIT, 3,
                acme(Role.ALL)), new TxnOffsetCommitRequestData().setTransactionalId(transactionalId)
                .setGroupId(groupId).setProducerId(1).setProducerEpoch((short) 0).setTopics(new ArrayList<>(List.of(
                        new TxnOffsetCommitRequestTopic().setName(topic).setPartitions(new ArrayList<>(List.of(
                                new TxnOffsetCommitRequestPartition().setPartitionIndex(0)
                                        .setCommittedOffset(99)))))))).join();
        List<Short> codes = new ArrayList<>();
        response.topics().get(0).partitions().forEach(partition -> codes.add(partition.errorCode()));
        return codes;
    }

    private Map<TopicPartition, Long> offsets(String groupId) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        store.offsets(groupId).forEach((partition, offset) -> offsets.put(partition, offset.offset()));
        return offsets;
    }

    private static List<String> groupIds(List<ListedGroup> groups) {
        List<String> ids = new ArrayList<>();
        groups.forEach(group -> ids.add(group.groupId()));
        ids.sort(String::compareTo);
        return ids;
    }
}
