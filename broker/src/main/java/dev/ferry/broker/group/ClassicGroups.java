package dev.ferry.broker.group;

import dev.ferry.broker.group.ClassicGroupMember.Protocol;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.HeartbeatRequestData;
import dev.ferry.protocol.message.HeartbeatResponseData;
import dev.ferry.protocol.message.JoinGroupRequestData;
import dev.ferry.protocol.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import dev.ferry.protocol.message.JoinGroupResponseData;
import dev.ferry.protocol.message.LeaveGroupRequestData;
import dev.ferry.protocol.message.LeaveGroupRequestData.MemberIdentity;
import dev.ferry.protocol.message.LeaveGroupResponseData;
import dev.ferry.protocol.message.LeaveGroupResponseData.MemberResponse;
import dev.ferry.protocol.message.SyncGroupRequestData;
import dev.ferry.protocol.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import dev.ferry.protocol.message.SyncGroupResponseData;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic group protocol: JoinGroup, SyncGroup, Heartbeat and LeaveGroup driving each group through Kafka's
 * states, with its timers — the initial rebalance delay, the rebalance timeout waiting for members to rejoin, the
 * sync deadline after a generation starts, and member session expiry. The behaviour, error codes included, follows
 * Kafka's group coordinator; so does the order of checks.
 *
 * <p>A generation's membership and assignment are saved through {@link GroupStateKeeper} when the group becomes
 * Stable or Empty, so that after a broker restart its members carry on with the same member ids and generation.
 *
 * <p><b>Thread-safety:</b> every public method takes the coordinator's lock; JoinGroup and SyncGroup answers may
 * complete later, from a timer or another member's request, also under that lock.
 */
public final class ClassicGroups {

    private static final Logger LOG = LoggerFactory.getLogger(ClassicGroups.class);
    private static final String UNKNOWN_MEMBER_ID = "";
    private static final short FIRST_VERSION_REQUIRING_KNOWN_MEMBER_ID = 4;
    private static final short FIRST_VERSION_SKIPPING_ASSIGNMENT = 9;

    /** Saves and forgets the durable part of a group; implemented over the offsets store. */
    public interface GroupStateKeeper {
        /** Saves the group's generation and members; durable on return. */
        void save(ClassicGroupSnapshot snapshot);
    }

    /** Whether a KIP-848 consumer group with members holds an id; such an id is not a classic group's to take. */
    public interface ConsumerGroupGuard {
        boolean isConsumerGroupInUse(String groupId);

        /** Forgets an empty consumer group of this id, which a classic group is about to take over. */
        void removeEmptyConsumerGroup(String groupId);
    }

    private final ClassicGroupSettings settings;
    private final GroupTimers timers;
    private final Object lock;
    private final GroupStateKeeper keeper;
    private final LongSupplier clockMs;
    private final Map<String, ClassicGroup> groups = new HashMap<>();
    private ConsumerGroupGuard consumerGroups = new ConsumerGroupGuard() {
        @Override
        public boolean isConsumerGroupInUse(String groupId) {
            return false;
        }

        @Override
        public void removeEmptyConsumerGroup(String groupId) {
        }
    };

    public ClassicGroups(ClassicGroupSettings settings, GroupTimers timers, Object lock, GroupStateKeeper keeper,
                         LongSupplier clockMs) {
        this.settings = settings;
        this.timers = timers;
        this.lock = lock;
        this.keeper = keeper;
        this.clockMs = clockMs;
    }

    /** Lets classic groups defer to consumer groups of the same id; set once while the broker starts. */
    public void setConsumerGroupGuard(ConsumerGroupGuard guard) {
        this.consumerGroups = guard;
    }

    // ---- JoinGroup

