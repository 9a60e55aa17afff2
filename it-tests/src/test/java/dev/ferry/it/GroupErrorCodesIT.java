package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.it.fixture.BrokerTester;
import dev.ferry.it.fixture.KafkaWireClient;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData.JoinGroupResponseMember;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupResponseData.MemberResponse;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.HeartbeatResponse;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.requests.LeaveGroupRequest;
import org.apache.kafka.common.requests.LeaveGroupResponse;
import org.apache.kafka.common.requests.SyncGroupRequest;
import org.apache.kafka.common.requests.SyncGroupResponse;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The error codes of the classic group protocol (JoinGroup, SyncGroup, Heartbeat) for requests a well-behaved
 * client sends only by mistake or by losing a race: written with kafka-clients' own request classes on raw
 * connections, so that each test controls exactly which member says what, and when. Each test works on a group of
 * its own, named after the test.
 */
@Timeout(60)
class GroupErrorCodesIT {

    private static final String TOPIC = "signals";
    private static final String CONSUMER = "consumer";
    private static final String RANGE = "range";
    private static final int MIN_SESSION_TIMEOUT_MS = 1_000;
    private static final int MAX_SESSION_TIMEOUT_MS = 60_000;
    /** Long enough that no member of these tests expires while the test talks to it. */
    private static final int SESSION_TIMEOUT_MS = 30_000;
    private static final int REBALANCE_TIMEOUT_MS = 30_000;
    private static final Duration REBALANCE_NOTICE_TIMEOUT = Duration.ofSeconds(10);
    private static final short JOIN_VERSION = ApiKeys.JOIN_GROUP.latestVersion();
    private static final short SYNC_VERSION = ApiKeys.SYNC_GROUP.latestVersion();
    private static final short HEARTBEAT_VERSION = ApiKeys.HEARTBEAT.latestVersion();
    private static final short LEAVE_VERSION = ApiKeys.LEAVE_GROUP.latestVersion();

    @TempDir
    static Path dataDir;

    private static BrokerTester tester;

    private String group;

    /** A member that completed JoinGroup: its id and the generation it joined. */
    private record Joined(String memberId, int generationId, String leader) {
    }

    @BeforeAll
    static void startBroker() {
        tester = BrokerTester.start(dataDir, Map.of(
                "group.initial.rebalance.delay.ms", "0",
                "group.min.session.timeout.ms", Integer.toString(MIN_SESSION_TIMEOUT_MS),
                "group.max.session.timeout.ms", Integer.toString(MAX_SESSION_TIMEOUT_MS)));
        tester.createTopic(TOPIC, 2);
    }

    @AfterAll
    static void stopBroker() {
        if (tester != null) {
            tester.close();
        }
    }

    @BeforeEach
    void nameGroupAfterTest(TestInfo test) {
        group = test.getTestMethod().orElseThrow().getName();
    }

    @Test
    void shouldAskANewDynamicMemberForAMemberIdThenAcceptTheJoinThatCarriesIt() {
        try (var client = KafkaWireClient.connect(tester.port(), "newcomer")) {
            JoinGroupResponseData first = join(client, joinRequest("", null, SESSION_TIMEOUT_MS));
            assertEquals(Errors.MEMBER_ID_REQUIRED, Errors.forCode(first.errorCode()), "first join");
            String memberId = first.memberId();
            assertFalse(memberId.isEmpty(), "the member id handed out with MEMBER_ID_REQUIRED");
            assertTrue(memberId.startsWith("newcomer-"), "member id built from the client id: " + memberId);

            JoinGroupResponseData second = join(client, joinRequest(memberId, null, SESSION_TIMEOUT_MS));
            assertEquals(Errors.NONE, Errors.forCode(second.errorCode()), "join with the member id");
            assertEquals(memberId, second.memberId(), "member id in the successful join");
            assertEquals(1, second.generationId(), "first generation of a new group");
            assertEquals(memberId, second.leader(), "the only member leads");
            assertEquals(CONSUMER, second.protocolType(), "protocol type");
            assertEquals(RANGE, second.protocolName(), "protocol chosen");
            assertEquals(List.of(memberId), second.members().stream().map(JoinGroupResponseMember::memberId).toList(),
                    "members sent to the leader");
            assertArrayEquals(subscriptionMetadata(), second.members().get(0).metadata(),
                    "the leader receives the member's subscription as sent");

            byte[] assignment = assignmentMetadata(0, 1);
            SyncGroupResponseData sync = sync(client, memberId, null, 1, Map.of(memberId, assignment));
            assertEquals(Errors.NONE, Errors.forCode(sync.errorCode()), "sync of the leader");
            assertArrayEquals(assignment, sync.assignment(), "assignment returned to the leader");
            assertEquals(Errors.NONE, heartbeat(client, memberId, null, 1), "heartbeat of the stable member");
        }
    }

