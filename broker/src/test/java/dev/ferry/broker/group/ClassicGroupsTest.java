package dev.ferry.broker.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.HeartbeatRequestData;
import dev.ferry.protocol.message.JoinGroupRequestData;
import dev.ferry.protocol.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import dev.ferry.protocol.message.JoinGroupResponseData;
import dev.ferry.protocol.message.LeaveGroupRequestData;
import dev.ferry.protocol.message.LeaveGroupRequestData.MemberIdentity;
import dev.ferry.protocol.message.LeaveGroupResponseData;
import dev.ferry.protocol.message.SyncGroupRequestData;
import dev.ferry.protocol.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import dev.ferry.protocol.message.SyncGroupResponseData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ClassicGroupsTest {

    private static final String GROUP = "workers";
    private static final int SESSION_MS = 10_000;
    private static final int REBALANCE_MS = 30_000;
    private static final int INITIAL_DELAY_MS = 3000;
    private static final short VERSION = 9;

    private final Object lock = new Object();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<ClassicGroupSnapshot> saved = new ArrayList<>();
    /** Whether saves fail, as on a full disk. */
    private boolean diskFull;
    private final ClassicGroups groups = newGroups(Integer.MAX_VALUE);

    private ClassicGroups newGroups(int maxSize) {
        return new ClassicGroups(new ClassicGroupSettings(INITIAL_DELAY_MS, 1000, 60_000, maxSize, 300_000),
                new GroupTimers(scheduler, lock), lock, snapshot -> {
                    if (diskFull) {
                        throw new UncheckedIOException(new IOException("No space left on device"));
                    }
                    saved.add(snapshot);
                }, scheduler::nowMs);
    }

    @Test
    void shouldAskANewMemberToRejoinWithTheIdItIsGiven() {
        JoinGroupResponseData first = groups.join(join("", "range"), "client-a", "/127.0.0.1", VERSION).join();

        assertEquals(Errors.MEMBER_ID_REQUIRED.code(), first.errorCode());
        assertTrue(first.memberId().startsWith("client-a-"), first.memberId());
        CompletableFuture<JoinGroupResponseData> second = groups.join(join(first.memberId(), "range"), "client-a",
                "/127.0.0.1", VERSION);
        assertFalse(second.isDone(), "the initial rebalance waits for more members");

        scheduler.advance(INITIAL_DELAY_MS);

        JoinGroupResponseData joined = second.join();
        assertEquals(Errors.NONE.code(), joined.errorCode());
        assertEquals(1, joined.generationId());
        assertEquals(first.memberId(), joined.leader());
        assertEquals("range", joined.protocolName());
        assertEquals("consumer", joined.protocolType());
        assertEquals(1, joined.members().size());
        assertArrayEquals(metadata("range"), joined.members().get(0).metadata());
    }

    @Test
    void shouldStabilizeAndServeAGenerationThatCannotBeSaved() {
        diskFull = true;
        List<JoinGroupResponseData> joined = stableGroupOf(2);
        JoinGroupResponseData leader = leaderOf(joined);
        JoinGroupResponseData follower = joined.get(0) == leader ? joined.get(1) : joined.get(0);

        CompletableFuture<SyncGroupResponseData> followerSync = groups.sync(sync(follower, List.of()));
        SyncGroupResponseData leaderSync = groups.sync(sync(leader, List.of(
                assignment(leader.memberId(), "p0"), assignment(follower.memberId(), "p1")))).join();

        assertEquals(Errors.NONE.code(), leaderSync.errorCode());
        assertArrayEquals(bytes("p1"), followerSync.join().assignment());
        assertEquals(ClassicGroupState.STABLE, state());
        assertTrue(saved.isEmpty());
    }

    @Test
    void shouldSelectTheProtocolEveryMemberSupports() {
        CompletableFuture<JoinGroupResponseData> a = joinOld(join("", "range", "roundrobin"));
        CompletableFuture<JoinGroupResponseData> b = joinOld(join("", "roundrobin"));

        passInitialDelay();

        assertEquals("roundrobin", a.join().protocolName());
        assertEquals("roundrobin", b.join().protocolName());
        assertEquals(a.join().generationId(), b.join().generationId());
        int withMembers = (a.join().members().isEmpty() ? 0 : 1) + (b.join().members().isEmpty() ? 0 : 1);
        assertEquals(1, withMembers, "only the leader gets the members");
    }

    @Test
    void shouldGiveEachMemberTheAssignmentTheLeaderSent() {
        List<JoinGroupResponseData> joined = stableGroupOf(2);
        JoinGroupResponseData leader = leaderOf(joined);
        JoinGroupResponseData follower = joined.get(0) == leader ? joined.get(1) : joined.get(0);

        CompletableFuture<SyncGroupResponseData> followerSync = groups.sync(sync(follower, List.of()));
        assertFalse(followerSync.isDone(), "a follower waits for the leader's assignment");
        SyncGroupResponseData leaderSync = groups.sync(sync(leader, List.of(
                assignment(leader.memberId(), "p0,p1"), assignment(follower.memberId(), "p2")))).join();

        assertEquals(Errors.NONE.code(), leaderSync.errorCode());
        assertArrayEquals(bytes("p0,p1"), leaderSync.assignment());
        assertArrayEquals(bytes("p2"), followerSync.join().assignment());
        assertEquals("range", followerSync.join().protocolName());
        assertEquals(ClassicGroupState.STABLE, state());
        assertEquals(1, saved.size(), "the stable generation is saved");
        assertEquals(2, saved.get(0).members().size());
    }

    @Test
    void shouldFenceWrongGenerationsAndUnknownMembers() {
        JoinGroupResponseData member = stableGroupOf(1).get(0);
        syncAll(List.of(member));

        assertEquals(Errors.NONE, heartbeat(member.memberId(), member.generationId(), null));
        assertEquals(Errors.ILLEGAL_GENERATION, heartbeat(member.memberId(), member.generationId() + 1, null));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, heartbeat("stranger", member.generationId(), null));
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), groups.heartbeat(new HeartbeatRequestData().setGroupId("other")
                .setMemberId(member.memberId()).setGenerationId(1)).errorCode());
        SyncGroupRequestData staleSync = new SyncGroupRequestData().setGroupId(GROUP)
                .setMemberId(member.memberId()).setGenerationId(member.generationId() - 1);
        assertEquals(Errors.ILLEGAL_GENERATION.code(), groups.sync(staleSync).join().errorCode());
    }

    @Test
    void shouldRebalanceWhenAMemberJoinsAStableGroup() {
        JoinGroupResponseData first = stableGroupOf(1).get(0);
        syncAll(List.of(first));

        CompletableFuture<JoinGroupResponseData> newcomer = joinOld(join("", "range"));
        assertEquals(ClassicGroupState.PREPARING_REBALANCE, state());
        assertEquals(Errors.REBALANCE_IN_PROGRESS, heartbeat(first.memberId(), first.generationId(), null));
        assertFalse(newcomer.isDone());

        JoinGroupResponseData rejoined = groups.join(join(first.memberId(), "range"), "client", "/h", VERSION).join();

        assertEquals(2, rejoined.generationId());
        assertEquals(2, newcomer.join().generationId());
        assertEquals(ClassicGroupState.COMPLETING_REBALANCE, state());
    }

    @Test
    void shouldExpireAMemberThatStopsHeartbeating() {
        List<JoinGroupResponseData> joined = stableGroupOf(2);
        syncAll(joined);
        JoinGroupResponseData alive = joined.get(0);
        JoinGroupResponseData silent = joined.get(1);

        for (int i = 0; i < 3; i++) {
            scheduler.advance(SESSION_MS / 4);
            assertEquals(Errors.NONE, heartbeat(alive.memberId(), alive.generationId(), null));
        }
        assertEquals(ClassicGroupState.STABLE, state());
        scheduler.advance(SESSION_MS / 4 + 1);

        assertEquals(ClassicGroupState.PREPARING_REBALANCE, state());
        assertEquals(Errors.UNKNOWN_MEMBER_ID, heartbeat(silent.memberId(), silent.generationId(), null));
        JoinGroupResponseData rejoined = groups.join(join(alive.memberId(), "range"), "c", "/h", VERSION).join();
        assertEquals(alive.generationId() + 1, rejoined.generationId());
        assertEquals(1, rejoined.members().size(), "the silent member is gone");
    }

    @Test
    void shouldGiveARestartedStaticMemberItsPlaceWithoutARebalance() {
        CompletableFuture<JoinGroupResponseData> a = joinOld(staticJoin("", "instance-a"));
        CompletableFuture<JoinGroupResponseData> b = joinOld(staticJoin("", "instance-b"));
        passInitialDelay();
        syncAll(List.of(a.join(), b.join()));
        JoinGroupResponseData leader = leaderOf(List.of(a.join(), b.join()));
        JoinGroupResponseData follower = leader == a.join() ? b.join() : a.join();
        String followerInstance = follower == a.join() ? "instance-a" : "instance-b";
        byte[] followerAssignment = bytes("for " + follower.memberId());

        JoinGroupResponseData restarted = groups.join(staticJoin("", followerInstance), "client", "/h", VERSION)
                .join();

        assertEquals(Errors.NONE.code(), restarted.errorCode());
        assertNotEquals(follower.memberId(), restarted.memberId());
        assertEquals(follower.generationId(), restarted.generationId(), "no new generation");
        assertEquals(ClassicGroupState.STABLE, state());
        SyncGroupResponseData resync = groups.sync(new SyncGroupRequestData().setGroupId(GROUP)
                .setMemberId(restarted.memberId()).setGroupInstanceId(followerInstance)
                .setGenerationId(restarted.generationId())).join();
        assertArrayEquals(followerAssignment, resync.assignment(), "the same partitions come back");
        assertEquals(Errors.FENCED_INSTANCE_ID,
                heartbeat(follower.memberId(), follower.generationId(), followerInstance));
        assertEquals(Errors.NONE, heartbeat(leader.memberId(), leader.generationId(), null));
    }

    @Test
    void shouldRefuseAMemberWithAnotherProtocolTypeOrNoCommonProtocol() {
        stableGroupOf(1);

        JoinGroupRequestData otherType = join("", "range").setProtocolType("connect");
        JoinGroupRequestData otherProtocol = join("", "sticky");

        assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL.code(), joinOld(otherType).join().errorCode());
        assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL.code(), joinOld(otherProtocol).join().errorCode());
    }

    @Test
    void shouldRefuseASessionTimeoutOutOfBounds() {
        JoinGroupRequestData tooShort = join("", "range").setSessionTimeoutMs(999);
        JoinGroupRequestData tooLong = join("", "range").setSessionTimeoutMs(60_001);

        assertEquals(Errors.INVALID_SESSION_TIMEOUT.code(), joinOld(tooShort).join().errorCode());
        assertEquals(Errors.INVALID_SESSION_TIMEOUT.code(), joinOld(tooLong).join().errorCode());
        assertEquals(Errors.INVALID_GROUP_ID.code(), joinOld(join("", "range").setGroupId("")).join().errorCode());
    }

    @Test
    void shouldRebalanceTheOthersWhenAMemberLeaves() {
        List<JoinGroupResponseData> joined = stableGroupOf(2);
        syncAll(joined);

        LeaveGroupResponseData left = groups.leave(new LeaveGroupRequestData().setGroupId(GROUP).setMembers(List.of(
                new MemberIdentity().setMemberId(joined.get(1).memberId()),
                new MemberIdentity().setMemberId("nobody"))), (short) 5);

        assertEquals(Errors.NONE.code(), left.members().get(0).errorCode());
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), left.members().get(1).errorCode());
        assertEquals(ClassicGroupState.PREPARING_REBALANCE, state());
        JoinGroupResponseData rejoined = groups.join(join(joined.get(0).memberId(), "range"), "c", "/h", VERSION)
                .join();
        assertEquals(1, rejoined.members().size());
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), groups.leave(new LeaveGroupRequestData().setGroupId(GROUP)
                .setMemberId("nobody"), (short) 1).errorCode());
    }

    @Test
    void shouldRemoveMembersThatDoNotSyncInTime() {
        List<JoinGroupResponseData> joined = stableGroupOf(2);
        JoinGroupResponseData leader = leaderOf(joined);
        JoinGroupResponseData follower = joined.get(0) == leader ? joined.get(1) : joined.get(0);
        groups.sync(sync(leader, List.of(assignment(leader.memberId(), "all"))));

        for (int elapsed = 0; elapsed < REBALANCE_MS; elapsed += SESSION_MS / 2) {
            heartbeat(leader.memberId(), leader.generationId(), null);
            heartbeat(follower.memberId(), follower.generationId(), null);
            scheduler.advance(SESSION_MS / 2);
        }

        assertEquals(ClassicGroupState.PREPARING_REBALANCE, state());
        assertEquals(Errors.UNKNOWN_MEMBER_ID, heartbeat(follower.memberId(), follower.generationId(), null));
    }

    @Test
    void shouldCarryOnAfterARestoreWithTheSavedGeneration() {
        List<JoinGroupResponseData> joined = stableGroupOf(2);
        syncAll(joined);
        ClassicGroupSnapshot snapshot = ClassicGroupSnapshot.decode(saved.get(saved.size() - 1).encode());

        ClassicGroups restarted = newGroups(Integer.MAX_VALUE);
        synchronized (lock) {
            restarted.restore(snapshot);
        }

        JoinGroupResponseData member = joined.get(0);
        assertEquals(Errors.NONE.code(), restarted.heartbeat(new HeartbeatRequestData().setGroupId(GROUP)
                .setMemberId(member.memberId()).setGenerationId(member.generationId())).errorCode());
        SyncGroupResponseData resync = restarted.sync(sync(member, List.of())).join();
        assertArrayEquals(bytes("for " + member.memberId()), resync.assignment());
    }

    @Test
    void shouldCheckOffsetCommitsAgainstTheGeneration() {
        List<JoinGroupResponseData> joined = stableGroupOf(1);
        JoinGroupResponseData member = joined.get(0);
        synchronized (lock) {
            ClassicGroup group = groups.group(GROUP);
            assertEquals(Errors.REBALANCE_IN_PROGRESS,
                    groups.validateOffsetCommit(group, member.memberId(), null, member.generationId()));
        }
        syncAll(joined);
        synchronized (lock) {
            ClassicGroup group = groups.group(GROUP);
            assertEquals(Errors.NONE, groups.validateOffsetCommit(group, member.memberId(), null,
                    member.generationId()));
            assertEquals(Errors.ILLEGAL_GENERATION, groups.validateOffsetCommit(group, member.memberId(), null,
                    member.generationId() - 1));
            assertEquals(Errors.UNKNOWN_MEMBER_ID, groups.validateOffsetCommit(group, "", null, -1));
        }
    }

    @Test
    void shouldRefuseMembersBeyondTheMaximumGroupSize() {
        ClassicGroups small = newGroups(1);
        small.join(join("", "range"), "a", "/h", (short) 3);

        JoinGroupResponseData refused = small.join(join("", "range"), "b", "/h", (short) 3).join();

        assertEquals(Errors.GROUP_MAX_SIZE_REACHED.code(), refused.errorCode());
    }

    // ---- helpers

    /** Members joined in one initial rebalance, each answered; the group is CompletingRebalance. */
    private List<JoinGroupResponseData> stableGroupOf(int size) {
        List<CompletableFuture<JoinGroupResponseData>> futures = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            futures.add(joinOld(join("", "range")));
        }
        passInitialDelay();
        List<JoinGroupResponseData> joined = new ArrayList<>();
        futures.forEach(future -> joined.add(future.join()));
        return joined;
    }

    /** Waits out the initial rebalance delay, extended once because members kept arriving during the first. */
    private void passInitialDelay() {
        scheduler.advance(2 * INITIAL_DELAY_MS);
    }

    @Test
    void shouldExtendTheInitialRebalanceWhileMembersKeepArriving() {
        CompletableFuture<JoinGroupResponseData> a = joinOld(join("", "range"));
        scheduler.advance(INITIAL_DELAY_MS - 1);
        CompletableFuture<JoinGroupResponseData> b = joinOld(join("", "range"));
        scheduler.advance(1);

        assertFalse(a.isDone(), "a member arrived during the delay: the rebalance waits another delay");
        scheduler.advance(INITIAL_DELAY_MS);
        assertEquals(2, leaderOf(List.of(a.join(), b.join())).members().size());
    }

    /** The leader sends an assignment naming each member; every member syncs. */
    private void syncAll(List<JoinGroupResponseData> joined) {
        JoinGroupResponseData leader = leaderOf(joined);
        List<SyncGroupRequestAssignment> assignments = new ArrayList<>();
        joined.forEach(member -> assignments.add(assignment(member.memberId(), "for " + member.memberId())));
        for (JoinGroupResponseData member : joined) {
            if (member != leader) {
                groups.sync(sync(member, List.of()));
            }
        }
        assertEquals(Errors.NONE.code(), groups.sync(sync(leader, assignments)).join().errorCode());
    }

    private static JoinGroupResponseData leaderOf(List<JoinGroupResponseData> joined) {
        return joined.stream().filter(member -> member.memberId().equals(member.leader())).findFirst().orElseThrow();
    }

    // version 3 joins without the member-id round trip
    private CompletableFuture<JoinGroupResponseData> joinOld(JoinGroupRequestData request) {
        return groups.join(request, "client", "/127.0.0.1", (short) 3);
    }

    private Errors heartbeat(String memberId, int generation, String instanceId) {
        return Errors.forCode(groups.heartbeat(new HeartbeatRequestData().setGroupId(GROUP).setMemberId(memberId)
                .setGenerationId(generation).setGroupInstanceId(instanceId)).errorCode());
    }

    private ClassicGroupState state() {
        synchronized (lock) {
            return groups.group(GROUP).state();
        }
    }

    private static JoinGroupRequestData join(String memberId, String... protocols) {
        JoinGroupRequestData request = new JoinGroupRequestData().setGroupId(GROUP).setMemberId(memberId)
                .setSessionTimeoutMs(SESSION_MS).setRebalanceTimeoutMs(REBALANCE_MS).setProtocolType("consumer");
        for (String protocol : protocols) {
            request.protocols().add(new JoinGroupRequestProtocol().setName(protocol).setMetadata(metadata(protocol)));
        }
        return request;
    }

    private static JoinGroupRequestData staticJoin(String memberId, String instanceId) {
        return join(memberId, "range").setGroupInstanceId(instanceId);
    }

    private static SyncGroupRequestData sync(JoinGroupResponseData member,
                                             List<SyncGroupRequestAssignment> assignments) {
        return new SyncGroupRequestData().setGroupId(GROUP).setMemberId(member.memberId())
                .setGenerationId(member.generationId()).setAssignments(new ArrayList<>(assignments));
    }

    private static SyncGroupRequestAssignment assignment(String memberId, String content) {
        return new SyncGroupRequestAssignment().setMemberId(memberId).setAssignment(bytes(content));
    }

    private static byte[] metadata(String protocol) {
        return bytes("metadata of " + protocol);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