    /**
     * JoinGroup. The answer completes when the group's join phase does: at once for a member told to rejoin with
     * its new id or given an error, after the rebalance otherwise.
     */
    public CompletableFuture<JoinGroupResponseData> join(JoinGroupRequestData request, String clientId,
                                                        String clientHost, short version) {
        CompletableFuture<JoinGroupResponseData> response = new CompletableFuture<>();
        String groupId = request.groupId();
        String memberId = request.memberId();
        if (groupId == null || groupId.isEmpty()) {
            return CompletableFuture.completedFuture(joinError(memberId, Errors.INVALID_GROUP_ID));
        }
        if (request.sessionTimeoutMs() < settings.minSessionTimeoutMs()
                || request.sessionTimeoutMs() > settings.maxSessionTimeoutMs()) {
            return CompletableFuture.completedFuture(joinError(memberId, Errors.INVALID_SESSION_TIMEOUT));
        }
        synchronized (lock) {
            if (consumerGroups.isConsumerGroupInUse(groupId)) {
                return CompletableFuture.completedFuture(joinError(memberId, Errors.INCONSISTENT_GROUP_PROTOCOL));
            }
            boolean unknownMember = memberId.isEmpty();
            ClassicGroup group = groups.get(groupId);
            if (group == null) {
                if (!unknownMember) {
                    return CompletableFuture.completedFuture(joinError(memberId, Errors.UNKNOWN_MEMBER_ID));
                }
                consumerGroups.removeEmptyConsumerGroup(groupId);
                group = new ClassicGroup(groupId, clockMs.getAsLong());
                groups.put(groupId, group);
            }
            List<Protocol> protocols = protocols(request);
            if (!acceptsJoiningMember(group, memberId)) {
                group.remove(memberId);
                response.complete(joinError(UNKNOWN_MEMBER_ID, Errors.GROUP_MAX_SIZE_REACHED));
            } else if (unknownMember) {
                joinNewMember(group, request, protocols, clientId, clientHost, version, response);
            } else {
                joinExistingMember(group, request, protocols, clientId, clientHost, response);
            }
            forgetIfUnused(group);
        }
        return response;
    }

    private void joinNewMember(ClassicGroup group, JoinGroupRequestData request, List<Protocol> protocols,
                               String clientId, String clientHost, short version,
                               CompletableFuture<JoinGroupResponseData> response) {
        if (group.is(ClassicGroupState.DEAD)) {
            response.complete(joinError(UNKNOWN_MEMBER_ID, Errors.COORDINATOR_NOT_AVAILABLE));
            return;
        }
        if (!group.supportsProtocols(request.protocolType(), protocols)) {
            response.complete(joinError(UNKNOWN_MEMBER_ID, Errors.INCONSISTENT_GROUP_PROTOCOL));
            return;
        }
        String instanceId = request.groupInstanceId();
        String newMemberId = ClassicGroup.newMemberId(clientId, instanceId);
        if (instanceId != null) {
            String existing = group.staticMemberId(instanceId);
            if (existing != null) {
                updateStaticMember(group, request, protocols, existing, newMemberId, version, response);
            } else {
                addMember(group, request, protocols, newMemberId, clientId, clientHost, response);
            }
        } else if (version >= FIRST_VERSION_REQUIRING_KNOWN_MEMBER_ID) {
            // the member must come back with this id: a client that times out and retries then cannot leave
            // defunct members behind
            group.addPendingMember(newMemberId);
            scheduleHeartbeatExpiry(group, newMemberId, request.sessionTimeoutMs());
            response.complete(joinError(newMemberId, Errors.MEMBER_ID_REQUIRED));
        } else {
            addMember(group, request, protocols, newMemberId, clientId, clientHost, response);
        }
    }

    private void joinExistingMember(ClassicGroup group, JoinGroupRequestData request, List<Protocol> protocols,
                                    String clientId, String clientHost,
                                    CompletableFuture<JoinGroupResponseData> response) {
        String memberId = request.memberId();
        if (group.is(ClassicGroupState.DEAD)) {
            response.complete(joinError(memberId, Errors.COORDINATOR_NOT_AVAILABLE));
            return;
        }
        if (!group.supportsProtocols(request.protocolType(), protocols)) {
            response.complete(joinError(memberId, Errors.INCONSISTENT_GROUP_PROTOCOL));
            return;
        }
        if (group.isPendingMember(memberId)) {
            if (request.groupInstanceId() != null) {
                response.complete(joinError(memberId, Errors.INVALID_REQUEST));
                return;
            }
            addMember(group, request, protocols, memberId, clientId, clientHost, response);
            return;
        }
        Errors memberError = group.validateMember(memberId, request.groupInstanceId());
        if (memberError != Errors.NONE) {
            response.complete(joinError(memberId, memberError));
            return;
        }
        ClassicGroupMember member = group.member(memberId);
        switch (group.state()) {
            case PREPARING_REBALANCE -> updateMemberThenRebalance(group, member, request, protocols, response);
            case COMPLETING_REBALANCE -> {
                if (member.matches(protocols)) {
                    // the member missed the JoinGroup answer of this generation: give it again
                    response.complete(generationResponse(group, memberId, group.isLeader(memberId), false));
                } else {
                    updateMemberThenRebalance(group, member, request, protocols, response);
                }
            }
            case STABLE -> {
                if (group.isLeader(memberId) || !member.matches(protocols)) {
                    // a leader rejoins to have the group rebalance, e.g. after topic metadata changed
                    updateMemberThenRebalance(group, member, request, protocols, response);
                } else {
                    response.complete(generationResponse(group, memberId, false, false));
                }
            }
            default -> response.complete(joinError(memberId, Errors.UNKNOWN_MEMBER_ID));
        }
    }

