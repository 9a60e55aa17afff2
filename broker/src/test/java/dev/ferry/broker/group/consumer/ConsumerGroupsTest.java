package dev.ferry.broker.group.consumer;

import static dev.ferry.broker.group.consumer.AssignmentChecks.partitions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.broker.group.GroupTimers;
import dev.ferry.broker.group.ManualScheduler;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import dev.ferry.protocol.message.ConsumerGroupDescribeResponseData.Member;
import dev.ferry.protocol.message.ConsumerGroupHeartbeatRequestData;
import dev.ferry.protocol.message.ConsumerGroupHeartbeatRequestData.TopicPartitions;
import dev.ferry.protocol.message.ConsumerGroupHeartbeatResponseData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsumerGroupsTest {

    static final String GROUP = "billing";
    static final String TOPIC = "orders";
    static final int REBALANCE_MS = 30_000;
    static final short V0 = 0;
    static final short V1 = 1;

    @TempDir
    Path dir;

    private final Object lock = new Object();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final Set<String> classicInUse = new HashSet<>();
    private final Set<String> emptyClassic = new HashSet<>();
    private TopicsForTest topics;
    private ConsumerGroups groups;
    private UUID orders;

    @BeforeEach
    void start() {
        topics = new TopicsForTest(dir);
        orders = topics.create(TOPIC, 4);
        groups = newGroups(ConsumerGroupSettings.defaults());
    }

    @AfterEach
    void stop() {
        topics.close();
    }

    private ConsumerGroups newGroups(ConsumerGroupSettings settings) {
        ClassicGroupGuard guard = new ClassicGroupGuard() {
            @Override
            public boolean isClassicGroupInUse(String groupId) {
                return classicInUse.contains(groupId);
            }

            @Override
            public void removeEmptyClassicGroup(String groupId) {
                emptyClassic.remove(groupId);
            }

            @Override
            public boolean isClassicGroup(String groupId) {
                return classicInUse.contains(groupId) || emptyClassic.contains(groupId);
            }
        };
        return new ConsumerGroups(settings, topics.topics, new GroupTimers(scheduler, lock), lock, guard,
                scheduler::nowMs);
    }

    // ---- joining and assignment

    @Test
    void shouldGiveTheFirstMemberEveryPartitionAtGroupEpochOne() {
        ConsumerGroupHeartbeatResponseData response = send(join("m1", TOPIC));

        assertEquals(Errors.NONE.code(), response.errorCode());
        assertEquals("m1", response.memberId());
        assertEquals(1, response.memberEpoch());
        assertEquals(5000, response.heartbeatIntervalMs());
        assertEquals(Assignment.allOf(orders, 4), assigned(response));
        assertEquals(Optional.of("Stable"), groups.state(GROUP));
        DescribedGroup described = groups.describe(GROUP);
        assertEquals(1, described.groupEpoch());
        assertEquals(1, described.assignmentEpoch());
        assertEquals("uniform", described.assignorName());
    }

    @Test
    void shouldRevokeFromTheOldMemberBeforeGivingToTheNewOne() {
        send(join("m1", TOPIC));

        ConsumerGroupHeartbeatResponseData second = send(join("m2", TOPIC));

        assertEquals(2, second.memberEpoch());
        assertEquals(Assignment.EMPTY, assigned(second), "its partitions are still m1's");
        assertEquals(Optional.of("Reconciling"), groups.state(GROUP));

        ConsumerGroupHeartbeatResponseData revoke = send(heartbeat("m1", 1, Assignment.allOf(orders, 4)));

        assertEquals(1, revoke.memberEpoch(), "m1 stays at its epoch until it revoked");
        Assignment kept = assigned(revoke);
        assertEquals(2, kept.size());
        assertNull(assigned(send(heartbeat("m2", 2, Assignment.EMPTY))), "nothing released yet");

        ConsumerGroupHeartbeatResponseData revoked = send(heartbeat("m1", 1, kept));

        assertEquals(2, revoked.memberEpoch());
        assertNull(assigned(revoked), "its assignment did not change");
        Assignment given = assigned(send(heartbeat("m2", 2, Assignment.EMPTY)));
        assertEquals(2, given.size());
        assertFalse(given.intersects(kept));
        assertEquals(Optional.of("Stable"), groups.state(GROUP));
    }

    @Test
    void shouldAnswerTheAssignmentOnlyWhenItChangedOrTheRequestIsFull() {
        send(join("m1", TOPIC));

        assertNull(assigned(send(heartbeat("m1", 1, Assignment.allOf(orders, 4)))));
        ConsumerGroupHeartbeatRequestData full = heartbeat("m1", 1, Assignment.allOf(orders, 4))
                .setRebalanceTimeoutMs(REBALANCE_MS).setSubscribedTopicNames(List.of(TOPIC));
        assertEquals(Assignment.allOf(orders, 4), assigned(send(full)));
    }

    @Test
    void shouldUseTheAssignorMostMembersAskFor() {
        send(join("m1", TOPIC).setServerAssignor("range"));
        send(join("m2", TOPIC).setServerAssignor("range"));
        send(join("m3", TOPIC).setServerAssignor("uniform"));

        DescribedGroup described = groups.describe(GROUP);

        assertEquals("range", described.assignorName());
        assertEquals(List.of(0, 1), target(described, "m1"));
        assertEquals(List.of(2), target(described, "m2"));
        assertEquals(List.of(3), target(described, "m3"));
    }

    @Test
    void shouldRevokeTheTopicAMemberUnsubscribesFromAtOnce() {
        UUID payments = topics.create("payments", 2);
        Assignment both = Assignment.allOf(orders, 4).union(Assignment.allOf(payments, 2));
        assertEquals(both, assigned(send(join("m1", TOPIC, "payments"))));

        ConsumerGroupHeartbeatResponseData narrowed = send(heartbeat("m1", 1, both)
                .setSubscribedTopicNames(List.of(TOPIC)));

        assertEquals(1, narrowed.memberEpoch(), "at its epoch until it stopped consuming payments");
        assertEquals(Assignment.allOf(orders, 4), assigned(narrowed));
        assertEquals(2, send(heartbeat("m1", 1, Assignment.allOf(orders, 4))).memberEpoch());
        assertEquals(Set.of(TOPIC), groups.subscribedTopics(GROUP));
    }

    // ---- topic metadata

    @Test
    void shouldFollowPartitionsAddedToASubscribedTopic() {
        send(join("m1", TOPIC));
        topics.grow(TOPIC, 6);

        ConsumerGroupHeartbeatResponseData response = send(heartbeat("m1", 1, Assignment.allOf(orders, 4)));

        assertEquals(2, response.memberEpoch());
        assertEquals(Assignment.allOf(orders, 6), assigned(response));
    }

    @Test
    void shouldAssignATopicCreatedAfterTheMemberSubscribedToIt() {
        send(join("m1", "later"));
        UUID later = topics.create("later", 2);

        ConsumerGroupHeartbeatResponseData response = send(heartbeat("m1", 1, Assignment.EMPTY));

        assertEquals(2, response.memberEpoch());
        assertEquals(Assignment.allOf(later, 2), assigned(response));
    }

    @Test
    void shouldRevokeThePartitionsOfADeletedTopic() {
        send(join("m1", TOPIC));
        topics.delete(TOPIC);

        ConsumerGroupHeartbeatResponseData response = send(heartbeat("m1", 1, Assignment.allOf(orders, 4)));

        assertEquals(1, response.memberEpoch());
        assertEquals(Assignment.EMPTY, assigned(response));
        assertEquals(2, send(heartbeat("m1", 1, Assignment.EMPTY)).memberEpoch());
    }

    @Test
    void shouldSubscribeByRegularExpressionToExistingAndLaterTopics() {
        topics.create("payments", 1);
        ConsumerGroupHeartbeatResponseData joined = send(new ConsumerGroupHeartbeatRequestData().setGroupId(GROUP)
                .setMemberId("m1").setMemberEpoch(0).setRebalanceTimeoutMs(REBALANCE_MS)
                .setSubscribedTopicRegex("ord.*").setTopicPartitions(new ArrayList<>()));
        assertEquals(Assignment.allOf(orders, 4), assigned(joined));

        UUID ordinals = topics.create("ordinals", 1);
        ConsumerGroupHeartbeatResponseData next = send(heartbeat("m1", 1, Assignment.allOf(orders, 4)));

        assertEquals(Assignment.allOf(orders, 4).union(Assignment.allOf(ordinals, 1)), assigned(next));
        assertEquals(Set.of(TOPIC, "ordinals"), groups.subscribedTopics(GROUP));
        assertEquals("ord.*", groups.describe(GROUP).members().get(0).subscribedTopicRegex());
    }

    // ---- leaving and expiry

    @Test
    void shouldKeepAnEmptyGroupAfterItsLastMemberLeft() {
        send(join("m1", TOPIC));

        ConsumerGroupHeartbeatResponseData left = send(heartbeat("m1", -1, null));

        assertEquals(Errors.NONE.code(), left.errorCode());
        assertEquals(-1, left.memberEpoch());
        assertEquals(Optional.of("Empty"), groups.state(GROUP));
        assertTrue(groups.contains(GROUP));
        assertFalse(groups.hasMembers(GROUP));
        assertEquals(2, groups.describe(GROUP).groupEpoch());
        assertError(Errors.UNKNOWN_MEMBER_ID, send(heartbeat("m1", 1, Assignment.allOf(orders, 4))));
    }

    @Test
    void shouldExpireAMemberAfterTheSessionTimeoutAndGiveItsPartitionsAway() {
        send(join("m1", TOPIC));
        send(join("m2", TOPIC));
        Assignment kept = assigned(send(heartbeat("m1", 1, Assignment.allOf(orders, 4))));
        send(heartbeat("m1", 1, kept));
        Assignment given = assigned(send(heartbeat("m2", 2, Assignment.EMPTY)));
        assertEquals(2, given.size());

        scheduler.advance(40_000);
        send(heartbeat("m2", 2, given));
        assertEquals(2, groups.describe(GROUP).members().size());
        scheduler.advance(5_000);

        assertEquals(1, groups.describe(GROUP).members().size(), "m1 went silent 45 s ago");
        ConsumerGroupHeartbeatResponseData after = send(heartbeat("m2", 2, given));
        assertEquals(3, after.memberEpoch());
        assertEquals(Assignment.allOf(orders, 4), assigned(after));
        assertError(Errors.UNKNOWN_MEMBER_ID, send(heartbeat("m1", 2, kept)));
    }

    @Test
    void shouldRemoveAMemberThatDoesNotRevokeWithinItsRebalanceTimeout() {
        send(join("m1", TOPIC).setRebalanceTimeoutMs(10_000));
        send(join("m2", TOPIC));
        send(heartbeat("m1", 1, Assignment.allOf(orders, 4)));
        scheduler.advance(5_000);
        assertEquals(1, send(heartbeat("m1", 1, Assignment.allOf(orders, 4))).memberEpoch(), "still revoking");
        assertNull(assigned(send(heartbeat("m2", 2, Assignment.EMPTY))));

        scheduler.advance(5_000);

        assertError(Errors.UNKNOWN_MEMBER_ID, send(heartbeat("m1", 1, Assignment.allOf(orders, 4))));
        assertEquals(Assignment.allOf(orders, 4), assigned(send(heartbeat("m2", 2, Assignment.EMPTY))));
    }

    // ---- fencing

    @Test
    void shouldFenceAnEpochAheadOfTheCoordinators() {
        send(join("m1", TOPIC));

        ConsumerGroupHeartbeatResponseData response = send(heartbeat("m1", 7, Assignment.EMPTY));

        assertError(Errors.FENCED_MEMBER_EPOCH, response);
        assertEquals("The consumer group member has a greater member epoch (7) than the one known by the group "
                + "coordinator (1). The member must abandon all its partitions and rejoin.", response.errorMessage());
    }

    @Test
    void shouldAcceptThePreviousEpochOnlyWithASubsetOfTheAssignment() {
        send(join("m1", TOPIC));
        topics.grow(TOPIC, 5);
        assertEquals(2, send(heartbeat("m1", 1, Assignment.allOf(orders, 4))).memberEpoch());

        ConsumerGroupHeartbeatResponseData lostAnswer = send(heartbeat("m1", 1, Assignment.allOf(orders, 4)));
        ConsumerGroupHeartbeatResponseData silent = send(heartbeat("m1", 1, null));
        ConsumerGroupHeartbeatResponseData extra = send(heartbeat("m1", 1,
                Assignment.allOf(orders, 4).union(partitions(new UUID(0, 99), 0))));

        assertEquals(Errors.NONE.code(), lostAnswer.errorCode());
        assertEquals(2, lostAnswer.memberEpoch());
        assertError(Errors.FENCED_MEMBER_EPOCH, silent);
        assertError(Errors.FENCED_MEMBER_EPOCH, extra);
    }

    // ---- validation

    @Test
    void shouldRefuseMalformedHeartbeatsWithKafkasMessages() {
        assertInvalid("MemberId can't be empty.", join("", TOPIC), V1);
        assertInvalid("MemberId can't be empty.", heartbeat("", 3, Assignment.EMPTY), V0);
        assertInvalid("GroupId can't be empty.", join("m1", TOPIC).setGroupId(""), V1);
        assertInvalid("InstanceId can't be empty.", join("m1", TOPIC).setInstanceId(""), V1);
        assertInvalid("RackId can't be empty.", join("m1", TOPIC).setRackId(""), V1);
        assertInvalid("RebalanceTimeoutMs must be provided in first request.",
                join("m1", TOPIC).setRebalanceTimeoutMs(-1), V1);
        assertInvalid("TopicPartitions must be empty when (re-)joining.",
                join("m1", TOPIC).setTopicPartitions(topicPartitions(partitions(orders, 0))), V1);
        assertInvalid("Either SubscribedTopicNames or SubscribedTopicRegex must be non-null when (re-)joining.",
                join("m1").setSubscribedTopicNames(null), V1);
        assertInvalid("InstanceId can't be null.", heartbeat("m1", -2, null), V1);
        assertInvalid("MemberEpoch is invalid.", heartbeat("m1", -3, null), V1);

        ConsumerGroupHeartbeatResponseData assignor = send(join("m1", TOPIC).setServerAssignor("sticky"));
        assertError(Errors.UNSUPPORTED_ASSIGNOR, assignor);
        assertEquals("ServerAssignor sticky is not supported. Supported assignors: uniform, range.",
                assignor.errorMessage());
        ConsumerGroupHeartbeatResponseData regex = send(join("m1").setSubscribedTopicNames(null)
                .setSubscribedTopicRegex("orders("));
        assertError(Errors.INVALID_REGULAR_EXPRESSION, regex);
        assertFalse(groups.contains(GROUP), "no refused heartbeat creates the group");
    }

    @Test
    void shouldGenerateAMemberIdForAVersionZeroJoin() {
        ConsumerGroupHeartbeatResponseData response = send(join("", TOPIC), V0);

        assertEquals(Errors.NONE.code(), response.errorCode());
        assertEquals(22, response.memberId().length(), response.memberId());
        assertEquals(1, send(heartbeat(response.memberId(), 1, Assignment.allOf(orders, 4)), V0).memberEpoch());
    }

    @Test
    void shouldTellAMemberOfALostGroupToRejoin() {
        assertError(Errors.UNKNOWN_MEMBER_ID, send(heartbeat("m1", 5, Assignment.EMPTY)));
        assertError(Errors.GROUP_ID_NOT_FOUND, send(heartbeat("m1", -1, null)));
        assertFalse(groups.contains(GROUP));
    }

    @Test
    void shouldRefuseMembersBeyondTheMaximumSize() {
        groups = newGroups(new ConsumerGroupSettings(45_000, 5_000, 1, List.of("uniform")));
        send(join("m1", TOPIC));

        ConsumerGroupHeartbeatResponseData refused = send(join("m2", TOPIC));

        assertError(Errors.GROUP_MAX_SIZE_REACHED, refused);
        assertEquals("The consumer group has reached its maximum capacity of 1 members.", refused.errorMessage());
        assertEquals(Errors.NONE.code(), send(join("m1", TOPIC)).errorCode(), "a member may rejoin a full group");
    }

    // ---- static members

    @Test
    void shouldLetAStaticMemberRejoinWithItsPartitionsAfterATemporaryLeave() {
        send(join("m1", TOPIC).setInstanceId("host-1"));
        send(join("m2", TOPIC).setInstanceId("host-2"));
        Assignment kept = assigned(send(heartbeat("m1", 1, Assignment.allOf(orders, 4)).setInstanceId("host-1")));
        assertEquals(2, send(heartbeat("m1", 1, kept).setInstanceId("host-1")).memberEpoch());

        ConsumerGroupHeartbeatResponseData away = send(heartbeat("m1", -2, null).setInstanceId("host-1"));
        assertEquals(-2, away.memberEpoch());
        ConsumerGroupHeartbeatResponseData back = send(join("m1-again", TOPIC).setInstanceId("host-1"));

        assertEquals(Errors.NONE.code(), back.errorCode());
        assertEquals(2, back.memberEpoch(), "no new group epoch: the member only came back");
        assertEquals(kept, assigned(back));
        assertEquals(List.of("m1-again", "m2"), groups.describe(GROUP).members().stream().map(Member::memberId)
                .toList());
        assertError(Errors.FENCED_INSTANCE_ID, send(heartbeat("m1", 2, kept).setInstanceId("host-1")));
    }

    @Test
    void shouldRefuseAStaticInstanceIdStillInUse() {
        send(join("m1", TOPIC).setInstanceId("host-1"));

        ConsumerGroupHeartbeatResponseData response = send(join("m9", TOPIC).setInstanceId("host-1"));

        assertError(Errors.UNRELEASED_INSTANCE_ID, response);
        assertEquals("Static member m9 with instance id host-1 cannot join the group because the instance id is "
                + "owned by m1 member.", response.errorMessage());
        assertError(Errors.UNKNOWN_MEMBER_ID, send(heartbeat("m1", 1, Assignment.EMPTY).setInstanceId("host-9")));
    }

    @Test
    void shouldRemoveAStaticMemberThatLeavesForGood() {
        send(join("m1", TOPIC).setInstanceId("host-1"));

        send(heartbeat("m1", -1, null).setInstanceId("host-1"));

        assertFalse(groups.hasMembers(GROUP));
        assertEquals(Errors.NONE.code(), send(join("m2", TOPIC).setInstanceId("host-1")).errorCode());
    }

    // ---- classic groups

    @Test
    void shouldRefuseAnIdHeldByAClassicGroupWithMembers() {
        classicInUse.add(GROUP);

        ConsumerGroupHeartbeatResponseData response = send(join("m1", TOPIC));

        assertError(Errors.GROUP_ID_NOT_FOUND, response);
        assertEquals("Group billing is not a consumer group.", response.errorMessage());
        assertEquals("Group billing is not a consumer group.", groups.describe(GROUP).errorMessage());
        assertEquals("Group other not found.", groups.describe("other").errorMessage());
    }

    @Test
    void shouldTakeOverTheIdOfAnEmptyClassicGroup() {
        emptyClassic.add(GROUP);

        assertEquals(Errors.NONE.code(), send(join("m1", TOPIC)).errorCode());

        assertFalse(emptyClassic.contains(GROUP), "the empty classic group was removed");
        assertTrue(groups.contains(GROUP));
    }

    // ---- offsets

    @Test
    void shouldValidateOffsetCommitsAsKafkasConsumerGroups() {
        send(join("m1", TOPIC));
        short v9 = 9;

        assertEquals(Errors.NONE, groups.validateOffsetCommit(GROUP, "m1", 1, v9));
        assertEquals(Errors.STALE_MEMBER_EPOCH, groups.validateOffsetCommit(GROUP, "m1", 0, v9));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, groups.validateOffsetCommit(GROUP, "m7", 1, v9));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, groups.validateOffsetCommit(GROUP, "", -1, v9),
                "an admin commit while the group has members");
        assertEquals(Errors.UNSUPPORTED_VERSION, groups.validateOffsetCommit(GROUP, "m1", 1, (short) 8));

        send(heartbeat("m1", -1, null));

        assertEquals(Errors.NONE, groups.validateOffsetCommit(GROUP, "", -1, v9));
    }

    @Test
    void shouldValidateOffsetFetchesOfMembers() {
        send(join("m1", TOPIC));

        assertEquals(Errors.NONE, groups.validateOffsetFetch(GROUP, "m1", 1));
        assertEquals(Errors.NONE, groups.validateOffsetFetch(GROUP, null, -1));
        assertEquals(Errors.STALE_MEMBER_EPOCH, groups.validateOffsetFetch(GROUP, "m1", 3));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, groups.validateOffsetFetch(GROUP, "m2", 1));
    }

    // ---- listing and deleting

    @Test
    void shouldListDescribeAndDeleteGroups() {
        send(join("m1", TOPIC).setRackId("rack-a"));
        send(new ConsumerGroupHeartbeatRequestData().setGroupId("audit").setMemberId("a1").setMemberEpoch(0)
                .setRebalanceTimeoutMs(REBALANCE_MS).setSubscribedTopicNames(List.of("missing", TOPIC))
                .setTopicPartitions(new ArrayList<>()));

        assertEquals(List.of("audit", GROUP), groups.groupIds());
        assertEquals(Set.of("missing", TOPIC), groups.subscribedTopics("audit"));
        Member member = groups.describe(GROUP).members().get(0);
        assertEquals("m1", member.memberId());
        assertEquals("rack-a", member.rackId());
        assertEquals("client", member.clientId());
        assertEquals("/127.0.0.1", member.clientHost());
        assertEquals(List.of(TOPIC), member.subscribedTopicNames());
        assertEquals(TOPIC, member.assignment().topicPartitions().get(0).topicName());
        assertEquals(orders, member.targetAssignment().topicPartitions().get(0).topicId());
        assertEquals(1, member.memberType());

        send(heartbeat("m1", -1, null));
        groups.delete(GROUP);

        assertFalse(groups.contains(GROUP));
        assertEquals(Optional.empty(), groups.state(GROUP));
        assertEquals(List.of("audit"), groups.groupIds());
    }

    // ---- helpers

    static ConsumerGroupHeartbeatRequestData join(String memberId, String... topicNames) {
        return new ConsumerGroupHeartbeatRequestData().setGroupId(GROUP).setMemberId(memberId).setMemberEpoch(0)
                .setRebalanceTimeoutMs(REBALANCE_MS).setSubscribedTopicNames(new ArrayList<>(List.of(topicNames)))
                .setTopicPartitions(new ArrayList<>());
    }

    /** A heartbeat reporting {@code owned} (null: not reported) and leaving every other field unchanged. */
    static ConsumerGroupHeartbeatRequestData heartbeat(String memberId, int epoch, Assignment owned) {
        return new ConsumerGroupHeartbeatRequestData().setGroupId(GROUP).setMemberId(memberId).setMemberEpoch(epoch)
                .setTopicPartitions(owned == null ? null : topicPartitions(owned));
    }

    static List<TopicPartitions> topicPartitions(Assignment owned) {
        List<TopicPartitions> list = new ArrayList<>();
        owned.partitions().forEach((topic, indexes) -> list.add(new TopicPartitions().setTopicId(topic)
                .setPartitions(new ArrayList<>(indexes))));
        return list;
    }

    /** The assignment of an answer; null when the answer carries none. */
    static Assignment assigned(ConsumerGroupHeartbeatResponseData response) {
        if (response.assignment() == null) {
            return null;
        }
        Assignment.Builder builder = Assignment.builder();
        response.assignment().topicPartitions().forEach(topic -> builder.addAll(topic.topicId(),
                topic.partitions()));
        return builder.build();
    }

    private static List<Integer> target(DescribedGroup group, String memberId) {
        Member member = group.members().stream().filter(m -> m.memberId().equals(memberId)).findFirst()
                .orElseThrow();
        return member.targetAssignment().topicPartitions().isEmpty() ? List.of()
                : member.targetAssignment().topicPartitions().get(0).partitions();
    }

    private ConsumerGroupHeartbeatResponseData send(ConsumerGroupHeartbeatRequestData request) {
        return send(request, V1);
    }

    private ConsumerGroupHeartbeatResponseData send(ConsumerGroupHeartbeatRequestData request, short version) {
        return groups.heartbeat(request, "client", "/127.0.0.1", version);
    }

    private void assertInvalid(String message, ConsumerGroupHeartbeatRequestData request, short version) {
        ConsumerGroupHeartbeatResponseData response = send(request, version);
        assertError(Errors.INVALID_REQUEST, response);
        assertEquals(message, response.errorMessage());
    }

    private static void assertError(Errors expected, ConsumerGroupHeartbeatResponseData response) {
        assertEquals(expected, Errors.forCode(response.errorCode()), response.errorMessage());
        assertNotNull(response.errorMessage());
    }
}
