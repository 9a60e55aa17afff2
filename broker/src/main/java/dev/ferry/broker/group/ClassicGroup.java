package dev.ferry.broker.group;

import dev.ferry.broker.group.ClassicGroupMember.Protocol;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.JoinGroupResponseData;
import dev.ferry.protocol.message.JoinGroupResponseData.JoinGroupResponseMember;
import dev.ferry.protocol.message.SyncGroupResponseData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One classic group's membership: its state, generation, protocol type and selected protocol, leader, members
 * (dynamic and static), members that were told to rejoin with their new id, and members yet to send SyncGroup.
 * The rebalance itself (timers, responses) is driven by {@link ClassicGroups}; this class keeps the bookkeeping
 * consistent, as Kafka's ClassicGroup does.
 *
 * <p><b>Thread-safety:</b> not thread-safe; touched only under the group coordinator's lock.
 */
final class ClassicGroup {

    private final String groupId;
    private ClassicGroupState state = ClassicGroupState.EMPTY;
    private ClassicGroupState previousState = ClassicGroupState.EMPTY;
    private long stateSinceMs;
    private int generationId;
    private String protocolType;
    private String protocolName;
    private String leaderId;
    private boolean newMemberAdded;
    private int awaitingJoinCount;
    private final Map<String, ClassicGroupMember> members = new LinkedHashMap<>();
    private final Map<String, String> staticMembers = new HashMap<>();
    private final Set<String> pendingJoinMembers = new HashSet<>();
    private final Set<String> pendingSyncMembers = new HashSet<>();
    private final Map<String, Integer> protocolSupport = new HashMap<>();

    ClassicGroup(String groupId, long nowMs) {
        this.groupId = groupId;
        this.stateSinceMs = nowMs;
    }

    String groupId() {
        return groupId;
    }

    ClassicGroupState state() {
        return state;
    }

    boolean is(ClassicGroupState candidate) {
        return state == candidate;
    }

    ClassicGroupState previousState() {
        return previousState;
    }

    /** When the group entered its current state. */
    long stateSinceMs() {
        return stateSinceMs;
    }

    int generationId() {
        return generationId;
    }

    /** The protocol type every member shares, e.g. {@code consumer}; null while the group never had members. */
    String protocolType() {
        return protocolType;
    }

    /** The protocol selected for the current generation; null when none is. */
    String protocolName() {
        return protocolName;
    }

    String leaderId() {
        return leaderId;
    }

    boolean isLeader(String memberId) {
        return memberId.equals(leaderId);
    }

    boolean newMemberAdded() {
        return newMemberAdded;
    }

    void setNewMemberAdded(boolean value) {
        newMemberAdded = value;
    }

    boolean hasMembers() {
        return !members.isEmpty();
    }

    int size() {
        return members.size();
    }

    Collection<ClassicGroupMember> members() {
        return members.values();
    }

    boolean hasMember(String memberId) {
        return members.containsKey(memberId);
    }

    ClassicGroupMember member(String memberId) {
        return members.get(memberId);
    }

    /** The member id a static member currently has, or null. */
    String staticMemberId(String groupInstanceId) {
        return staticMembers.get(groupInstanceId);
    }

    /** A member id as Kafka makes them: the instance id (static) or client id, a dash, a random UUID. */
    static String newMemberId(String clientId, String groupInstanceId) {
        return (groupInstanceId != null ? groupInstanceId : clientId) + "-" + UUID.randomUUID();
    }

    /** Adds {@code member}, parked on {@code joinFuture} (null when restored from storage). */
    void add(ClassicGroupMember member, CompletableFuture<JoinGroupResponseData> joinFuture) {
        if (members.isEmpty()) {
            protocolType = member.protocolType();
        }
        if (member.isStatic()) {
            staticMembers.put(member.groupInstanceId(), member.memberId());
        }
        if (leaderId == null) {
            leaderId = member.memberId();
        }
        members.put(member.memberId(), member);
        countProtocols(member, 1);
        member.setAwaitingJoin(joinFuture);
        if (joinFuture != null) {
            awaitingJoinCount++;
        }
        pendingJoinMembers.remove(member.memberId());
    }

    /** Removes a member (or a pending one); a new leader is the first remaining member. */
    void remove(String memberId) {
        ClassicGroupMember removed = members.remove(memberId);
        if (removed != null) {
            countProtocols(removed, -1);
            if (removed.isAwaitingJoin()) {
                awaitingJoinCount--;
            }
            if (removed.isStatic()) {
                staticMembers.remove(removed.groupInstanceId());
            }
        }
        if (memberId.equals(leaderId)) {
            leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
        }
        pendingJoinMembers.remove(memberId);
        pendingSyncMembers.remove(memberId);
    }