    private boolean acceptsJoiningMember(ClassicGroup group, String memberId) {
        return switch (group.state()) {
            case EMPTY, DEAD -> true;
            // counting members awaiting join lets the last rejoining members be refused when the limit shrank
            case PREPARING_REBALANCE -> (group.hasMember(memberId) && group.member(memberId).isAwaitingJoin())
                    || group.awaitingJoinCount() < settings.maxSize();
            case COMPLETING_REBALANCE, STABLE -> group.hasMember(memberId) || group.size() < settings.maxSize();
        };
    }

    private void addMember(ClassicGroup group, JoinGroupRequestData request, List<Protocol> protocols,
                           String memberId, String clientId, String clientHost,
                           CompletableFuture<JoinGroupResponseData> response) {
        ClassicGroupMember member = new ClassicGroupMember(memberId, request.groupInstanceId(), clientId,
                clientHost, request.rebalanceTimeoutMs(), request.sessionTimeoutMs(), request.protocolType(),
                protocols);
        member.setNew(true);
        if (group.is(ClassicGroupState.PREPARING_REBALANCE) && group.previousState() == ClassicGroupState.EMPTY) {
            group.setNewMemberAdded(true);
        }
        group.add(member, response);
        // a new member parked in JoinGroup cannot heartbeat; its join times out instead, so that a client that
        // gave up does not hold the rebalance for ever
        scheduleHeartbeatExpiry(group, memberId, settings.newMemberJoinTimeoutMs());
        prepareRebalanceOrCompleteJoin(group);
    }

    private void updateMemberThenRebalance(ClassicGroup group, ClassicGroupMember member,
                                           JoinGroupRequestData request, List<Protocol> protocols,
                                           CompletableFuture<JoinGroupResponseData> response) {
        group.updateMember(member, protocols, request.rebalanceTimeoutMs(), request.sessionTimeoutMs(), response);
        prepareRebalanceOrCompleteJoin(group);
    }

    private void updateStaticMember(ClassicGroup group, JoinGroupRequestData request, List<Protocol> protocols,
                                    String oldMemberId, String newMemberId, short version,
                                    CompletableFuture<JoinGroupResponseData> response) {
        String previousLeader = group.leaderId();
        ClassicGroupMember member = group.replaceStaticMember(request.groupInstanceId(), oldMemberId, newMemberId);
        timers.cancel(heartbeatKey(group.groupId(), oldMemberId));
        scheduleHeartbeatExpiry(group, newMemberId, member.sessionTimeoutMs());
        group.updateMember(member, protocols, request.rebalanceTimeoutMs(), request.sessionTimeoutMs(), response);
        switch (group.state()) {
            case STABLE -> {
                if (Objects.equals(group.protocolName(), group.selectProtocol())) {
                    // the restarted static member takes its old place: no rebalance for the others
                    saveQuietly(group);
                    boolean leader = group.isLeader(newMemberId);
                    if (version >= FIRST_VERSION_SKIPPING_ASSIGNMENT) {
                        group.completeJoin(member, generationResponse(group, newMemberId, leader, leader));
                    } else {
                        group.completeJoin(member, generationResponse(group, newMemberId, false, false)
                                .setLeader(previousLeader));
                    }
                } else {
                    prepareRebalanceOrCompleteJoin(group);
                }
            }
            // the leader may already be assigning for the old member id: rebalance so the new one gets its share
            case COMPLETING_REBALANCE -> prepareRebalance(group);
            default -> completeJoinIfReady(group);
        }
    }

    // ---- rebalance

