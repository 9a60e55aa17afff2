package dev.ferry.broker.handler;

import static dev.ferry.broker.handler.TopicsFixture.context;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.broker.tenant.Role;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.OffsetCommitRequestData;
import dev.ferry.protocol.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import dev.ferry.protocol.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import dev.ferry.protocol.message.OffsetCommitResponseData;
import dev.ferry.protocol.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import dev.ferry.protocol.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import dev.ferry.storage.TopicPartition;
import dev.ferry.storage.offsets.CommittedOffset;
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

class OffsetCommitHandlerTest {

    private static final String GROUP = "billing";
    private static final String TOPIC = "orders";
    private static final long NOW_MS = 1_700_000_000_000L;

    @TempDir
    Path logDir;
    @TempDir
    Path offsetsDir;

    private TopicsFixture fixture;
    private OffsetStore store;
    private OffsetCommitHandler handler;

    @BeforeEach
    void start() {
        fixture = new TopicsFixture(logDir, Map.of());
        assertTrue(fixture.topics.create(TOPIC, 2, Map.of(), false).isOk());
        store = OffsetStore.open(offsetsDir, OffsetStoreConfig.defaults());
        handler = new OffsetCommitHandler(fixture.topics, fixture.groupCoordinator(store, () -> NOW_MS));
    }

    @AfterEach
    void stop() {
        store.close();
        fixture.close();
    }

    @Test
    void shouldStoreASimpleCommitWithItsEpochMetadataAndTheCommitTime() {
        OffsetCommitResponseData response = commit(9, simpleCommit(topic(TOPIC,
                partition(0, 42).setCommittedLeaderEpoch(3).setCommittedMetadata("m0"),
                partition(1, 7).setCommittedMetadata(null))));

        assertErrors(response, Errors.NONE, Errors.NONE);
        assertEquals(TOPIC, response.topics().get(0).name());
        assertEquals(Map.of(new TopicPartition(TOPIC, 0), new CommittedOffset(42, 3, "m0", NOW_MS),
                new TopicPartition(TOPIC, 1), new CommittedOffset(7, -1, "", NOW_MS)), store.offsets(GROUP));
    }

    @Test
    void shouldReplaceAnEarlierCommitOfTheSamePartition() {
        commit(8, simpleCommit(topic(TOPIC, partition(0, 10))));
        commit(8, simpleCommit(topic(TOPIC, partition(0, 20))));

        assertEquals(20, store.offset(GROUP, new TopicPartition(TOPIC, 0)).orElseThrow().offset());
    }

    @Test
    void shouldAnswerUnknownTopicOrPartitionPerPartitionAndCommitTheRest() {
        OffsetCommitResponseData response = commit(8, simpleCommit(
                topic(TOPIC, partition(0, 1), partition(2, 1), partition(-1, 1)),
                topic("missing", partition(0, 1))));

        assertEquals(List.of(Errors.NONE.code(), Errors.UNKNOWN_TOPIC_OR_PARTITION.code(),
                Errors.UNKNOWN_TOPIC_OR_PARTITION.code()), codes(response.topics().get(0)));
        assertEquals(List.of(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()), codes(response.topics().get(1)));
        assertEquals(List.of(new TopicPartition(TOPIC, 0)), List.copyOf(store.offsets(GROUP).keySet()));
    }

    @Test
    void shouldRefuseMetadataLongerThanTheMaximumForThatPartitionOnly() {
        String tooLong = "x".repeat(4097);
        OffsetCommitResponseData response = commit(8, simpleCommit(topic(TOPIC,
                partition(0, 5).setCommittedMetadata(tooLong), partition(1, 6))));

        assertErrors(response, Errors.OFFSET_METADATA_TOO_LARGE, Errors.NONE);
        assertEquals(List.of(new TopicPartition(TOPIC, 1)), List.copyOf(store.offsets(GROUP).keySet()));
    }

    @Test
    void shouldRefuseAnEmptyGroupId() {
        OffsetCommitRequestData request = simpleCommit(topic(TOPIC, partition(0, 5))).setGroupId("");

        assertErrors(commit(8, request), Errors.INVALID_GROUP_ID);
        assertTrue(store.groups().isEmpty());
    }

    @Test
    void shouldRefuseAMemberGenerationOfAMissingGroupByVersion() {
        OffsetCommitRequestData request = simpleCommit(topic(TOPIC, partition(0, 5)))
                .setGenerationIdOrMemberEpoch(1).setMemberId("consumer-1");

        assertErrors(commit(8, request), Errors.ILLEGAL_GENERATION);
        assertErrors(commit(9, request), Errors.GROUP_ID_NOT_FOUND);
        assertTrue(store.groups().isEmpty());
    }

