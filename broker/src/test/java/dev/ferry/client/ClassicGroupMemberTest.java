package dev.ferry.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.ConsumerProtocol;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ApiVersionsRequestData;
import dev.ferry.protocol.message.ConsumerProtocolAssignmentData;
import dev.ferry.protocol.message.FetchRequestData;
import dev.ferry.protocol.message.FetchResponseData;
import dev.ferry.protocol.message.FindCoordinatorRequestData;
import dev.ferry.protocol.message.FindCoordinatorResponseData;
import dev.ferry.protocol.message.FindCoordinatorResponseData.Coordinator;
import dev.ferry.protocol.message.HeartbeatRequestData;
import dev.ferry.protocol.message.HeartbeatResponseData;
import dev.ferry.protocol.message.JoinGroupRequestData;
import dev.ferry.protocol.message.JoinGroupResponseData;
import dev.ferry.protocol.message.JoinGroupResponseData.JoinGroupResponseMember;
import dev.ferry.protocol.message.LeaveGroupRequestData;
import dev.ferry.protocol.message.LeaveGroupResponseData;
import dev.ferry.protocol.message.ListOffsetsRequestData;
import dev.ferry.protocol.message.ListOffsetsResponseData;
import dev.ferry.protocol.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import dev.ferry.protocol.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import dev.ferry.protocol.message.MetadataRequestData;
import dev.ferry.protocol.message.OffsetCommitRequestData;
import dev.ferry.protocol.message.OffsetCommitResponseData;
import dev.ferry.protocol.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import dev.ferry.protocol.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import dev.ferry.protocol.message.OffsetFetchRequestData;
import dev.ferry.protocol.message.OffsetFetchResponseData;
import dev.ferry.protocol.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import dev.ferry.protocol.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import dev.ferry.protocol.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import dev.ferry.protocol.message.SyncGroupRequestData;
import dev.ferry.protocol.message.SyncGroupResponseData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The classic group protocol as the consumer speaks it, against a scripted coordinator: member id round trip,
 * range assignment as leader, starting positions, rejoining when a heartbeat reports a rebalance, committing in the
 * current generation, and leaving on close.
 */
@Timeout(30)
class ClassicGroupMemberTest {

    private static final String TOPIC = "t";
    private static final String GROUP = "g";
    private static final String MEMBER_ID = "m-1";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final List<JoinGroupRequestData> joins = Collections.synchronizedList(new ArrayList<>());
    private final List<SyncGroupRequestData> syncs = Collections.synchronizedList(new ArrayList<>());
    private final List<OffsetCommitRequestData> commits = Collections.synchronizedList(new ArrayList<>());
    private final List<LeaveGroupRequestData> leaves = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger heartbeats = new AtomicInteger();
    private final AtomicInteger generation = new AtomicInteger();

    /** A coordinator for {@value #GROUP} and leader of the three partitions of {@value #TOPIC}. */
    private FakeBroker coordinator() {
        FakeBroker[] self = new FakeBroker[1];
        self[0] = FakeBroker.start(() -> (header, request) -> {
            if (request instanceof ApiVersionsRequestData) {
                return FakeBroker.Reply.of(FakeBroker.allApiVersions());
            }
            if (request instanceof MetadataRequestData metadata) {
                return FakeBroker.Reply.of(self[0].metadata(metadata, Map.of(TOPIC, 3)));
            }
            if (request instanceof FindCoordinatorRequestData) {
                return FakeBroker.Reply.of(new FindCoordinatorResponseData().setCoordinators(List.of(
                        new Coordinator().setKey(GROUP).setNodeId(FakeBroker.NODE_ID).setHost("127.0.0.1")
                                .setPort(self[0].port()))));
            }
            if (request instanceof JoinGroupRequestData join) {
                return FakeBroker.Reply.of(join(join));
            }
            if (request instanceof SyncGroupRequestData sync) {
                syncs.add(sync);
                byte[] assignment = sync.assignments().stream().filter(a -> a.memberId().equals(MEMBER_ID))
                        .findFirst().orElseThrow().assignment();
                return FakeBroker.Reply.of(new SyncGroupResponseData().setProtocolType("consumer")
                        .setProtocolName("range").setAssignment(assignment));
            }
            if (request instanceof HeartbeatRequestData) {
                // the first heartbeat learns that another member is joining
                Errors error = heartbeats.incrementAndGet() == 1 ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
                return FakeBroker.Reply.of(new HeartbeatResponseData().setErrorCode(error.code()));
            }
            if (request instanceof OffsetFetchRequestData) {
                return FakeBroker.Reply.of(committedOffsetFivePartitionZero());
            }
            if (request instanceof ListOffsetsRequestData) {
                ListOffsetsResponseData response = new ListOffsetsResponseData();
                response.topics().add(new ListOffsetsTopicResponse().setName(TOPIC).setPartitions(List.of(
                        new ListOffsetsPartitionResponse().setPartitionIndex(1).setOffset(10),
                        new ListOffsetsPartitionResponse().setPartitionIndex(2).setOffset(10))));
                return FakeBroker.Reply.of(response);
            }
            if (request instanceof FetchRequestData) {
                return FakeBroker.Reply.of(new FetchResponseData());
            }
            if (request instanceof OffsetCommitRequestData commit) {
                commits.add(commit);
                OffsetCommitResponseData response = new OffsetCommitResponseData();
                commit.topics().forEach(topic -> response.topics().add(new OffsetCommitResponseTopic()
                        .setTopicId(topic.topicId()).setPartitions(topic.partitions().stream().map(p ->
                                new OffsetCommitResponsePartition().setPartitionIndex(p.partitionIndex())).toList())));
                return FakeBroker.Reply.of(response);
            }
            if (request instanceof LeaveGroupRequestData leave) {
                leaves.add(leave);
                return FakeBroker.Reply.of(new LeaveGroupResponseData());
            }
            throw new AssertionError("unexpected " + request);
        });
        return self[0];
    }