    private void prepareRebalanceOrCompleteJoin(ClassicGroup group) {
        if (group.canRebalance()) {
            prepareRebalance(group);
        } else {
            completeJoinIfReady(group);
        }
    }

    private void prepareRebalance(ClassicGroup group) {
        if (group.is(ClassicGroupState.COMPLETING_REBALANCE)) {
            // members waiting for their assignment must rejoin instead
            for (ClassicGroupMember member : group.members()) {
                member.setAssignment(ClassicGroupMember.EMPTY_ASSIGNMENT);
            }
            propagateAssignment(group, Errors.REBALANCE_IN_PROGRESS);
        }
        group.clearPendingSyncMembers();
        timers.cancel(syncKey(group.groupId()));
        boolean initialRebalance = group.is(ClassicGroupState.EMPTY);
        group.transitionTo(ClassicGroupState.PREPARING_REBALANCE, clockMs.getAsLong());
        LOG.info("Preparing to rebalance group {} with old generation {}", group.groupId(), group.generationId());
        if (initialRebalance) {
            int delayMs = settings.initialRebalanceDelayMs();
            int remainingMs = Math.max(group.rebalanceTimeoutMs() - delayMs, 0);
            scheduleInitialRebalance(group.groupId(), delayMs, remainingMs);
        } else if (group.hasAllMembersJoined()) {
            completeJoin(group);
        } else {
            scheduleJoinDeadline(group);
        }
    }

    private void scheduleInitialRebalance(String groupId, int delayMs, int remainingMs) {
        timers.schedule(joinKey(groupId), delayMs, () -> {
            ClassicGroup group = groups.get(groupId);
            if (group == null || !group.is(ClassicGroupState.PREPARING_REBALANCE)) {
                return;
            }
            if (group.newMemberAdded() && remainingMs != 0) {
                // members keep arriving: wait a little more, within the rebalance timeout
                group.setNewMemberAdded(false);
                int nextDelayMs = Math.min(settings.initialRebalanceDelayMs(), remainingMs);
                scheduleInitialRebalance(groupId, nextDelayMs, Math.max(remainingMs - delayMs, 0));
            } else {
                completeJoin(group);
            }
        });
    }

    private void scheduleJoinDeadline(ClassicGroup group) {
        String groupId = group.groupId();
        timers.schedule(joinKey(groupId), group.rebalanceTimeoutMs(), () -> {
            ClassicGroup current = groups.get(groupId);
            if (current != null && current.is(ClassicGroupState.PREPARING_REBALANCE)) {
                completeJoin(current);
            }
        });
    }

    /** Completes the join phase once every member has rejoined; the initial rebalance waits for its delay. */
    private void completeJoinIfReady(ClassicGroup group) {
        if (group.is(ClassicGroupState.PREPARING_REBALANCE) && group.previousState() != ClassicGroupState.EMPTY
                && group.hasAllMembersJoined()) {
            completeJoin(group);
        }
    }

    /**
     * Ends the join phase: dynamic members that did not rejoin are dropped, the next generation starts, and every
     * joined member gets its answer, the leader with the members' metadata to assign from.
     */
    private void completeJoin(ClassicGroup group) {
        timers.cancel(joinKey(group.groupId()));
        for (ClassicGroupMember member : group.notYetRejoinedMembers()) {
            if (!member.isStatic()) {
                group.remove(member.memberId());
                timers.cancel(heartbeatKey(group.groupId(), member.memberId()));
            }
        }
        if (group.is(ClassicGroupState.DEAD)) {
            return;
        }
        if (!group.electJoinedLeader() && group.hasMembers()) {
            // nobody rejoined: wait for session timeouts to clear out the silent members
            scheduleJoinDeadline(group);
            return;
        }
        group.initNextGeneration(clockMs.getAsLong());
        if (group.is(ClassicGroupState.EMPTY)) {
            LOG.info("Group {} with generation {} is now empty", group.groupId(), group.generationId());
            saveQuietly(group);
            return;
        }
        LOG.info("Stabilizing group {} generation {} with {} members", group.groupId(), group.generationId(),
                group.size());
        for (ClassicGroupMember member : List.copyOf(group.members())) {
            boolean leader = group.isLeader(member.memberId());
            group.completeJoin(member, generationResponse(group, member.memberId(), leader, false));
            scheduleHeartbeatExpiry(group, member.memberId(), member.sessionTimeoutMs());
            member.setNew(false);
            group.addPendingSyncMember(member.memberId());
        }
        schedulePendingSync(group);
    }