    @Test
    void shouldRefuseAMemberOfAnExistingGroupAsUnknown() {
        commit(9, simpleCommit(topic(TOPIC, partition(0, 5))));
        OffsetCommitRequestData request = simpleCommit(topic(TOPIC, partition(0, 9)))
                .setGenerationIdOrMemberEpoch(2).setMemberId("consumer-1");

        assertErrors(commit(9, request), Errors.UNKNOWN_MEMBER_ID);
        assertEquals(5, store.offset(GROUP, new TopicPartition(TOPIC, 0)).orElseThrow().offset());
    }

    @Test
    void shouldAcceptAMemberIdWithoutAGeneration() {
        OffsetCommitRequestData request = simpleCommit(topic(TOPIC, partition(0, 5))).setMemberId("consumer-1");

        assertErrors(commit(9, request), Errors.NONE);
    }

    @Test
    void shouldNameTopicsByIdFromVersion10() {
        UUID id = fixture.topics.topic(TOPIC).orElseThrow().id();
        UUID unknown = UUID.randomUUID();
        OffsetCommitRequestData request = simpleCommit(
                new OffsetCommitRequestTopic().setTopicId(id).setPartitions(new ArrayList<>(List.of(partition(1, 8)))),
                new OffsetCommitRequestTopic().setTopicId(unknown)
                        .setPartitions(new ArrayList<>(List.of(partition(0, 8)))));

        OffsetCommitResponseData response = commit(10, request);

        assertEquals(id, response.topics().get(0).topicId());
        assertEquals(List.of(Errors.NONE.code()), codes(response.topics().get(0)));
        assertEquals(unknown, response.topics().get(1).topicId());
        assertEquals(List.of(Errors.UNKNOWN_TOPIC_ID.code()), codes(response.topics().get(1)));
        assertEquals(8, store.offset(GROUP, new TopicPartition(TOPIC, 1)).orElseThrow().offset());
    }

    @Test
    void shouldEncodeTheResponseAtEveryVersion() {
        UUID id = fixture.topics.topic(TOPIC).orElseThrow().id();
        ApiMessageType api = ApiMessageType.OFFSET_COMMIT;
        for (short version = api.lowestSupportedVersion(); version <= api.highestSupportedVersion(); version++) {
            OffsetCommitRequestTopic topic = version >= 10
                    ? new OffsetCommitRequestTopic().setTopicId(id)
                    : new OffsetCommitRequestTopic().setName(TOPIC);
            topic.setPartitions(new ArrayList<>(List.of(partition(0, version))));
            OffsetCommitResponseData response = commit(version, simpleCommit(topic));
            ByteBuf out = Unpooled.buffer();
            try {
                response.write(out, version);
                OffsetCommitResponseData decoded = new OffsetCommitResponseData(out, version);
                assertEquals(Errors.NONE.code(), decoded.topics().get(0).partitions().get(0).errorCode(),
                        "version " + version);
            } finally {
                out.release();
            }
            assertEquals(version, store.offset(GROUP, new TopicPartition(TOPIC, 0)).orElseThrow().offset());
        }
    }

    @Test
    void shouldRefuseATenantAnotherApplicationsGroupForEveryPartitionAndCommitNothing() {
        assertTrue(fixture.topics.create("acme.orders", 2, Map.of(), false).isOk());
        OffsetCommitRequestData request = simpleCommit(topic("acme.orders", partition(0, 5), partition(1, 6)))
                .setGroupId("globex.billing");

        OffsetCommitResponseData response = handler.handle(
                context(ApiMessageType.OFFSET_COMMIT, 8, TopicsFixture.acme(Role.ALL)), request).join();

        assertErrors(response, Errors.GROUP_AUTHORIZATION_FAILED, Errors.GROUP_AUTHORIZATION_FAILED);
        assertEquals(Map.of(), store.offsets("globex.billing"));
    }