    /** Changes what a member supports and parks it on {@code joinFuture}. */
    void updateMember(ClassicGroupMember member, List<Protocol> protocols, int rebalanceTimeoutMs,
                      int sessionTimeoutMs, CompletableFuture<JoinGroupResponseData> joinFuture) {
        countProtocols(member, -1);
        member.update(protocols, rebalanceTimeoutMs, sessionTimeoutMs);
        countProtocols(member, 1);
        if (joinFuture != null && !member.isAwaitingJoin()) {
            awaitingJoinCount++;
        } else if (joinFuture == null && member.isAwaitingJoin()) {
            awaitingJoinCount--;
        }
        member.setAwaitingJoin(joinFuture);
    }

    /**
     * Gives a static member's place to a new member id, answering whatever the old id was waiting for with
     * FENCED_INSTANCE_ID, since a second process with the same instance id has taken over.
     */
    ClassicGroupMember replaceStaticMember(String groupInstanceId, String oldMemberId, String newMemberId) {
        ClassicGroupMember member = members.remove(oldMemberId);
        if (member == null) {
            throw new IllegalStateException("No member " + oldMemberId + " to replace in group " + groupId);
        }
        completeJoin(member, new JoinGroupResponseData().setMemberId(oldMemberId)
                .setErrorCode(Errors.FENCED_INSTANCE_ID.code()).setProtocolType(null).setProtocolName(null)
                .setLeader(""));
        completeSync(member, new SyncGroupResponseData().setErrorCode(Errors.FENCED_INSTANCE_ID.code()));
        member.setMemberId(newMemberId);
        members.put(newMemberId, member);
        if (oldMemberId.equals(leaderId)) {
            leaderId = newMemberId;
        }
        staticMembers.put(groupInstanceId, newMemberId);
        if (pendingSyncMembers.remove(oldMemberId)) {
            pendingSyncMembers.add(newMemberId);
        }
        return member;
    }

    boolean isPendingMember(String memberId) {
        return pendingJoinMembers.contains(memberId);
    }

    void addPendingMember(String memberId) {
        pendingJoinMembers.add(memberId);
    }

    int pendingMemberCount() {
        return pendingJoinMembers.size();
    }

    void addPendingSyncMember(String memberId) {
        pendingSyncMembers.add(memberId);
    }

    boolean removePendingSyncMember(String memberId) {
        return pendingSyncMembers.remove(memberId);
    }

    Set<String> pendingSyncMembers() {
        return pendingSyncMembers;
    }

    void clearPendingSyncMembers() {
        pendingSyncMembers.clear();
    }

    int awaitingJoinCount() {
        return awaitingJoinCount;
    }

    /** Whether every member has rejoined and no member was told to come back with its new id. */
    boolean hasAllMembersJoined() {
        return members.size() == awaitingJoinCount && pendingJoinMembers.isEmpty();
    }

    /** Members that have not rejoined in the current rebalance. */
    List<ClassicGroupMember> notYetRejoinedMembers() {
        List<ClassicGroupMember> result = new ArrayList<>();
        for (ClassicGroupMember member : members.values()) {
            if (!member.isAwaitingJoin()) {
                result.add(member);
            }
        }
        return result;
    }

    /** The largest rebalance timeout among members: how long a rebalance may wait for them. */
    int rebalanceTimeoutMs() {
        int timeout = 0;
        for (ClassicGroupMember member : members.values()) {
            timeout = Math.max(timeout, member.rebalanceTimeoutMs());
        }
        return timeout;
    }