    private void schedulePendingSync(ClassicGroup group) {
        String groupId = group.groupId();
        int generation = group.generationId();
        timers.schedule(syncKey(groupId), group.rebalanceTimeoutMs(), () -> {
            ClassicGroup current = groups.get(groupId);
            if (current == null || current.generationId() != generation
                    || !(current.is(ClassicGroupState.COMPLETING_REBALANCE) || current.is(ClassicGroupState.STABLE))
                    || current.pendingSyncMembers().isEmpty()) {
                return;
            }
            List<String> late = List.copyOf(current.pendingSyncMembers());
            for (String memberId : late) {
                current.remove(memberId);
                timers.cancel(heartbeatKey(groupId, memberId));
            }
            LOG.info("Group {} removed members {} that did not send SyncGroup in time", groupId, late);
            prepareRebalance(current);
        });
    }

    // ---- SyncGroup

    /** SyncGroup: the leader's assignment completes every member's answer; followers wait for it. */
    public CompletableFuture<SyncGroupResponseData> sync(SyncGroupRequestData request) {
        synchronized (lock) {
            ClassicGroup group = groups.get(request.groupId());
            if (group == null || !group.hasMembers()) {
                return CompletableFuture.completedFuture(syncError(Errors.UNKNOWN_MEMBER_ID));
            }
            Errors error = validateSync(group, request);
            if (error != Errors.NONE) {
                return CompletableFuture.completedFuture(syncError(error));
            }
            String memberId = request.memberId();
            switch (group.state()) {
                case PREPARING_REBALANCE -> {
                    return CompletableFuture.completedFuture(syncError(Errors.REBALANCE_IN_PROGRESS));
                }
                case COMPLETING_REBALANCE -> {
                    CompletableFuture<SyncGroupResponseData> response = new CompletableFuture<>();
                    group.member(memberId).setAwaitingSync(response);
                    removePendingSyncMember(group, memberId);
                    if (group.isLeader(memberId)) {
                        completeSyncFromLeader(group, request.assignments());
                    }
                    return response;
                }
                case STABLE -> {
                    removePendingSyncMember(group, memberId);
                    return CompletableFuture.completedFuture(new SyncGroupResponseData()
                            .setProtocolType(group.protocolType()).setProtocolName(group.protocolName())
                            .setAssignment(group.member(memberId).assignment()));
                }
                default -> {
                    return CompletableFuture.completedFuture(syncError(Errors.COORDINATOR_NOT_AVAILABLE));
                }
            }
        }
    }

    private static Errors validateSync(ClassicGroup group, SyncGroupRequestData request) {
        if (group.is(ClassicGroupState.DEAD)) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        Errors memberError = group.validateMember(request.memberId(), request.groupInstanceId());
        if (memberError != Errors.NONE) {
            return memberError;
        }
        if (request.generationId() != group.generationId()) {
            return Errors.ILLEGAL_GENERATION;
        }
        if (isInconsistent(request.protocolType(), group.protocolType())
                || isInconsistent(request.protocolName(), group.protocolName())) {
            return Errors.INCONSISTENT_GROUP_PROTOCOL;
        }
        return Errors.NONE;
    }

    // SyncGroup names its protocol from version 5; an absent one is not checked
    private static boolean isInconsistent(String requested, String actual) {
        return requested != null && !requested.equals(actual);
    }

    private void completeSyncFromLeader(ClassicGroup group, List<SyncGroupRequestAssignment> assignments) {
        Map<String, byte[]> byMember = new HashMap<>();
        for (SyncGroupRequestAssignment assignment : assignments) {
            byMember.put(assignment.memberId(), assignment.assignment());
        }
        for (ClassicGroupMember member : group.members()) {
            member.setAssignment(byMember.getOrDefault(member.memberId(), ClassicGroupMember.EMPTY_ASSIGNMENT));
        }
        // a generation that cannot be saved (a full disk) still serves its members: only a restart would lose it,
        // and its members would then rejoin, where refusing it would keep the group rebalancing until space returns
        saveQuietly(group);
        propagateAssignment(group, Errors.NONE);
        group.transitionTo(ClassicGroupState.STABLE, clockMs.getAsLong());
        LOG.info("Group {} is stable at generation {}", group.groupId(), group.generationId());
    }