    @Test
    void shouldRejectSyncGroupAndHeartbeatOfAnotherGeneration() {
        try (var client = KafkaWireClient.connect(tester.port(), "stale")) {
            Joined member = joinAndSyncAlone(client);

            int next = member.generationId() + 1;
            assertEquals(Errors.ILLEGAL_GENERATION,
                    Errors.forCode(sync(client, member.memberId(), null, next, Map.of()).errorCode()),
                    "SyncGroup of a generation that does not exist yet");
            assertEquals(Errors.ILLEGAL_GENERATION, heartbeat(client, member.memberId(), null, next),
                    "Heartbeat of a generation that does not exist yet");
            assertEquals(Errors.ILLEGAL_GENERATION,
                    heartbeat(client, member.memberId(), null, member.generationId() - 1),
                    "Heartbeat of a past generation");
            assertEquals(Errors.NONE, heartbeat(client, member.memberId(), null, member.generationId()),
                    "Heartbeat of the current generation still succeeds");
        }
    }

    @Test
    void shouldRejectRequestsOfAMemberTheGroupDoesNotKnow() {
        try (var client = KafkaWireClient.connect(tester.port(), "stranger")) {
            Joined member = joinAndSyncAlone(client);

            assertEquals(Errors.UNKNOWN_MEMBER_ID,
                    Errors.forCode(sync(client, "stranger-1", null, member.generationId(), Map.of()).errorCode()),
                    "SyncGroup of an unknown member");
            assertEquals(Errors.UNKNOWN_MEMBER_ID, heartbeat(client, "stranger-1", null, member.generationId()),
                    "Heartbeat of an unknown member");
            assertEquals(Errors.UNKNOWN_MEMBER_ID,
                    Errors.forCode(join(client, joinRequest("stranger-1", null, SESSION_TIMEOUT_MS)).errorCode()),
                    "JoinGroup with a member id the group never handed out");
            assertEquals(Errors.NONE, heartbeat(client, member.memberId(), null, member.generationId()),
                    "the real member is undisturbed");
        }
    }

    @Test
    void shouldRejectRequestsOfAMemberOfAGroupThatDoesNotExist() {
        try (var client = KafkaWireClient.connect(tester.port(), "lost")) {
            assertEquals(Errors.UNKNOWN_MEMBER_ID, heartbeat(client, "lost-1", null, 1), "Heartbeat");
            assertEquals(Errors.UNKNOWN_MEMBER_ID, Errors.forCode(sync(client, "lost-1", null, 1, Map.of())
                    .errorCode()), "SyncGroup");
            assertEquals(Errors.UNKNOWN_MEMBER_ID,
                    Errors.forCode(join(client, joinRequest("lost-1", null, SESSION_TIMEOUT_MS)).errorCode()),
                    "JoinGroup with a member id");
        }
    }

    @Test
    void shouldRejectAJoinWhoseProtocolTypeOrProtocolsTheGroupCannotUse() {
        try (var first = KafkaWireClient.connect(tester.port(), "first");
             var second = KafkaWireClient.connect(tester.port(), "second")) {
            Joined member = joinAndSyncAlone(first);

            JoinGroupRequestData otherType = joinRequest("", null, SESSION_TIMEOUT_MS).setProtocolType("connect");
            JoinGroupResponseData otherTypeResponse = join(second, otherType);
            assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL, Errors.forCode(otherTypeResponse.errorCode()),
                    "JoinGroup with protocol type connect to a consumer group");

            JoinGroupRequestData noCommonProtocol = joinRequest("", null, SESSION_TIMEOUT_MS)
                    .setProtocols(protocols("roundrobin"));
            assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL,
                    Errors.forCode(join(second, noCommonProtocol).errorCode()),
                    "JoinGroup offering only protocols no member supports");

