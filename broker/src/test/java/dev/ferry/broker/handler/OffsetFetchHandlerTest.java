package dev.ferry.broker.handler;

import static dev.ferry.broker.handler.TopicsFixture.context;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.broker.tenant.Principal;
import dev.ferry.broker.tenant.Role;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.OffsetFetchRequestData;
import dev.ferry.protocol.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import dev.ferry.protocol.message.OffsetFetchRequestData.OffsetFetchRequestTopic;
import dev.ferry.protocol.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import dev.ferry.protocol.message.OffsetFetchResponseData;
import dev.ferry.protocol.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import dev.ferry.protocol.message.OffsetFetchResponseData.OffsetFetchResponsePartition;
import dev.ferry.protocol.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import dev.ferry.protocol.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import dev.ferry.storage.TopicPartition;
import dev.ferry.storage.offsets.OffsetCommit;
import dev.ferry.storage.offsets.OffsetStore;
import dev.ferry.storage.offsets.OffsetStoreConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetFetchHandlerTest {

    private static final String GROUP = "billing";
    private static final String ORDERS = "orders";
    private static final String AUDIT = "audit";

    @TempDir
    Path logDir;
    @TempDir
    Path offsetsDir;

    private TopicsFixture fixture;
    private OffsetStore store;
    private OffsetFetchHandler handler;

    @BeforeEach
    void start() {
        fixture = new TopicsFixture(logDir, Map.of());
        assertTrue(fixture.topics.create(ORDERS, 3, Map.of(), false).isOk());
        assertTrue(fixture.topics.create(AUDIT, 1, Map.of(), false).isOk());
        store = OffsetStore.open(offsetsDir, OffsetStoreConfig.defaults());
        handler = new OffsetFetchHandler(fixture.topics, fixture.groupCoordinator(store, () -> 1L));
        store.commit(GROUP, List.of(
                new OffsetCommit(new TopicPartition(ORDERS, 2), 30, 4, "two", 1L),
                new OffsetCommit(new TopicPartition(ORDERS, 0), 10, -1, "", 1L),
                new OffsetCommit(new TopicPartition(AUDIT, 0), 5, 0, "a", 1L)));
    }

    @AfterEach
    void stop() {
        store.close();
        fixture.close();
    }

    @Test
    void shouldAnswerCommittedOffsetsAndMinusOneForPartitionsWithoutACommit() {
        OffsetFetchRequestData request = new OffsetFetchRequestData().setGroupId(GROUP).setTopics(new ArrayList<>(
                List.of(new OffsetFetchRequestTopic().setName(ORDERS).setPartitionIndexes(
                        new ArrayList<>(List.of(2, 1, 0))))));

        OffsetFetchResponseData response = fetch(7, request);

        assertEquals(Errors.NONE.code(), response.errorCode());
        List<OffsetFetchResponsePartition> partitions = response.topics().get(0).partitions();
        assertPartition(partitions.get(0), 2, 30, 4, "two");
        assertPartition(partitions.get(1), 1, -1, -1, "");
        assertPartition(partitions.get(2), 0, 10, -1, "");
    }

    @Test
    void shouldAnswerMinusOneForAnUnknownGroupOrTopic() {
        OffsetFetchRequestData request = new OffsetFetchRequestData().setGroupId("nobody").setTopics(new ArrayList<>(
                List.of(new OffsetFetchRequestTopic().setName(ORDERS).setPartitionIndexes(new ArrayList<>(List.of(2))),
                        new OffsetFetchRequestTopic().setName("missing")
                                .setPartitionIndexes(new ArrayList<>(List.of(0))))));

        OffsetFetchResponseData response = fetch(5, request);

        assertPartition(response.topics().get(0).partitions().get(0), 2, -1, -1, "");
        assertEquals("missing", response.topics().get(1).name());
        assertPartition(response.topics().get(1).partitions().get(0), 0, -1, -1, "");
    }

    @Test
    void shouldAnswerEveryCommittedPartitionSortedForNullTopics() {
        OffsetFetchResponseData response = fetch(2, new OffsetFetchRequestData().setGroupId(GROUP).setTopics(null));

        assertEquals(List.of(AUDIT, ORDERS), List.of(response.topics().get(0).name(), response.topics().get(1).name()));
        assertPartition(response.topics().get(0).partitions().get(0), 0, 5, -1, "a");
        List<OffsetFetchResponsePartition> orders = response.topics().get(1).partitions();
        assertEquals(2, orders.size());
        assertPartition(orders.get(0), 0, 10, -1, "");
        assertPartition(orders.get(1), 2, 30, -1, "two");
    }

    @Test
    void shouldAnswerSeveralGroupsFromVersion8() {
        OffsetFetchRequestData request = new OffsetFetchRequestData().setRequireStable(true).setGroups(
                new ArrayList<>(List.of(
                        new OffsetFetchRequestGroup().setGroupId(GROUP).setTopics(new ArrayList<>(List.of(
                                new OffsetFetchRequestTopics().setName(ORDERS)
                                        .setPartitionIndexes(new ArrayList<>(List.of(2)))))),
                        new OffsetFetchRequestGroup().setGroupId("nobody").setTopics(null),
                        new OffsetFetchRequestGroup().setGroupId(GROUP).setTopics(null))));

        OffsetFetchResponseData response = fetch(9, request);

        List<OffsetFetchResponseGroup> groups = response.groups();
        assertEquals(3, groups.size());
        assertEquals(GROUP, groups.get(0).groupId());
        assertEquals(Errors.NONE.code(), groups.get(0).errorCode());
        assertPartitions(groups.get(0).topics().get(0).partitions().get(0), 2, 30, 4, "two");
        assertEquals("nobody", groups.get(1).groupId());
        assertTrue(groups.get(1).topics().isEmpty());
        assertEquals(List.of(AUDIT, ORDERS),
                groups.get(2).topics().stream().map(OffsetFetchResponseTopics::name).toList());
    }

    @Test
    void shouldNameTopicsByIdFromVersion10() {
        UUID orders = fixture.topics.topic(ORDERS).orElseThrow().id();
        UUID audit = fixture.topics.topic(AUDIT).orElseThrow().id();
        UUID unknown = UUID.randomUUID();
        OffsetFetchRequestData request = new OffsetFetchRequestData().setGroups(new ArrayList<>(List.of(
                new OffsetFetchRequestGroup().setGroupId(GROUP).setTopics(new ArrayList<>(List.of(
                        new OffsetFetchRequestTopics().setTopicId(orders)
                                .setPartitionIndexes(new ArrayList<>(List.of(0))),
                        new OffsetFetchRequestTopics().setTopicId(unknown)
                                .setPartitionIndexes(new ArrayList<>(List.of(0)))))),
                new OffsetFetchRequestGroup().setGroupId(GROUP).setTopics(null))));

        OffsetFetchResponseData response = fetch(10, request);

        List<OffsetFetchResponseTopics> requested = response.groups().get(0).topics();
        assertEquals(orders, requested.get(0).topicId());
        assertEquals("", requested.get(0).name());
        assertPartitions(requested.get(0).partitions().get(0), 0, 10, -1, "");
        assertEquals(unknown, requested.get(1).topicId());
        assertEquals(Errors.UNKNOWN_TOPIC_ID.code(), requested.get(1).partitions().get(0).errorCode());
        assertEquals(-1, requested.get(1).partitions().get(0).committedOffset());
        assertEquals(List.of(audit, orders),
                response.groups().get(1).topics().stream().map(OffsetFetchResponseTopics::topicId).toList());
    }

    @Test
    void shouldLeaveTopicsThatNoLongerExistOutOfAnAllTopicsAnswerByIds() {
        assertTrue(fixture.topics.delete(AUDIT).isOk());
        OffsetFetchRequestData request = new OffsetFetchRequestData().setGroups(new ArrayList<>(List.of(
                new OffsetFetchRequestGroup().setGroupId(GROUP).setTopics(null))));

        OffsetFetchResponseData response = fetch(10, request);

        List<OffsetFetchResponseTopics> topics = response.groups().get(0).topics();
        assertEquals(1, topics.size());
        assertEquals(fixture.topics.topic(ORDERS).orElseThrow().id(), topics.get(0).topicId());
    }

    @Test
    void shouldEncodeTheResponseAtEveryVersion() {
        UUID orders = fixture.topics.topic(ORDERS).orElseThrow().id();
        ApiMessageType api = ApiMessageType.OFFSET_FETCH;
        for (short version = api.lowestSupportedVersion(); version <= api.highestSupportedVersion(); version++) {
            OffsetFetchRequestData request = new OffsetFetchRequestData();
            if (version >= 8) {
                OffsetFetchRequestTopics topic = version >= 10
                        ? new OffsetFetchRequestTopics().setTopicId(orders)
                        : new OffsetFetchRequestTopics().setName(ORDERS);
                request.setGroups(new ArrayList<>(List.of(new OffsetFetchRequestGroup().setGroupId(GROUP)
                        .setTopics(new ArrayList<>(List.of(topic.setPartitionIndexes(new ArrayList<>(List.of(2)))))))));
            } else {
                request.setGroupId(GROUP).setTopics(new ArrayList<>(List.of(new OffsetFetchRequestTopic()
                        .setName(ORDERS).setPartitionIndexes(new ArrayList<>(List.of(2))))));
            }
            OffsetFetchResponseData response = fetch(version, request);
            ByteBuf out = Unpooled.buffer();
            try {
                response.write(out, version);
                OffsetFetchResponseData decoded = new OffsetFetchResponseData(out, version);
                long offset = version >= 8
                        ? decoded.groups().get(0).topics().get(0).partitions().get(0).committedOffset()
                        : decoded.topics().get(0).partitions().get(0).committedOffset();
                int epoch = version >= 8
                        ? decoded.groups().get(0).topics().get(0).partitions().get(0).committedLeaderEpoch()
                        : decoded.topics().get(0).partitions().get(0).committedLeaderEpoch();
                assertEquals(30, offset, "version " + version);
                assertEquals(version >= 5 ? 4 : -1, epoch, "version " + version);
            } finally {
                out.release();
            }
        }
    }

    @Test
    void shouldRefuseATenantAnotherApplicationsGroupInEachResponseShape() {
        OffsetFetchRequestData multi = new OffsetFetchRequestData().setGroups(new ArrayList<>(List.of(
                new OffsetFetchRequestGroup().setGroupId("globex.billing").setTopics(null),
                new OffsetFetchRequestGroup().setGroupId("acme.billing").setTopics(null))));
        OffsetFetchRequestData single = new OffsetFetchRequestData().setGroupId("globex.billing")
                .setTopics(new ArrayList<>(List.of(new OffsetFetchRequestTopic().setName("globex.orders")
                        .setPartitionIndexes(new ArrayList<>(List.of(0, 1))))));

        OffsetFetchResponseData grouped = fetch(8, multi, TopicsFixture.acme(Role.ALL));
        OffsetFetchResponseData topLevel = fetch(7, single, TopicsFixture.acme(Role.ALL));
        OffsetFetchResponseData perPartition = fetch(1, single, TopicsFixture.acme(Role.ALL));

        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), grouped.groups().get(0).errorCode());
        assertEquals(List.of(), grouped.groups().get(0).topics());
        assertEquals(Errors.NONE.code(), grouped.groups().get(1).errorCode());
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), topLevel.errorCode());
        assertEquals(List.of(), topLevel.topics());
        List<OffsetFetchResponsePartition> partitions = perPartition.topics().get(0).partitions();
        assertEquals(2, partitions.size());
        for (OffsetFetchResponsePartition partition : partitions) {
            assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), partition.errorCode());
            assertEquals(-1, partition.committedOffset());
        }
    }

    @Test
    void shouldRefuseNamedTopicsOfAnotherApplicationAndLeaveThemOutOfTheAllTopicsForm() {
        assertTrue(fixture.topics.create("acme.orders", 1, Map.of(), false).isOk());
        assertTrue(fixture.topics.create("globex.orders", 1, Map.of(), false).isOk());
        store.commit("acme.billing", List.of(
                new OffsetCommit(new TopicPartition("acme.orders", 0), 11, -1, "", 1L),
                new OffsetCommit(new TopicPartition("globex.orders", 0), 22, -1, "", 1L)));
        UUID theirs = fixture.topics.topic("globex.orders").orElseThrow().id();
        OffsetFetchRequestData request = new OffsetFetchRequestData().setGroups(new ArrayList<>(List.of(
                new OffsetFetchRequestGroup().setGroupId("acme.billing").setTopics(null),
                new OffsetFetchRequestGroup().setGroupId("acme.billing").setTopics(new ArrayList<>(List.of(
                        new OffsetFetchRequestTopics().setTopicId(theirs)
                                .setPartitionIndexes(new ArrayList<>(List.of(0)))))))));

        OffsetFetchResponseData byId = fetch(10, request, TopicsFixture.acme(Role.CONSUME));
        OffsetFetchResponseData byName = fetch(7, new OffsetFetchRequestData().setGroupId("acme.billing")
                .setTopics(new ArrayList<>(List.of(
                        new OffsetFetchRequestTopic().setName("globex.orders")
                                .setPartitionIndexes(new ArrayList<>(List.of(0))),
                        new OffsetFetchRequestTopic().setName("acme.orders")
                                .setPartitionIndexes(new ArrayList<>(List.of(0)))))), TopicsFixture.acme(Role.ALL));

        List<OffsetFetchResponseTopics> all = byId.groups().get(0).topics();
        assertEquals(1, all.size());
        assertEquals(fixture.topics.topic("acme.orders").orElseThrow().id(), all.get(0).topicId());
        assertPartitions(all.get(0).partitions().get(0), 0, 11, -1, "");
        OffsetFetchResponsePartitions refusedById = byId.groups().get(1).topics().get(0).partitions().get(0);
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), refusedById.errorCode());
        assertEquals(-1, refusedById.committedOffset());
        OffsetFetchResponsePartition refusedByName = byName.topics().get(0).partitions().get(0);
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), refusedByName.errorCode());
        assertEquals(-1, refusedByName.committedOffset());
        assertPartition(byName.topics().get(1).partitions().get(0), 0, 11, -1, "");
    }

    private OffsetFetchResponseData fetch(int version, OffsetFetchRequestData request, Principal principal) {
        return handler.handle(context(ApiMessageType.OFFSET_FETCH, version, principal), request).join();
    }

    private OffsetFetchResponseData fetch(int version, OffsetFetchRequestData request) {
        return handler.handle(context(ApiMessageType.OFFSET_FETCH, version), request).join();
    }

    private static void assertPartition(OffsetFetchResponsePartition partition, int index, long offset, int epoch,
                                        String metadata) {
        assertEquals(index, partition.partitionIndex());
        assertEquals(Errors.NONE.code(), partition.errorCode());
        assertEquals(offset, partition.committedOffset());
        assertEquals(epoch, partition.committedLeaderEpoch());
        assertEquals(metadata, partition.metadata());
    }

    private static void assertPartitions(OffsetFetchResponsePartitions partition, int index, long offset, int epoch,
                                         String metadata) {
        assertEquals(index, partition.partitionIndex());
        assertEquals(Errors.NONE.code(), partition.errorCode());
        assertEquals(offset, partition.committedOffset());
        assertEquals(epoch, partition.committedLeaderEpoch());
        assertEquals(metadata, partition.metadata());
    }
}