    @Test
    void shouldRefuseAnotherApplicationsTopicWhetherItExistsAndCommitTheTenantsOwn() {
        assertTrue(fixture.topics.create("acme.orders", 1, Map.of(), false).isOk());
        assertTrue(fixture.topics.create("globex.orders", 1, Map.of(), false).isOk());
        OffsetCommitRequestData request = simpleCommit(topic("acme.orders", partition(0, 5)),
                topic("globex.orders", partition(0, 6)), topic("globex.missing", partition(0, 7)))
                .setGroupId("acme.billing");

        OffsetCommitResponseData response = handler.handle(
                context(ApiMessageType.OFFSET_COMMIT, 8, TopicsFixture.acme(Role.CONSUME)), request).join();

        assertEquals(List.of(Errors.NONE.code()), codes(response.topics().get(0)));
        assertEquals(List.of(Errors.TOPIC_AUTHORIZATION_FAILED.code()), codes(response.topics().get(1)));
        assertEquals(List.of(Errors.TOPIC_AUTHORIZATION_FAILED.code()), codes(response.topics().get(2)));
        assertEquals(Map.of(new TopicPartition("acme.orders", 0), new CommittedOffset(5, -1, "", NOW_MS)),
                store.offsets("acme.billing"));
    }

    @Test
    void shouldRefuseAnotherApplicationsTopicGivenByIdButKeepAnUnknownIdUnknown() {
        assertTrue(fixture.topics.create("globex.orders", 1, Map.of(), false).isOk());
        UUID theirs = fixture.topics.topic("globex.orders").orElseThrow().id();
        OffsetCommitRequestData request = simpleCommit(
                new OffsetCommitRequestTopic().setTopicId(theirs).setPartitions(new ArrayList<>(List.of(
                        partition(0, 1)))),
                new OffsetCommitRequestTopic().setTopicId(UUID.randomUUID()).setPartitions(new ArrayList<>(List.of(
                        partition(0, 1))))).setGroupId("acme.billing");

        OffsetCommitResponseData response = handler.handle(
                context(ApiMessageType.OFFSET_COMMIT, 10, TopicsFixture.acme(Role.ALL)), request).join();

        assertEquals(List.of(Errors.TOPIC_AUTHORIZATION_FAILED.code()), codes(response.topics().get(0)));
        assertEquals(List.of(Errors.UNKNOWN_TOPIC_ID.code()), codes(response.topics().get(1)));
        assertEquals(Map.of(), store.offsets("acme.billing"));
    }

    @Test
    void shouldRefuseAProduceOnlyKeyCommittingForItsOwnGroup() {
        assertTrue(fixture.topics.create("acme.orders", 1, Map.of(), false).isOk());
        OffsetCommitRequestData request = simpleCommit(topic("acme.orders", partition(0, 5)))
                .setGroupId("acme.billing");

        OffsetCommitResponseData response = handler.handle(
                context(ApiMessageType.OFFSET_COMMIT, 8, TopicsFixture.acme(Role.PRODUCE)), request).join();

        assertErrors(response, Errors.GROUP_AUTHORIZATION_FAILED);
        assertEquals(Map.of(), store.offsets("acme.billing"));
    }

    private OffsetCommitResponseData commit(int version, OffsetCommitRequestData request) {
        return handler.handle(context(ApiMessageType.OFFSET_COMMIT, version), request).join();
    }

    private static OffsetCommitRequestData simpleCommit(OffsetCommitRequestTopic... topics) {
        return new OffsetCommitRequestData().setGroupId(GROUP).setGenerationIdOrMemberEpoch(-1).setMemberId("")
                .setTopics(new ArrayList<>(List.of(topics)));
    }

    private static OffsetCommitRequestTopic topic(String name, OffsetCommitRequestPartition... partitions) {
        return new OffsetCommitRequestTopic().setName(name).setPartitions(new ArrayList<>(List.of(partitions)));
    }

    private static OffsetCommitRequestPartition partition(int index, long offset) {
        return new OffsetCommitRequestPartition().setPartitionIndex(index).setCommittedOffset(offset)
                .setCommittedMetadata("");
    }

    private static void assertErrors(OffsetCommitResponseData response, Errors... expected) {
        List<Short> codes = new ArrayList<>();
        for (OffsetCommitResponseTopic topic : response.topics()) {
            codes.addAll(codes(topic));
        }
        List<Short> wanted = new ArrayList<>();
        for (Errors error : expected) {
            wanted.add(error.code());
        }
        assertEquals(wanted, codes);
    }

    private static List<Short> codes(OffsetCommitResponseTopic topic) {
        List<Short> codes = new ArrayList<>();
        for (OffsetCommitResponsePartition partition : topic.partitions()) {
            codes.add(partition.errorCode());
        }
        return codes;
    }
}