    private void propagateAssignment(ClassicGroup group, Errors error) {
        String protocolType = error == Errors.NONE ? group.protocolType() : null;
        String protocolName = error == Errors.NONE ? group.protocolName() : null;
        for (ClassicGroupMember member : group.members()) {
            boolean answered = group.completeSync(member, new SyncGroupResponseData().setErrorCode(error.code())
                    .setProtocolType(protocolType).setProtocolName(protocolName)
                    .setAssignment(member.assignment()));
            if (answered) {
                // a member parked in SyncGroup could not heartbeat: its session starts afresh
                scheduleHeartbeatExpiry(group, member.memberId(), member.sessionTimeoutMs());
            }
        }
    }

    private void removePendingSyncMember(ClassicGroup group, String memberId) {
        group.removePendingSyncMember(memberId);
        if (group.pendingSyncMembers().isEmpty()) {
            timers.cancel(syncKey(group.groupId()));
        }
    }

    // ---- Heartbeat

    /** Heartbeat: keeps a member's session alive and tells it when the group rebalances. */
    public HeartbeatResponseData heartbeat(HeartbeatRequestData request) {
        synchronized (lock) {
            ClassicGroup group = groups.get(request.groupId());
            if (group == null) {
                return heartbeatError(Errors.UNKNOWN_MEMBER_ID);
            }
            if (group.is(ClassicGroupState.DEAD)) {
                return heartbeatError(Errors.COORDINATOR_NOT_AVAILABLE);
            }
            Errors memberError = group.validateMember(request.memberId(), request.groupInstanceId());
            if (memberError != Errors.NONE) {
                return heartbeatError(memberError);
            }
            if (request.generationId() != group.generationId()) {
                return heartbeatError(Errors.ILLEGAL_GENERATION);
            }
            ClassicGroupMember member = group.member(request.memberId());
            return switch (group.state()) {
                case EMPTY -> heartbeatError(Errors.UNKNOWN_MEMBER_ID);
                case PREPARING_REBALANCE -> {
                    scheduleHeartbeatExpiry(group, member.memberId(), member.sessionTimeoutMs());
                    yield heartbeatError(Errors.REBALANCE_IN_PROGRESS);
                }
                default -> {
                    scheduleHeartbeatExpiry(group, member.memberId(), member.sessionTimeoutMs());
                    yield heartbeatError(Errors.NONE);
                }
            };
        }
    }

    private void scheduleHeartbeatExpiry(ClassicGroup group, String memberId, long timeoutMs) {
        String groupId = group.groupId();
        timers.schedule(heartbeatKey(groupId, memberId), timeoutMs, () -> expireHeartbeat(groupId, memberId));
    }

    private void expireHeartbeat(String groupId, String memberId) {
        ClassicGroup group = groups.get(groupId);
        if (group == null || group.is(ClassicGroupState.DEAD)) {
            return;
        }
        if (group.isPendingMember(memberId)) {
            LOG.info("Pending member {} of group {} did not rejoin in time", memberId, groupId);
            group.remove(memberId);
            completeJoinIfReadyAfterRemoval(group);
            forgetIfUnused(group);
            return;
        }
        ClassicGroupMember member = group.member(memberId);
        if (member == null) {
            return;
        }
        if (member.hasSatisfiedHeartbeat()) {
            // parked in JoinGroup or SyncGroup: alive, and its session restarts when it is answered
            return;
        }
        LOG.info("Member {} of group {} has failed (no heartbeat in {} ms); removing it", memberId, groupId,
                member.sessionTimeoutMs());
        removeMember(group, member);
    }

    private void removeMember(ClassicGroup group, ClassicGroupMember member) {
        // a new member may time out while parked in JoinGroup: answer it so that a live client rejoins
        group.completeJoin(member, joinError(UNKNOWN_MEMBER_ID, Errors.UNKNOWN_MEMBER_ID));
        group.completeSync(member, syncError(Errors.UNKNOWN_MEMBER_ID));
        group.remove(member.memberId());
        timers.cancel(heartbeatKey(group.groupId(), member.memberId()));
        if (group.is(ClassicGroupState.STABLE) || group.is(ClassicGroupState.COMPLETING_REBALANCE)) {
            prepareRebalanceOrCompleteJoin(group);
        } else {
            completeJoinIfReadyAfterRemoval(group);
        }
    }