    /**
     * Keeps the leader if it rejoined, else elects the first member that did.
     *
     * @return false when no member rejoined (or the group has no leader)
     */
    boolean electJoinedLeader() {
        if (leaderId == null) {
            return false;
        }
        if (members.get(leaderId).isAwaitingJoin()) {
            return true;
        }
        for (ClassicGroupMember member : members.values()) {
            if (member.isAwaitingJoin()) {
                leaderId = member.memberId();
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a member of {@code memberProtocolType} supporting {@code memberProtocols} may join: an empty group
     * takes any non-empty type and protocol list; otherwise the type must match and one protocol must be supported
     * by every member.
     */
    boolean supportsProtocols(String memberProtocolType, List<Protocol> memberProtocols) {
        if (is(ClassicGroupState.EMPTY)) {
            return memberProtocolType != null && !memberProtocolType.isEmpty() && !memberProtocols.isEmpty();
        }
        if (protocolType == null || !protocolType.equals(memberProtocolType)) {
            return false;
        }
        for (Protocol protocol : memberProtocols) {
            if (protocolSupport.getOrDefault(protocol.name(), 0) == members.size()) {
                return true;
            }
        }
        return false;
    }

    /** The protocol every member supports that most members prefer. */
    String selectProtocol() {
        Set<String> candidates = new HashSet<>();
        protocolSupport.forEach((name, count) -> {
            if (count == members.size()) {
                candidates.add(name);
            }
        });
        Map<String, Integer> votes = new LinkedHashMap<>();
        for (ClassicGroupMember member : members.values()) {
            votes.merge(member.vote(candidates), 1, Integer::sum);
        }
        String selected = null;
        int most = 0;
        for (Map.Entry<String, Integer> vote : votes.entrySet()) {
            if (vote.getValue() > most) {
                selected = vote.getKey();
                most = vote.getValue();
            }
        }
        return selected;
    }

    /** Whether a rebalance may start from the current state. */
    boolean canRebalance() {
        return ClassicGroupState.PREPARING_REBALANCE.validPreviousStates().contains(state);
    }

    void transitionTo(ClassicGroupState next, long nowMs) {
        if (!next.validPreviousStates().contains(state)) {
            throw new IllegalStateException("Group " + groupId + " cannot go from " + state + " to " + next);
        }
        previousState = state;
        state = next;
        stateSinceMs = nowMs;
    }

    /** Starts the next generation: CompletingRebalance with a selected protocol, or Empty without members. */
    void initNextGeneration(long nowMs) {
        generationId++;
        if (members.isEmpty()) {
            protocolName = null;
            transitionTo(ClassicGroupState.EMPTY, nowMs);
        } else {
            protocolName = selectProtocol();
            transitionTo(ClassicGroupState.COMPLETING_REBALANCE, nowMs);
        }
        pendingSyncMembers.clear();
    }

    /** The members with their metadata for the selected protocol, as the leader's JoinGroup response lists them. */
    List<JoinGroupResponseMember> joinResponseMembers() {
        List<JoinGroupResponseMember> result = new ArrayList<>();
        for (ClassicGroupMember member : members.values()) {
            result.add(new JoinGroupResponseMember().setMemberId(member.memberId())
                    .setGroupInstanceId(member.groupInstanceId()).setMetadata(member.metadata(protocolName)));
        }
        return result;
    }

    /** Answers the member's parked JoinGroup, if any. */
    boolean completeJoin(ClassicGroupMember member, JoinGroupResponseData response) {
        if (!member.isAwaitingJoin()) {
            return false;
        }
        var future = member.awaitingJoin();
        member.setAwaitingJoin(null);
        awaitingJoinCount--;
        future.complete(response);
        return true;
    }

    /** Answers the member's parked SyncGroup, if any. */
    boolean completeSync(ClassicGroupMember member, SyncGroupResponseData response) {
        if (!member.isAwaitingSync()) {
            return false;
        }
        var future = member.awaitingSync();
        member.setAwaitingSync(null);
        future.complete(response);
        return true;
    }

    /**
     * Kafka's member check: a static member must present the member id its instance id is mapped to
     * (FENCED_INSTANCE_ID otherwise, UNKNOWN_MEMBER_ID when the instance id is unknown); a dynamic one must exist.
     */
    Errors validateMember(String memberId, String groupInstanceId) {
        if (groupInstanceId != null) {
            String current = staticMembers.get(groupInstanceId);
            if (current == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            return current.equals(memberId) ? Errors.NONE : Errors.FENCED_INSTANCE_ID;
        }
        return members.containsKey(memberId) ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
    }

    /** Restores the generation of a group read back from storage. */
    void restore(int generationId, String protocolType, String protocolName, String leaderId,
                 ClassicGroupState state, long nowMs) {
        this.generationId = generationId;
        this.protocolType = protocolType;
        this.protocolName = protocolName;
        this.leaderId = leaderId;
        this.previousState = this.state;
        this.state = state;
        this.stateSinceMs = nowMs;
    }

    private void countProtocols(ClassicGroupMember member, int delta) {
        for (Protocol protocol : member.protocols()) {
            protocolSupport.merge(protocol.name(), delta, Integer::sum);
        }
    }
}
