package dev.ferry.client;

import dev.ferry.client.ClusterMetadata.TopicInfo;
import dev.ferry.protocol.ConsumerProtocol;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.ProtocolException;
import dev.ferry.protocol.Uuids;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.ConsumerProtocolAssignmentData;
import dev.ferry.protocol.message.ConsumerProtocolSubscriptionData;
import dev.ferry.protocol.message.JoinGroupRequestData;
import dev.ferry.protocol.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import dev.ferry.protocol.message.JoinGroupResponseData;
import dev.ferry.protocol.message.JoinGroupResponseData.JoinGroupResponseMember;
import dev.ferry.protocol.message.LeaveGroupRequestData;
import dev.ferry.protocol.message.LeaveGroupRequestData.MemberIdentity;
import dev.ferry.protocol.message.OffsetCommitRequestData;
import dev.ferry.protocol.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import dev.ferry.protocol.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import dev.ferry.protocol.message.OffsetCommitResponseData;
import dev.ferry.protocol.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import dev.ferry.protocol.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import dev.ferry.protocol.message.SyncGroupRequestData;
import dev.ferry.protocol.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import dev.ferry.protocol.message.SyncGroupResponseData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Membership of a consumer group under the classic protocol, with the {@link RangeAssignor}.
 *
 * <p>{@link #ensureActive()} finds the coordinator, joins (repeating the JoinGroup with the member id the
 * coordinator hands out on MEMBER_ID_REQUIRED), computes every member's partitions when this member is the leader,
 * and syncs; it returns at once while the member is stable. A {@link HeartbeatThread} keeps the membership alive and
 * flags a rejoin when the coordinator reports a rebalance (REBALANCE_IN_PROGRESS), a newer generation
 * (ILLEGAL_GENERATION) or a forgotten member (UNKNOWN_MEMBER_ID, after which the member joins afresh). Offsets are
 * committed with the current generation, and {@link #close()} leaves the group so that the others rebalance at once.
 *
 * <p><b>Threading:</b> one consumer thread calls everything but {@link #wakeup()}, which any thread may call; the
 * heartbeat thread shares the membership state under {@code stateLock}. The consumer thread's coordinator
 * connection is its own, so a JoinGroup the coordinator holds for a rebalance blocks nobody else.
 */
final class ClassicGroupMember implements AutoCloseable {

    private static final short SUBSCRIPTION_VERSION = 1;
    private static final short ASSIGNMENT_VERSION = 1;
    private static final short FIRST_JOIN_VERSION_WITH_REBALANCE_TIMEOUT = 1;
    private static final short FIRST_JOIN_VERSION_WITH_REASON = 8;
    private static final short FIRST_SYNC_VERSION_WITH_PROTOCOL = 5;
    private static final short FIRST_LEAVE_VERSION_WITH_MEMBERS = 3;
    private static final short FIRST_LEAVE_VERSION_WITH_REASON = 5;
    private static final short LAST_COMMIT_VERSION_WITH_TOPIC_NAMES = 9;
    private static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RECONNECT_BACKOFF = Duration.ofSeconds(1);

    private final KafkaCluster cluster;
    private final ConsumerSettings settings;
    private final String groupId;
    private final List<String> topics;
    private final TopicMetadataCache metadata;
    private final Object stateLock = new Object();
    private final HeartbeatThread heartbeats;

    // shared with the heartbeat thread, under stateLock
    private String memberId = "";
    private int generation = -1;
    private String protocolName;
    private boolean stable;
    private boolean rejoinNeeded = true;
    private String rejoinReason = "joining";
    private Node coordinator;
    private KafkaClientException fatal;

    // the consumer thread's own
    private Set<TopicPartition> assignment = Set.of();
    private volatile KafkaConnection connection;
    private volatile boolean joining;
    private volatile boolean wokenUp;

    ClassicGroupMember(KafkaCluster cluster, ConsumerSettings settings, List<String> topics,
                       TopicMetadataCache metadata) {
        this.cluster = cluster;
        this.settings = settings;
        this.groupId = settings.groupId();
        this.topics = List.copyOf(new TreeSet<>(topics));
        this.metadata = metadata;
        this.heartbeats = new HeartbeatThread(this, cluster, settings);
        heartbeats.start();
    }

    /**
     * Joins the group if the member is not stable in the current generation, and returns its partitions.
     *
     * @throws WakeupException     when {@link #wakeup()} was called
     * @throws KafkaErrorException when the coordinator refuses the member for good (not authorized, group full, ...)
     */
    Set<TopicPartition> ensureActive() {
        while (true) {
            checkWakeup();
            synchronized (stateLock) {
                if (fatal != null) {
                    throw fatal;
                }
                if (stable && !rejoinNeeded && coordinator != null) {
                    return assignment;
                }
                stable = false;
            }
            try {
                joining = true;
                joinAndSync();
            } catch (ConnectionFailedException | ClientTimeoutException e) {
                checkWakeup();
                coordinatorLost();
                // as Kafka's reconnect.backoff.max.ms: a coordinator that is down is not hammered
                Pause.sleep(RECONNECT_BACKOFF);
            } finally {
                joining = false;
            }
        }
    }

    /** The generation of the last successful sync, or -1. */
    int generation() {
        synchronized (stateLock) {
            return generation;
        }
    }

    private void joinAndSync() {
        KafkaConnection coordinatorConnection = coordinatorConnection();
        String reason;
        String currentMemberId;
        synchronized (stateLock) {
            reason = rejoinReason;
            currentMemberId = memberId;
        }
        byte[] subscription = ConsumerProtocol.writeSubscription(
                new ConsumerProtocolSubscriptionData().setTopics(new ArrayList<>(topics)), SUBSCRIPTION_VERSION);
        short joinVersion = coordinatorConnection.versions().version(ApiMessageType.JOIN_GROUP);
        // the coordinator holds a JoinGroup until the rebalance completes, up to the rebalance timeout
        Duration held = coordinatorConnection.requestTimeout().plus(settings.rebalanceTimeout());
        JoinGroupResponseData joined = coordinatorConnection.send(ApiMessageType.JOIN_GROUP, joinVersion, held,
                v -> joinRequest(v, currentMemberId, subscription, reason));
        Errors joinError = Errors.forCode(joined.errorCode());
        switch (joinError) {
            case NONE -> {
            }
            case MEMBER_ID_REQUIRED -> {
                // KIP-394: the coordinator names the member; the next JoinGroup carries that id
                setMemberId(joined.memberId());
                return;
            }
            case UNKNOWN_MEMBER_ID -> {
                setMemberId("");
                return;
            }
            case COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR -> {
                coordinatorLost();
                Pause.sleep(cluster.settings().retryBackoff());
                return;
            }
            default -> {
                if (joinError.retriable() || joinError == Errors.REBALANCE_IN_PROGRESS
                        || joinError == Errors.ILLEGAL_GENERATION) {
                    Pause.sleep(cluster.settings().retryBackoff());
                    return;
                }
                throw fail(new KafkaErrorException(joinError, ErrorMessages.forGroup(joinError, groupId)));
            }
        }
        String joinedMemberId = joined.memberId();
        int joinedGeneration = joined.generationId();
        String protocol = joined.protocolName();
        List<SyncGroupRequestAssignment> assignments = new ArrayList<>();
        if (joinedMemberId.equals(joined.leader()) && !joined.skipAssignment()) {
            assignments = assignAsLeader(joined.members());
        }
        List<SyncGroupRequestAssignment> sending = assignments;
        short syncVersion = coordinatorConnection.versions().version(ApiMessageType.SYNC_GROUP);
        SyncGroupResponseData synced = coordinatorConnection.send(ApiMessageType.SYNC_GROUP, syncVersion, held,
                v -> {
                    SyncGroupRequestData request = new SyncGroupRequestData().setGroupId(groupId)
                            .setGenerationId(joinedGeneration).setMemberId(joinedMemberId).setAssignments(sending);
                    if (v >= FIRST_SYNC_VERSION_WITH_PROTOCOL) {
                        request.setProtocolType(ConsumerProtocol.PROTOCOL_TYPE).setProtocolName(protocol);
                    }
                    return request;
                });
        Errors syncError = Errors.forCode(synced.errorCode());
        switch (syncError) {
            case NONE -> {
            }
            case UNKNOWN_MEMBER_ID -> {
                setMemberId("");
                return;
            }
            case REBALANCE_IN_PROGRESS, ILLEGAL_GENERATION -> {
                setMemberId(joinedMemberId);
                return;
            }
            case COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR -> {
                coordinatorLost();
                Pause.sleep(cluster.settings().retryBackoff());
                return;
            }
            default -> {
                if (syncError.retriable()) {
                    Pause.sleep(cluster.settings().retryBackoff());
                    return;
                }
                throw fail(new KafkaErrorException(syncError, ErrorMessages.forGroup(syncError, groupId)));
            }
        }
        Set<TopicPartition> partitions = readAssignment(synced.assignment());
        synchronized (stateLock) {
            memberId = joinedMemberId;
            generation = joinedGeneration;
            protocolName = protocol;
            assignment = partitions;
            stable = true;
            rejoinNeeded = false;
        }
        heartbeats.wake();
    }

    private JoinGroupRequestData joinRequest(short version, String currentMemberId, byte[] subscription,
                                             String reason) {
        JoinGroupRequestData request = new JoinGroupRequestData().setGroupId(groupId)
                .setSessionTimeoutMs((int) settings.sessionTimeout().toMillis()).setMemberId(currentMemberId)
                .setProtocolType(ConsumerProtocol.PROTOCOL_TYPE)
                .setProtocols(List.of(new JoinGroupRequestProtocol().setName(RangeAssignor.NAME)
                        .setMetadata(subscription)));
        if (version >= FIRST_JOIN_VERSION_WITH_REBALANCE_TIMEOUT) {
            request.setRebalanceTimeoutMs((int) settings.rebalanceTimeout().toMillis());
        }
        if (version >= FIRST_JOIN_VERSION_WITH_REASON) {
            request.setReason(reason);
        }
        return request;
    }

    private List<SyncGroupRequestAssignment> assignAsLeader(List<JoinGroupResponseMember> joinedMembers) {
        List<RangeAssignor.Member> members = new ArrayList<>();
        TreeSet<String> subscribed = new TreeSet<>();
        for (JoinGroupResponseMember member : joinedMembers) {
            List<String> memberTopics;
            try {
                memberTopics = ConsumerProtocol.readSubscription(member.metadata()).topics();
            } catch (ProtocolException e) {
                throw fail(new KafkaClientException("member " + member.memberId() + " of group '" + groupId
                        + "' sent a malformed subscription: " + e.getMessage(), e));
            }
            members.add(new RangeAssignor.Member(member.memberId(), member.groupInstanceId(), memberTopics));
            subscribed.addAll(memberTopics);
        }
        Map<String, Integer> partitionsPerTopic = new HashMap<>();
        for (TopicInfo topic : cluster.metadata(subscribed, false).topics().values()) {
            if (topic.error() == Errors.NONE) {
                partitionsPerTopic.put(topic.name(), topic.partitionCount());
            }
        }
        List<SyncGroupRequestAssignment> assignments = new ArrayList<>();
        for (Map.Entry<String, List<TopicPartition>> entry
                : RangeAssignor.assign(partitionsPerTopic, members).entrySet()) {
            Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
            for (TopicPartition partition : entry.getValue()) {
                byTopic.computeIfAbsent(partition.topic(), t -> new ArrayList<>()).add(partition.partition());
            }
            ConsumerProtocolAssignmentData assignment = new ConsumerProtocolAssignmentData();
            byTopic.forEach((topic, partitions) -> assignment.assignedPartitions().add(
                    new ConsumerProtocolAssignmentData.TopicPartition().setTopic(topic).setPartitions(partitions)));
            assignments.add(new SyncGroupRequestAssignment().setMemberId(entry.getKey())
                    .setAssignment(ConsumerProtocol.writeAssignment(assignment, ASSIGNMENT_VERSION)));
        }
        return assignments;
    }

    private Set<TopicPartition> readAssignment(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return Set.of();
        }
        ConsumerProtocolAssignmentData assignment;
        try {
            assignment = ConsumerProtocol.readAssignment(bytes);
        } catch (ProtocolException e) {
            throw fail(new KafkaClientException("the assignment for group '" + groupId + "' is malformed: "
                    + e.getMessage(), e));
        }
        Set<TopicPartition> partitions = new TreeSet<>();
        for (ConsumerProtocolAssignmentData.TopicPartition topic : assignment.assignedPartitions()) {
            for (int partition : topic.partitions()) {
                partitions.add(new TopicPartition(topic.topic(), partition));
            }
        }
        return Set.copyOf(partitions);
    }

    /**
     * The committed offsets of {@code partitions}, retrying while the coordinator moves, loads, or has commits of a
     * transaction pending.
     */
    Map<TopicPartition, Long> committed(Collection<TopicPartition> partitions) {
        long deadline = System.nanoTime() + cluster.settings().requestTimeout().toNanos();
        while (true) {
            checkWakeup();
            try {
                return CommittedOffsets.fetch(coordinatorConnection(), groupId, partitions, topicIds());
            } catch (KafkaErrorException e) {
                if (!e.error().retriable() || System.nanoTime() - deadline >= 0) {
                    throw e;
                }
                if (e.error() == Errors.NOT_COORDINATOR || e.error() == Errors.COORDINATOR_NOT_AVAILABLE) {
                    coordinatorLost();
                }
            } catch (ConnectionFailedException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw e;
                }
                coordinatorLost();
            }
            Pause.sleep(cluster.settings().retryBackoff());
        }
    }

    /**
     * Commits {@code offsets} (the next offset to read, per partition) in the current generation, retrying while the
     * coordinator moves or loads.
     *
     * @return true when committed; false when the group has moved on to a rebalance, in which case the member
     *         rejoins on the next {@link #ensureActive()} and the records after the last commit will be read again
     * @throws KafkaErrorException when the coordinator refuses for a reason retrying cannot fix
     */
    boolean commit(Map<TopicPartition, Long> offsets) {
        if (offsets.isEmpty()) {
            return true;
        }
        long deadline = System.nanoTime() + cluster.settings().requestTimeout().toNanos();
        while (true) {
            int commitGeneration;
            String commitMemberId;
            synchronized (stateLock) {
                if (!stable) {
                    return false;
                }
                commitGeneration = generation;
                commitMemberId = memberId;
            }
            Errors error;
            try {
                error = commitOnce(offsets, commitGeneration, commitMemberId);
            } catch (ConnectionFailedException | ClientTimeoutException e) {
                error = Errors.NETWORK_EXCEPTION;
                coordinatorLost();
            }
            switch (error) {
                case NONE -> {
                    return true;
                }
                case REBALANCE_IN_PROGRESS, ILLEGAL_GENERATION -> {
                    requestRejoin("the generation ended during a commit");
                    return false;
                }
                case UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID -> {
                    setMemberId("");
                    return false;
                }
                case NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE -> coordinatorLost();
                default -> {
                    if (!error.retriable()) {
                        throw new KafkaErrorException(error, "cannot commit offsets for group '" + groupId + "': "
                                + ErrorMessages.describe(error));
                    }
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new ClientTimeoutException("cannot commit offsets for group '" + groupId + "' within "
                        + cluster.settings().requestTimeout().toMillis() + " ms (" + error.name() + ")");
            }
            Pause.sleep(cluster.settings().retryBackoff());
        }
    }

    private Errors commitOnce(Map<TopicPartition, Long> offsets, int commitGeneration, String commitMemberId) {
        KafkaConnection coordinatorConnection = coordinatorConnection();
        Map<String, UUID> ids = topicIds();
        Map<String, List<OffsetCommitRequestPartition>> byTopic = new LinkedHashMap<>();
        boolean allIds = true;
        for (Map.Entry<TopicPartition, Long> entry : new TreeMap<>(offsets).entrySet()) {
            byTopic.computeIfAbsent(entry.getKey().topic(), t -> new ArrayList<>()).add(
                    new OffsetCommitRequestPartition().setPartitionIndex(entry.getKey().partition())
                            .setCommittedOffset(entry.getValue()));
            UUID id = ids.get(entry.getKey().topic());
            allIds &= id != null && !Uuids.ZERO.equals(id);
        }
        short version = coordinatorConnection.versions().version(ApiMessageType.OFFSET_COMMIT);
        if (!allIds) {
            version = (short) Math.min(version, LAST_COMMIT_VERSION_WITH_TOPIC_NAMES);
        }
        short sending = version;
        OffsetCommitResponseData response = coordinatorConnection.send(ApiMessageType.OFFSET_COMMIT, version,
                coordinatorConnection.requestTimeout(), v -> {
                    OffsetCommitRequestData request = new OffsetCommitRequestData().setGroupId(groupId)
                            .setGenerationIdOrMemberEpoch(commitGeneration).setMemberId(commitMemberId);
                    byTopic.forEach((topic, partitions) -> {
                        OffsetCommitRequestTopic entry = new OffsetCommitRequestTopic().setPartitions(partitions);
                        if (sending > LAST_COMMIT_VERSION_WITH_TOPIC_NAMES) {
                            entry.setTopicId(ids.get(topic));
                        } else {
                            entry.setName(topic);
                        }
                        request.topics().add(entry);
                    });
                    return request;
                });
        Errors first = Errors.NONE;
        for (OffsetCommitResponseTopic topic : response.topics()) {
            for (OffsetCommitResponsePartition partition : topic.partitions()) {
                Errors error = Errors.forCode(partition.errorCode());
                if (error != Errors.NONE && first == Errors.NONE) {
                    first = error;
                }
            }
        }
        return first;
    }

    private Map<String, UUID> topicIds() {
        Map<String, UUID> ids = new HashMap<>();
        for (TopicInfo topic : metadata.all().values()) {
            ids.put(topic.name(), topic.id());
        }
        return ids;
    }

    private KafkaConnection coordinatorConnection() {
        Node node;
        synchronized (stateLock) {
            node = coordinator;
        }
        if (node == null) {
            node = cluster.findCoordinator(groupId);
            synchronized (stateLock) {
                coordinator = node;
            }
        }
        if (connection == null || !connection.isOpen()) {
            connection = cluster.openDedicated(node);
        }
        return connection;
    }

    /** The coordinator and generation the heartbeat thread should heartbeat to, or null while not stable. */
    HeartbeatThread.Target heartbeatTarget() {
        synchronized (stateLock) {
            if (!stable || rejoinNeeded || coordinator == null) {
                return null;
            }
            return new HeartbeatThread.Target(coordinator, groupId, memberId, generation);
        }
    }

    /** Takes the coordinator's answer to a heartbeat sent for {@code target}. */
    void onHeartbeat(HeartbeatThread.Target target, Errors error) {
        synchronized (stateLock) {
            if (target.generation() != generation || !target.memberId().equals(memberId)) {
                // an answer about a generation the member has already left behind
                return;
            }
            switch (error) {
                case NONE -> {
                }
                case REBALANCE_IN_PROGRESS -> requestRejoinLocked("the group is rebalancing");
                case ILLEGAL_GENERATION -> requestRejoinLocked("the generation ended");
                case UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID -> {
                    memberId = "";
                    generation = -1;
                    requestRejoinLocked("the coordinator forgot the member");
                }
                case NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE -> {
                    coordinator = null;
                    requestRejoinLocked("the coordinator moved");
                }
                case GROUP_AUTHORIZATION_FAILED -> fatal = new KafkaErrorException(error,
                        ErrorMessages.forGroup(error, groupId));
                default -> {
                    // other errors are transient; the next heartbeat tries again
                }
            }
        }
    }

    /** The heartbeat thread could not reach the coordinator for a whole session: the member must rejoin. */
    void onHeartbeatSessionLost() {
        synchronized (stateLock) {
            coordinator = null;
            requestRejoinLocked("heartbeats failed for a whole session");
        }
    }

    private void requestRejoin(String reason) {
        synchronized (stateLock) {
            requestRejoinLocked(reason);
        }
    }

    private void requestRejoinLocked(String reason) {
        rejoinNeeded = true;
        stable = false;
        rejoinReason = reason;
    }

    private void setMemberId(String id) {
        synchronized (stateLock) {
            memberId = id;
            if (id.isEmpty()) {
                generation = -1;
            }
            requestRejoinLocked(id.isEmpty() ? "the coordinator forgot the member" : "joining with the member id");
        }
    }

    private void coordinatorLost() {
        synchronized (stateLock) {
            coordinator = null;
            rejoinNeeded = true;
            stable = false;
        }
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    private KafkaClientException fail(KafkaClientException e) {
        synchronized (stateLock) {
            fatal = e;
        }
        return e;
    }

    private void checkWakeup() {
        if (wokenUp) {
            throw new WakeupException();
        }
    }

    /**
     * Makes the consumer thread's blocking calls end with {@link WakeupException}: at once if it waits in a
     * JoinGroup or SyncGroup, else at its next check. Any thread may call it.
     */
    void wakeup() {
        wokenUp = true;
        KafkaConnection current = connection;
        if (joining && current != null) {
            current.close();
        }
    }

    /** Stops heartbeating and leaves the group, so that the other members rebalance without waiting a session. */
    @Override
    public void close() {
        heartbeats.shutdown();
        String leaving;
        synchronized (stateLock) {
            leaving = memberId;
            memberId = "";
            stable = false;
        }
        try {
            if (!leaving.isEmpty()) {
                leave(leaving);
            }
        } finally {
            if (connection != null) {
                connection.close();
            }
        }
    }

    private void leave(String leavingMemberId) {
        try {
            if (connection == null || !connection.isOpen()) {
                Node node;
                synchronized (stateLock) {
                    node = coordinator;
                }
                connection = cluster.openDedicated(node != null ? node : cluster.findCoordinator(groupId));
            }
            short version = connection.versions().version(ApiMessageType.LEAVE_GROUP);
            Duration timeout = LEAVE_TIMEOUT.compareTo(connection.requestTimeout()) < 0 ? LEAVE_TIMEOUT
                    : connection.requestTimeout();
            connection.send(ApiMessageType.LEAVE_GROUP, version, timeout, v -> leaveRequest(v, leavingMemberId));
        } catch (KafkaClientException e) {
            // the coordinator drops the member after its session timeout anyway
        }
    }

    private LeaveGroupRequestData leaveRequest(short version, String leavingMemberId) {
        LeaveGroupRequestData request = new LeaveGroupRequestData().setGroupId(groupId);
        if (version < FIRST_LEAVE_VERSION_WITH_MEMBERS) {
            return request.setMemberId(leavingMemberId);
        }
        MemberIdentity member = new MemberIdentity().setMemberId(leavingMemberId);
        if (version >= FIRST_LEAVE_VERSION_WITH_REASON) {
            member.setReason("the consumer is closing");
        }
        return request.setMembers(List.of(member));
    }
}