    private void completeJoinIfReadyAfterRemoval(ClassicGroup group) {
        if (group.is(ClassicGroupState.PREPARING_REBALANCE) && group.hasAllMembersJoined()) {
            completeJoin(group);
        }
    }

    // ---- LeaveGroup

    /**
     * LeaveGroup, one member (versions 0-2, answered at the top level) or a batch (3+, answered per member; static
     * members may be named by instance id alone).
     */
    public LeaveGroupResponseData leave(LeaveGroupRequestData request, short version) {
        List<MemberIdentity> leaving = version >= 3 ? request.members()
                : List.of(new MemberIdentity().setMemberId(request.memberId()));
        synchronized (lock) {
            ClassicGroup group = groups.get(request.groupId());
            if (group == null) {
                return new LeaveGroupResponseData().setErrorCode(Errors.UNKNOWN_MEMBER_ID.code());
            }
            if (group.is(ClassicGroupState.DEAD)) {
                return new LeaveGroupResponseData().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
            }
            List<MemberResponse> responses = new ArrayList<>();
            boolean anyLeft = false;
            for (MemberIdentity identity : leaving) {
                Errors error = leaveOne(group, identity);
                anyLeft |= error == Errors.NONE;
                responses.add(new MemberResponse().setMemberId(identity.memberId())
                        .setGroupInstanceId(identity.groupInstanceId()).setErrorCode(error.code()));
            }
            if (anyLeft) {
                switch (group.state()) {
                    case STABLE, COMPLETING_REBALANCE -> prepareRebalanceOrCompleteJoin(group);
                    case PREPARING_REBALANCE -> completeJoinIfReady(group);
                    default -> { }
                }
            }
            forgetIfUnused(group);
            if (version < 3) {
                return new LeaveGroupResponseData().setErrorCode(responses.get(0).errorCode());
            }
            return new LeaveGroupResponseData().setMembers(responses);
        }
    }