    private JoinGroupResponseData join(JoinGroupRequestData join) {
        joins.add(join);
        if (join.memberId().isEmpty()) {
            return new JoinGroupResponseData().setErrorCode(Errors.MEMBER_ID_REQUIRED.code()).setMemberId(MEMBER_ID)
                    .setProtocolName(null).setLeader("");
        }
        return new JoinGroupResponseData().setGenerationId(generation.incrementAndGet()).setProtocolType("consumer")
                .setProtocolName("range").setLeader(MEMBER_ID).setMemberId(MEMBER_ID)
                .setMembers(List.of(new JoinGroupResponseMember().setMemberId(MEMBER_ID)
                        .setMetadata(join.protocols().get(0).metadata())));
    }

    private static OffsetFetchResponseData committedOffsetFivePartitionZero() {
        OffsetFetchResponseTopics topic = new OffsetFetchResponseTopics().setTopicId(FakeBroker.topicId(TOPIC));
        topic.partitions().add(new OffsetFetchResponsePartitions().setPartitionIndex(0).setCommittedOffset(5));
        topic.partitions().add(new OffsetFetchResponsePartitions().setPartitionIndex(1).setCommittedOffset(-1));
        topic.partitions().add(new OffsetFetchResponsePartitions().setPartitionIndex(2).setCommittedOffset(-1));
        return new OffsetFetchResponseData().setGroups(List.of(new OffsetFetchResponseGroup().setGroupId(GROUP)
                .setTopics(List.of(topic))));
    }

    @Test
    void shouldJoinAsLeaderStartFromCommittedOffsetsRejoinOnRebalanceCommitAndLeave() {
        ConsumerSettings settings = ConsumerSettings.defaults(GROUP).withGroupTimeouts(Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofMillis(50));
        try (FakeBroker broker = coordinator();
             KafkaCluster cluster = new KafkaCluster(ClientSettings.to(broker.address()).withTimeouts(TIMEOUT,
                     TIMEOUT))) {
            Consumer consumer = Consumer.subscribe(cluster, settings, List.of(TOPIC));
            consumer.poll(Duration.ofMillis(10));

            Set<TopicPartition> all = Set.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1),
                    new TopicPartition(TOPIC, 2));
            assertEquals(all, consumer.assignment());
            assertEquals(Map.of(new TopicPartition(TOPIC, 0), 5L, new TopicPartition(TOPIC, 1), 10L,
                    new TopicPartition(TOPIC, 2), 10L), consumer.positions());
            assertEquals(List.of("", MEMBER_ID), joins.stream().map(JoinGroupRequestData::memberId).toList());
            JoinGroupRequestData join = joins.get(1);
            assertEquals("consumer", join.protocolType());
            assertEquals("range", join.protocols().get(0).name());
            assertEquals(List.of(TOPIC), ConsumerProtocol.readSubscription(join.protocols().get(0).metadata())
                    .topics());
            ConsumerProtocolAssignmentData assigned = ConsumerProtocol.readAssignment(
                    syncs.get(0).assignments().get(0).assignment());
            assertEquals(List.of(0, 1, 2), assigned.assignedPartitions().get(0).partitions());

            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (generation.get() < 2 || !consumer.isActive()) {
                assertTrue(System.nanoTime() < deadline, "no rejoin after the heartbeat reported a rebalance");
                consumer.poll(Duration.ofMillis(20));
            }
            assertEquals(MEMBER_ID, joins.get(2).memberId(), "a rejoin keeps the member id");
            assertEquals("the group is rebalancing", joins.get(2).reason());

            assertTrue(consumer.commit(Map.of(new TopicPartition(TOPIC, 0), 7L)));
            OffsetCommitRequestData commit = commits.get(0);
            assertEquals(2, commit.generationIdOrMemberEpoch());
            assertEquals(MEMBER_ID, commit.memberId());
            assertEquals(FakeBroker.topicId(TOPIC), commit.topics().get(0).topicId());
            assertEquals(7L, commit.topics().get(0).partitions().get(0).committedOffset());

            consumer.close();
            assertEquals(MEMBER_ID, leaves.get(0).members().get(0).memberId());
        }
    }
}