            assertEquals(Errors.NONE, heartbeat(first, member.memberId(), null, member.generationId()),
                    "the group is still stable in the same generation");
        }
    }

    @Test
    void shouldRejectASessionTimeoutOutsideTheBrokersBounds() {
        try (var client = KafkaWireClient.connect(tester.port(), "timeouts")) {
            assertEquals(Errors.INVALID_SESSION_TIMEOUT, Errors.forCode(join(client,
                    joinRequest("", null, MIN_SESSION_TIMEOUT_MS - 1)).errorCode()), "below the minimum");
            assertEquals(Errors.INVALID_SESSION_TIMEOUT, Errors.forCode(join(client,
                    joinRequest("", null, MAX_SESSION_TIMEOUT_MS + 1)).errorCode()), "above the maximum");
            assertEquals(Errors.MEMBER_ID_REQUIRED, Errors.forCode(join(client,
                    joinRequest("", null, MIN_SESSION_TIMEOUT_MS)).errorCode()), "the minimum itself is accepted");
            assertEquals(Errors.MEMBER_ID_REQUIRED, Errors.forCode(join(client,
                    joinRequest("", null, MAX_SESSION_TIMEOUT_MS)).errorCode()), "the maximum itself is accepted");
        }
    }

    @Test
    void shouldFenceARequestThatClaimsAStaticMembersInstanceIdWithAnotherMemberId() {
        try (var client = KafkaWireClient.connect(tester.port(), "static")) {
            JoinGroupResponseData joined = join(client, joinRequest("", "instance-1", SESSION_TIMEOUT_MS));
            assertEquals(Errors.NONE, Errors.forCode(joined.errorCode()),
                    "a static member joins without being asked for a member id");
            String memberId = joined.memberId();
            int generation = joined.generationId();
            assertEquals(Errors.NONE, Errors.forCode(sync(client, memberId, "instance-1", generation,
                    Map.of(memberId, assignmentMetadata(0, 1))).errorCode()), "sync of the static member");

            String impostor = "impostor-1";
            assertEquals(Errors.FENCED_INSTANCE_ID, heartbeat(client, impostor, "instance-1", generation),
                    "Heartbeat");
            assertEquals(Errors.FENCED_INSTANCE_ID,
                    Errors.forCode(sync(client, impostor, "instance-1", generation, Map.of()).errorCode()),
                    "SyncGroup");
            assertEquals(Errors.FENCED_INSTANCE_ID,
                    Errors.forCode(join(client, joinRequest(impostor, "instance-1", SESSION_TIMEOUT_MS)).errorCode()),
                    "JoinGroup");
            assertEquals(Errors.NONE, heartbeat(client, memberId, "instance-1", generation),
                    "the static member itself is undisturbed");
        }
    }

    @Test
    void shouldTellAMemberToRejoinWhileTheGroupRebalancesAndThenCompleteTheNextGeneration() {
        try (var leader = KafkaWireClient.connect(tester.port(), "leader");
             var newcomer = KafkaWireClient.connect(tester.port(), "newcomer")) {
            Joined first = joinAndSyncAlone(leader);

            JoinGroupResponseData idRequired = join(newcomer, joinRequest("", null, SESSION_TIMEOUT_MS));
            assertEquals(Errors.MEMBER_ID_REQUIRED, Errors.forCode(idRequired.errorCode()), "newcomer's first join");
            String newcomerId = idRequired.memberId();
            // parked by the broker until every known member has rejoined
            newcomer.send(new JoinGroupRequest.Builder(joinRequest(newcomerId, null, SESSION_TIMEOUT_MS))
                    .build(JOIN_VERSION));

            Errors heartbeatError = heartbeatUntilNotNone(leader, first);
            assertEquals(Errors.REBALANCE_IN_PROGRESS, heartbeatError, "heartbeat after another member joined");
            assertEquals(Errors.REBALANCE_IN_PROGRESS, Errors.forCode(sync(leader, first.memberId(), null,
                    first.generationId(), Map.of()).errorCode()), "SyncGroup while the group prepares a rebalance");

            JoinGroupResponseData rejoined = join(leader, joinRequest(first.memberId(), null, SESSION_TIMEOUT_MS));
            JoinGroupResponseData newcomerJoined = newcomer.receive(JoinGroupResponse.class).data();
            assertEquals(Errors.NONE, Errors.forCode(rejoined.errorCode()), "rejoin of the first member");
            assertEquals(Errors.NONE, Errors.forCode(newcomerJoined.errorCode()), "join of the newcomer");
            int generation = first.generationId() + 1;
            assertEquals(generation, rejoined.generationId(), "generation after the rebalance");
            assertEquals(generation, newcomerJoined.generationId(), "the newcomer's generation");
            assertEquals(first.memberId(), rejoined.leader(), "the first member still leads");
            assertEquals(first.memberId(), newcomerJoined.leader(), "leader named to the newcomer");
            assertEquals(Set.of(first.memberId(), newcomerId), rejoined.members().stream()
                    .map(JoinGroupResponseMember::memberId).collect(Collectors.toSet()), "members sent to the leader");
            assertEquals(List.of(), newcomerJoined.members(), "a follower is not sent the members");

            byte[] leaderAssignment = assignmentMetadata(0);
            byte[] newcomerAssignment = assignmentMetadata(1);
            // the follower's SyncGroup waits for the leader's, which carries everyone's assignment
            newcomer.send(new SyncGroupRequest.Builder(syncRequest(newcomerId, null, generation, Map.of()))
                    .build(SYNC_VERSION));
            SyncGroupResponseData leaderSync = sync(leader, first.memberId(), null, generation,
                    Map.of(first.memberId(), leaderAssignment, newcomerId, newcomerAssignment));
            SyncGroupResponseData newcomerSync = newcomer.receive(SyncGroupResponse.class).data();
            assertEquals(Errors.NONE, Errors.forCode(leaderSync.errorCode()), "leader's sync");
            assertEquals(Errors.NONE, Errors.forCode(newcomerSync.errorCode()), "newcomer's sync");
            assertArrayEquals(leaderAssignment, leaderSync.assignment(), "leader's assignment");
            assertArrayEquals(newcomerAssignment, newcomerSync.assignment(), "newcomer's assignment");
            assertEquals(Errors.NONE, heartbeat(leader, first.memberId(), null, generation), "leader heartbeat");
            assertEquals(Errors.NONE, heartbeat(newcomer, newcomerId, null, generation), "newcomer heartbeat");
        }
    }

    @Test
    void shouldRejectAJoinWithoutAGroupId() {
        try (var client = KafkaWireClient.connect(tester.port(), "anonymous")) {
            JoinGroupRequestData request = joinRequest("", null, SESSION_TIMEOUT_MS).setGroupId("");
            assertEquals(Errors.INVALID_GROUP_ID, Errors.forCode(join(client, request).errorCode()), "JoinGroup");
        }
    }

    @Test
    void shouldRefuseANewMemberOnceTheGroupHasItsMaximumSize(@TempDir Path otherDataDir) {
        try (var small = BrokerTester.start(otherDataDir, Map.of(
                "group.initial.rebalance.delay.ms", "0",
                "group.max.size", "1"));
             var first = KafkaWireClient.connect(small.port(), "first");
             var second = KafkaWireClient.connect(small.port(), "second")) {
            Joined member = joinAndSyncAlone(first);
            JoinGroupResponseData refused = join(second, joinRequest("", null, SESSION_TIMEOUT_MS));
            assertEquals(Errors.GROUP_MAX_SIZE_REACHED, Errors.forCode(refused.errorCode()),
                    "JoinGroup of a second member to a group of at most one");
            assertEquals(Errors.NONE, heartbeat(first, member.memberId(), null, member.generationId()),
                    "the member already in is undisturbed");
        }
    }

    @Test
    void shouldAnswerALeaveGroupMemberByMember() {
        try (var client = KafkaWireClient.connect(tester.port(), "leaver")) {
            Joined member = joinAndSyncAlone(client);
            LeaveGroupResponseData left = client.exchange(new LeaveGroupRequest.Builder(group, List.of(
                    new MemberIdentity().setMemberId(member.memberId()),
                    new MemberIdentity().setMemberId("ghost-1"))).build(LEAVE_VERSION), LeaveGroupResponse.class)
                    .data();
            assertEquals(Errors.NONE, Errors.forCode(left.errorCode()), "error of the whole request");
            Map<String, Errors> byMember = left.members().stream().collect(Collectors.toMap(
                    MemberResponse::memberId, response -> Errors.forCode(response.errorCode())));
            assertEquals(Map.of(member.memberId(), Errors.NONE, "ghost-1", Errors.UNKNOWN_MEMBER_ID), byMember,
                    "error of each member");
            assertEquals(Errors.UNKNOWN_MEMBER_ID, heartbeat(client, member.memberId(), null,
                    member.generationId()), "heartbeat of the member that left");

            LeaveGroupResponseData nowhere = client.exchange(new LeaveGroupRequest.Builder("no-such-group", List.of(
                    new MemberIdentity().setMemberId("ghost-2"))).build(LEAVE_VERSION), LeaveGroupResponse.class)
                    .data();
            assertEquals(Errors.UNKNOWN_MEMBER_ID, Errors.forCode(nowhere.errorCode()),
                    "leaving a group that does not exist");
        }
    }

    /** Joins {@link #group} as its only, dynamic member and completes the SyncGroup as its leader. */
    private Joined joinAndSyncAlone(KafkaWireClient client) {
        JoinGroupResponseData idRequired = join(client, joinRequest("", null, SESSION_TIMEOUT_MS));
        assertEquals(Errors.MEMBER_ID_REQUIRED, Errors.forCode(idRequired.errorCode()), "first join");
        JoinGroupResponseData joined = join(client, joinRequest(idRequired.memberId(), null, SESSION_TIMEOUT_MS));
        assertEquals(Errors.NONE, Errors.forCode(joined.errorCode()), "join with the member id");
        assertEquals(joined.memberId(), joined.leader(), "the only member leads");
        SyncGroupResponseData synced = sync(client, joined.memberId(), null, joined.generationId(),
                Map.of(joined.memberId(), assignmentMetadata(0, 1)));
        assertEquals(Errors.NONE, Errors.forCode(synced.errorCode()), "sync");
        return new Joined(joined.memberId(), joined.generationId(), joined.leader());
    }

    /** Heartbeats until the broker answers with an error, which the rebalance must cause soon. */
    private Errors heartbeatUntilNotNone(KafkaWireClient client, Joined member) {
        long deadline = System.nanoTime() + REBALANCE_NOTICE_TIMEOUT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            Errors error = heartbeat(client, member.memberId(), null, member.generationId());
            if (error != Errors.NONE) {
                return error;
            }
        }
        throw new AssertionError("Heartbeats kept succeeding for " + REBALANCE_NOTICE_TIMEOUT
                + " after another member joined");
    }

    private JoinGroupRequestData joinRequest(String memberId, String instanceId, int sessionTimeoutMs) {
        return new JoinGroupRequestData()
                .setGroupId(group)
                .setSessionTimeoutMs(sessionTimeoutMs)
                .setRebalanceTimeoutMs(REBALANCE_TIMEOUT_MS)
                .setMemberId(memberId)
                .setGroupInstanceId(instanceId)
                .setProtocolType(CONSUMER)
                .setProtocols(protocols(RANGE));
    }

    private static JoinGroupRequestProtocolCollection protocols(String name) {
        JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestProtocol().setName(name).setMetadata(subscriptionMetadata()));
        return protocols;
    }

    private SyncGroupRequestData syncRequest(String memberId, String instanceId, int generation,
                                             Map<String, byte[]> assignments) {
        return new SyncGroupRequestData()
                .setGroupId(group)
                .setGenerationId(generation)
                .setMemberId(memberId)
                .setGroupInstanceId(instanceId)
                .setProtocolType(CONSUMER)
                .setProtocolName(RANGE)
                .setAssignments(assignments.entrySet().stream()
                        .map(entry -> new SyncGroupRequestAssignment()
                                .setMemberId(entry.getKey())
                                .setAssignment(entry.getValue()))
                        .toList());
    }

    private static JoinGroupResponseData join(KafkaWireClient client, JoinGroupRequestData request) {
        return client.exchange(new JoinGroupRequest.Builder(request).build(JOIN_VERSION), JoinGroupResponse.class)
                .data();
    }

    private SyncGroupResponseData sync(KafkaWireClient client, String memberId, String instanceId, int generation,
                                       Map<String, byte[]> assignments) {
        SyncGroupRequestData request = syncRequest(memberId, instanceId, generation, assignments);
        return client.exchange(new SyncGroupRequest.Builder(request).build(SYNC_VERSION), SyncGroupResponse.class)
                .data();
    }

    private Errors heartbeat(KafkaWireClient client, String memberId, String instanceId, int generation) {
        HeartbeatRequestData request = new HeartbeatRequestData()
                .setGroupId(group)
                .setMemberId(memberId)
                .setGroupInstanceId(instanceId)
                .setGenerationId(generation);
        HeartbeatResponse response = client.exchange(new HeartbeatRequest.Builder(request).build(HEARTBEAT_VERSION),
                HeartbeatResponse.class);
        return Errors.forCode(response.data().errorCode());
    }

    private static byte[] subscriptionMetadata() {
        return toBytes(ConsumerProtocol.serializeSubscription(new Subscription(List.of(TOPIC))));
    }

    private static byte[] assignmentMetadata(int... partitions) {
        List<TopicPartition> assigned = Arrays.stream(partitions)
                .mapToObj(partition -> new TopicPartition(TOPIC, partition)).toList();
        return toBytes(ConsumerProtocol.serializeAssignment(new Assignment(assigned)));
    }

    private static byte[] toBytes(ByteBuffer buffer) {
        return Utils.toArray(buffer);
    }
}