    private Errors leaveOne(ClassicGroup group, MemberIdentity identity) {
        String memberId = identity.memberId();
        if (UNKNOWN_MEMBER_ID.equals(memberId)) {
            // administrative removal of a static member by its instance id
            String current = identity.groupInstanceId() == null ? null
                    : group.staticMemberId(identity.groupInstanceId());
            if (current == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            removeLeavingMember(group, current);
            return Errors.NONE;
        }
        if (group.isPendingMember(memberId)) {
            group.remove(memberId);
            timers.cancel(heartbeatKey(group.groupId(), memberId));
            return Errors.NONE;
        }
        Errors error = group.validateMember(memberId, identity.groupInstanceId());
        if (error == Errors.NONE) {
            removeLeavingMember(group, memberId);
        }
        return error;
    }

    private void removeLeavingMember(ClassicGroup group, String memberId) {
        ClassicGroupMember member = group.member(memberId);
        timers.cancel(heartbeatKey(group.groupId(), memberId));
        LOG.info("Member {} has left group {}", memberId, group.groupId());
        group.completeJoin(member, joinError(UNKNOWN_MEMBER_ID, Errors.UNKNOWN_MEMBER_ID));
        group.remove(memberId);
    }

    // ---- queries for the rest of the coordinator (callers hold the lock)

    /** The classic group of this id, if any. Call holding the coordinator's lock. */
    ClassicGroup group(String groupId) {
        return groups.get(groupId);
    }

    /** Every classic group. Call holding the coordinator's lock. */
    Collection<ClassicGroup> groups() {
        return groups.values();
    }

    /** Whether a classic group of this id has members or pending members, or is rebalancing. */
    boolean isInUse(String groupId) {
        ClassicGroup group = groups.get(groupId);
        return group != null && !(group.is(ClassicGroupState.EMPTY) && group.pendingMemberCount() == 0);
    }

    /** Forgets an empty group (DeleteGroups, offsets expiry, a consumer group taking the id). */
    void remove(String groupId) {
        ClassicGroup group = groups.remove(groupId);
        if (group != null) {
            group.transitionTo(ClassicGroupState.DEAD, clockMs.getAsLong());
            timers.cancel(joinKey(groupId));
            timers.cancel(syncKey(groupId));
        }
    }

    /** Restores a group saved before the broker restarted; its members have a full session to heartbeat again. */
    void restore(ClassicGroupSnapshot snapshot) {
        ClassicGroup group = snapshot.toGroup(clockMs.getAsLong());
        groups.put(group.groupId(), group);
        for (ClassicGroupMember member : group.members()) {
            scheduleHeartbeatExpiry(group, member.memberId(), member.sessionTimeoutMs());
        }
    }

    /**
     * OffsetCommit's membership check for a classic group, as Kafka's ClassicGroup.validateOffsetCommit: an empty
     * group takes commits without generation (simple consumers, the admin client); otherwise the member and
     * generation must be current, and not while the group waits for the leader's assignment.
     */
    Errors validateOffsetCommit(ClassicGroup group, String memberId, String groupInstanceId, int generationId) {
        if (group.is(ClassicGroupState.DEAD)) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (generationId < 0 && group.is(ClassicGroupState.EMPTY)) {
            return Errors.NONE;
        }
        if (generationId >= 0 || !memberId.isEmpty() || groupInstanceId != null) {
            Errors memberError = group.validateMember(memberId, groupInstanceId);
            if (memberError != Errors.NONE) {
                return memberError;
            }
            if (generationId != group.generationId()) {
                return Errors.ILLEGAL_GENERATION;
            }
        } else if (!group.is(ClassicGroupState.EMPTY)) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (group.is(ClassicGroupState.COMPLETING_REBALANCE)) {
            return Errors.REBALANCE_IN_PROGRESS;
        }
        // a commit proves the member alive, as a heartbeat does
        ClassicGroupMember member = group.member(memberId);
        if (member != null) {
            scheduleHeartbeatExpiry(group, memberId, member.sessionTimeoutMs());
        }
        return Errors.NONE;
    }

    /** Stops every timer; parked requests are left to their connections closing. */
    public void close() {
        synchronized (lock) {
            timers.close();
        }
    }

    // ---- helpers

    private void forgetIfUnused(ClassicGroup group) {
        // a group created by a join that failed, and never saved, is as if it never existed
        if (group.is(ClassicGroupState.EMPTY) && !group.hasMembers() && group.pendingMemberCount() == 0
                && group.generationId() == 0) {
            groups.remove(group.groupId());
        }
    }

    private void saveQuietly(ClassicGroup group) {
        try {
            keeper.save(ClassicGroupSnapshot.of(group));
        } catch (UncheckedIOException e) {
            // the group goes on in memory; after a restart its members rejoin
            LOG.warn("Could not save group {} generation {}; it goes on unsaved: {}", group.groupId(),
                    group.generationId(), e.getMessage());
        }
    }

    private static List<Protocol> protocols(JoinGroupRequestData request) {
        List<Protocol> protocols = new ArrayList<>(request.protocols().size());
        for (JoinGroupRequestProtocol protocol : request.protocols()) {
            protocols.add(new Protocol(protocol.name(), protocol.metadata()));
        }
        return protocols;
    }

    private static JoinGroupResponseData generationResponse(ClassicGroup group, String memberId, boolean withMembers,
                                                            boolean skipAssignment) {
        return new JoinGroupResponseData().setMemberId(memberId).setGenerationId(group.generationId())
                .setProtocolType(group.protocolType()).setProtocolName(group.protocolName())
                .setLeader(group.leaderId()).setSkipAssignment(skipAssignment)
                .setMembers(withMembers ? group.joinResponseMembers() : new ArrayList<>());
    }

    private static JoinGroupResponseData joinError(String memberId, Errors error) {
        return new JoinGroupResponseData().setMemberId(memberId).setErrorCode(error.code())
                .setGenerationId(-1).setProtocolType(null).setProtocolName(null).setLeader("");
    }

    private static SyncGroupResponseData syncError(Errors error) {
        return new SyncGroupResponseData().setErrorCode(error.code()).setProtocolType(null).setProtocolName(null)
                .setAssignment(ClassicGroupMember.EMPTY_ASSIGNMENT);
    }

    private static HeartbeatResponseData heartbeatError(Errors error) {
        return new HeartbeatResponseData().setErrorCode(error.code());
    }

    private static String heartbeatKey(String groupId, String memberId) {
        return "classic-heartbeat\u0000" + groupId + "\u0000" + memberId;
    }

    private static String joinKey(String groupId) {
        return "classic-join\u0000" + groupId;
    }

    private static String syncKey(String groupId) {
        return "classic-sync\u0000" + groupId;
    }
}
