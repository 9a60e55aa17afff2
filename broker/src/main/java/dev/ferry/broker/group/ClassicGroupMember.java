package dev.ferry.broker.group;

import dev.ferry.protocol.message.JoinGroupResponseData;
import dev.ferry.protocol.message.SyncGroupResponseData;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A member of a classic group: who it is, the protocols it supports in order of preference, its timeouts, its
 * assignment, and the JoinGroup or SyncGroup response it is waiting for while the group rebalances.
 *
 * <p><b>Thread-safety:</b> not thread-safe; touched only under the group coordinator's lock.
 */
final class ClassicGroupMember {

    static final byte[] EMPTY_ASSIGNMENT = new byte[0];

    /** One protocol a member supports, e.g. an assignor name, with the member's metadata for it. */
    record Protocol(String name, byte[] metadata) {

        boolean sameAs(Protocol other) {
            return name.equals(other.name) && Arrays.equals(metadata, other.metadata);
        }
    }

    private String memberId;
    private final String groupInstanceId;
    private final String clientId;
    private final String clientHost;
    private final String protocolType;
    private List<Protocol> protocols;
    private int rebalanceTimeoutMs;
    private int sessionTimeoutMs;
    private byte[] assignment = EMPTY_ASSIGNMENT;
    private CompletableFuture<JoinGroupResponseData> awaitingJoin;
    private CompletableFuture<SyncGroupResponseData> awaitingSync;
    private boolean isNew;

    ClassicGroupMember(String memberId, String groupInstanceId, String clientId, String clientHost,
                       int rebalanceTimeoutMs, int sessionTimeoutMs, String protocolType, List<Protocol> protocols) {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.protocolType = protocolType;
        this.protocols = List.copyOf(protocols);
    }

    String memberId() {
        return memberId;
    }

    /** The {@code group.instance.id} of a static member; null for a dynamic one. */
    String groupInstanceId() {
        return groupInstanceId;
    }

    boolean isStatic() {
        return groupInstanceId != null;
    }

    String clientId() {
        return clientId;
    }

    String clientHost() {
        return clientHost;
    }

    String protocolType() {
        return protocolType;
    }

    List<Protocol> protocols() {
        return protocols;
    }

    int rebalanceTimeoutMs() {
        return rebalanceTimeoutMs;
    }

    int sessionTimeoutMs() {
        return sessionTimeoutMs;
    }

    byte[] assignment() {
        return assignment;
    }

    void setAssignment(byte[] assignment) {
        this.assignment = assignment;
    }

    /** A static member rejoining under a new member id keeps everything else. */
    void setMemberId(String memberId) {
        this.memberId = memberId;
    }

    void update(List<Protocol> protocols, int rebalanceTimeoutMs, int sessionTimeoutMs) {
        this.protocols = List.copyOf(protocols);
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.sessionTimeoutMs = sessionTimeoutMs;
    }

    /** The member's metadata for {@code protocolName}; empty when it does not support it. */
    byte[] metadata(String protocolName) {
        for (Protocol protocol : protocols) {
            if (protocol.name().equals(protocolName)) {
                return protocol.metadata();
            }
        }
        return EMPTY_ASSIGNMENT;
    }

    /** Whether {@code other} lists the same protocols, with the same metadata, in the same order. */
    boolean matches(List<Protocol> other) {
        if (other.size() != protocols.size()) {
            return false;
        }
        for (int i = 0; i < other.size(); i++) {
            if (!other.get(i).sameAs(protocols.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** The member's most preferred protocol among {@code candidates}. */
    String vote(Set<String> candidates) {
        for (Protocol protocol : protocols) {
            if (candidates.contains(protocol.name())) {
                return protocol.name();
            }
        }
        throw new IllegalStateException("Member " + memberId + " supports none of " + candidates);
    }

    CompletableFuture<JoinGroupResponseData> awaitingJoin() {
        return awaitingJoin;
    }

    void setAwaitingJoin(CompletableFuture<JoinGroupResponseData> future) {
        this.awaitingJoin = future;
    }

    boolean isAwaitingJoin() {
        return awaitingJoin != null;
    }

    CompletableFuture<SyncGroupResponseData> awaitingSync() {
        return awaitingSync;
    }

    void setAwaitingSync(CompletableFuture<SyncGroupResponseData> future) {
        this.awaitingSync = future;
    }

    boolean isAwaitingSync() {
        return awaitingSync != null;
    }

    /** A member added in the current rebalance, which has not yet received its first JoinGroup response. */
    boolean isNew() {
        return isNew;
    }

    void setNew(boolean isNew) {
        this.isNew = isNew;
    }

    /**
     * Whether the member counts as alive without a heartbeat: one parked in JoinGroup or SyncGroup cannot send
     * heartbeats on that connection, except a new member, which may have given up on its first join.
     */
    boolean hasSatisfiedHeartbeat() {
        return !isNew && (isAwaitingJoin() || isAwaitingSync());
    }
}
