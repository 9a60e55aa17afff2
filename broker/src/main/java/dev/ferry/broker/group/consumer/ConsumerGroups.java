package dev.ferry.broker.group.consumer;

import dev.ferry.broker.group.GroupTimers;
import dev.ferry.broker.group.consumer.AssignmentSpec.MemberSubscription;
import dev.ferry.broker.group.consumer.TopicsView.TopicShape;
import dev.ferry.broker.topic.TopicManager;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import dev.ferry.protocol.message.ConsumerGroupHeartbeatRequestData;
import dev.ferry.protocol.message.ConsumerGroupHeartbeatRequestData.TopicPartitions;
import dev.ferry.protocol.message.ConsumerGroupHeartbeatResponseData;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every KIP-848 consumer group of this broker: ConsumerGroupHeartbeat membership, server-side assignment and
 * reconciliation, following Kafka's group coordinator ({@code GroupMetadataManager.consumerGroupHeartbeat}) in its
 * checks, error codes and messages.
 *
 * <p>A heartbeat first updates its member (joining, subscription, assignor); a change of membership, of a
 * subscription, or of the id or partition count of a subscribed topic bumps the group epoch. A group whose epoch
 * moved past its assignment epoch gets a new target assignment from its assignor — the one most members ask for,
 * else the first offered. The member is then reconciled towards its target ({@link Reconciler}): it revokes before it
 * is given, and is given only partitions nobody else holds, so no partition ever has two owners.
 *
 * <p>Members that stop heartbeating for {@code sessionTimeoutMs}, or that do not revoke within their rebalance
 * timeout, are removed. A group whose last member left stays, Empty, until {@link #delete}. Topic metadata is
 * checked on every heartbeat, so created, deleted and grown topics reach the target assignment at the next heartbeat
 * of any member.
 *
 * <p>Groups live in memory only: after a broker restart their members heartbeat to an unknown group and are told
 * UNKNOWN_MEMBER_ID, upon which they rejoin (Kafka, which never loses a group, would answer GROUP_ID_NOT_FOUND, an
 * error its consumers treat as fatal). Committed offsets are kept elsewhere and survive.
 *
 * <p><b>Thread-safety:</b> safe for use from any thread; every method synchronizes on the coordinator's
 * {@code lock}, which timer tasks hold too.
 */
public final class ConsumerGroups {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroups.class);
    private static final short FIRST_COMMIT_VERSION_FOR_CONSUMER_MEMBERS = 9;
    private static final byte CONSUMER_MEMBER_TYPE = 1;

    private final ConsumerGroupSettings settings;
    private final TopicManager topics;
    private final GroupTimers timers;
    private final Object lock;
    private final ClassicGroupGuard classicGroups;
    private final LongSupplier clockMs;
    private final Map<String, ServerAssignor> assignors;
    private final Map<String, ConsumerGroup> groups = new HashMap<>();

    /**
     * @param topics        topic metadata the assignment follows
     * @param timers        the coordinator's timers, firing under {@code lock}
     * @param lock          the coordinator's lock
     * @param classicGroups the classic groups sharing the id space
     * @param clockMs       the time source; member expiry runs on {@code timers}, this stamps heartbeats for logs
     * @throws IllegalArgumentException when {@code settings} names an assignor that does not exist
     */
    public ConsumerGroups(ConsumerGroupSettings settings, TopicManager topics, GroupTimers timers, Object lock,
                          ClassicGroupGuard classicGroups, LongSupplier clockMs) {
        this.settings = settings;
        this.topics = topics;
        this.timers = timers;
        this.lock = lock;
        this.classicGroups = classicGroups;
        this.clockMs = clockMs;
        this.assignors = ServerAssignors.named(settings.assignors());
    }

    // ---- ConsumerGroupHeartbeat

    /**
     * ConsumerGroupHeartbeat: joins, heartbeats, or leaves (member epoch -1, or -2 for a static member that will be
     * back). An error answer carries only its code and message, as Kafka's.
     *
     * @param clientHost the peer's address as Kafka prints it, e.g. {@code /127.0.0.1}
     */
    public ConsumerGroupHeartbeatResponseData heartbeat(ConsumerGroupHeartbeatRequestData request, String clientId,
                                                        String clientHost, short version) {
        return heartbeat(request, clientId, clientHost, version, null);
    }

    /**
     * ConsumerGroupHeartbeat of a tenant's member: as {@link #heartbeat(ConsumerGroupHeartbeatRequestData, String,
     * String, short)}, and a group this heartbeat creates resolves regular expressions only among the topics whose
     * names start with {@code topicScope}, so that a tenant's subscription never reaches another tenant's topics.
     * The scope is the group's for its whole life; the caller has checked that the group id is the tenant's.
     *
     * @param topicScope the prefix of the topics a regular expression may resolve to, e.g. {@code acme.}; null for
     *                   every topic
     */
    public ConsumerGroupHeartbeatResponseData heartbeat(ConsumerGroupHeartbeatRequestData request, String clientId,
                                                        String clientHost, short version, String topicScope) {
        try {
            HeartbeatValidation.validate(request, version, assignors.keySet());
            synchronized (lock) {
                if (classicGroups.isClassicGroupInUse(request.groupId())) {
                    throw notConsumerGroup(request.groupId());
                }
                int epoch = request.memberEpoch();
                if (epoch == HeartbeatValidation.LEAVE_EPOCH || epoch == HeartbeatValidation.STATIC_LEAVE_EPOCH) {
                    return leave(request);
                }
                return memberHeartbeat(request, clientId, clientHost, topicScope);
            }
        } catch (GroupError e) {
            return new ConsumerGroupHeartbeatResponseData().setErrorCode(e.error().code())
                    .setErrorMessage(e.getMessage());
        }
    }

    /** A join or a heartbeat: Kafka's {@code consumerGroupHeartbeat}. */
    private ConsumerGroupHeartbeatResponseData memberHeartbeat(ConsumerGroupHeartbeatRequestData request,
                                                               String clientId, String clientHost,
                                                               String topicScope) {
        String groupId = request.groupId();
        boolean joining = request.memberEpoch() == HeartbeatValidation.JOIN_EPOCH;
        ConsumerGroup group = groups.get(groupId);
        if (group == null) {
            if (!joining) {
                // the group was lost with a broker restart: the member rejoins on UNKNOWN_MEMBER_ID
                throw unknownMember(request.memberId(), groupId);
            }
            group = new ConsumerGroup(groupId, topicScope);
        }
        if (group.size() >= settings.maxSize()
                && (request.memberId().isEmpty() || group.member(request.memberId()) == null)) {
            throw new GroupError(Errors.GROUP_MAX_SIZE_REACHED, "The consumer group has reached its maximum "
                    + "capacity of " + settings.maxSize() + " members.");
        }
        String memberId = request.memberId().isEmpty() ? newMemberId() : request.memberId();
        Assignment owned = owned(request.topicPartitions());
        Arrival arrival = request.instanceId() == null
                ? dynamicMember(group, memberId, request.memberEpoch(), owned)
                : staticMember(group, memberId, request.instanceId(), request.memberEpoch(), owned);

        // every check passed: from here on the heartbeat changes the group
        if (!groups.containsKey(groupId)) {
            // an empty classic group of this id gives way, as in Kafka
            classicGroups.removeEmptyClassicGroup(groupId);
            groups.put(groupId, group);
        }
        ConsumerGroupMember member = arrival.member();
        boolean subscriptionChanged = member.wouldChangeSubscription(request.subscribedTopicNames(),
                request.subscribedTopicRegex());
        member.update(request.instanceId(), request.rackId(), request.rebalanceTimeoutMs(), request.serverAssignor(),
                request.subscribedTopicNames(), request.subscribedTopicRegex(), clientId, clientHost,
                clockMs.getAsLong());
        place(group, arrival);
        CurrentAssignment before = member.current();
        TopicsView view = TopicsView.of(topics, group.topicScope());
        refreshTargetAssignment(group, view, subscriptionChanged);
        reconcile(group, member, view, subscriptionChanged, owned);
        scheduleSessionTimeout(groupId, memberId);

        ConsumerGroupHeartbeatResponseData response = new ConsumerGroupHeartbeatResponseData()
                .setMemberId(memberId).setMemberEpoch(member.memberEpoch())
                .setHeartbeatIntervalMs(settings.heartbeatIntervalMs());
        // like Kafka: the assignment goes to a member that (re)joins or sent every field, as after an error, and
        // to one whose assignment changed
        boolean fullRequest = joining || request.rebalanceTimeoutMs() != -1
                && request.subscribedTopicNames() != null && request.topicPartitions() != null;
        if (fullRequest || !member.current().assigned().equals(before.assigned())) {
            response.setAssignment(responseAssignment(member.current().assigned()));
        }
        return response;
    }

    /**
     * The member a heartbeat is from: an existing one, a new one, or the new incarnation of a static member.
     *
     * @param previous the static member being taken over, or null
     */
    private record Arrival(ConsumerGroupMember member, ConsumerGroupMember previous) {
    }

    private static Arrival dynamicMember(ConsumerGroup group, String memberId, int requestEpoch, Assignment owned) {
        ConsumerGroupMember member = group.member(memberId);
        if (member == null) {
            if (requestEpoch != HeartbeatValidation.JOIN_EPOCH) {
                throw unknownMember(memberId, group.groupId());
            }
            return new Arrival(new ConsumerGroupMember(memberId), null);
        }
        checkEpoch(member, requestEpoch, owned);
        return new Arrival(member, null);
    }

    private static Arrival staticMember(ConsumerGroup group, String memberId, String instanceId, int requestEpoch,
                                        Assignment owned) {
        ConsumerGroupMember existing = group.staticMember(instanceId);
        if (requestEpoch == HeartbeatValidation.JOIN_EPOCH) {
            if (existing == null) {
                ConsumerGroupMember member = group.member(memberId);
                return new Arrival(member != null ? member : new ConsumerGroupMember(memberId), null);
            }
            // only an instance that said it would be back (epoch -2) may be taken over
            if (existing.memberEpoch() != HeartbeatValidation.STATIC_LEAVE_EPOCH) {
                throw new GroupError(Errors.UNRELEASED_INSTANCE_ID, "Static member " + memberId + " with instance id "
                        + instanceId + " cannot join the group because the instance id is owned by "
                        + existing.memberId() + " member.");
            }
            return new Arrival(existing.copyAs(memberId), existing);
        }
        if (existing == null) {
            throw new GroupError(Errors.UNKNOWN_MEMBER_ID, "Instance id " + instanceId + " is unknown.");
        }
        if (!existing.memberId().equals(memberId)) {
            throw new GroupError(Errors.FENCED_INSTANCE_ID, "Static member " + memberId + " with instance id "
                    + instanceId + " was fenced by member " + existing.memberId() + ".");
        }
        checkEpoch(existing, requestEpoch, owned);
        return new Arrival(existing, null);
    }

    /** Puts an arriving member in its group, in place of its previous incarnation if it has one. */
    private void place(ConsumerGroup group, Arrival arrival) {
        ConsumerGroupMember member = arrival.member();
        if (arrival.previous() != null) {
            cancelTimers(group.groupId(), arrival.previous().memberId());
            group.replace(arrival.previous(), member);
            LOG.info("Static member {} of consumer group {} rejoined as member {}", member.instanceId(),
                    group.groupId(), member.memberId());
            return;
        }
        if (group.member(member.memberId()) == null) {
            LOG.info("Member {} joined consumer group {}", member.memberId(), group.groupId());
        }
        // also indexes an existing member under an instance id it may just have been given
        group.add(member);
    }

    /**
     * Bumps the group epoch when a subscription or the shape of a subscribed topic changed (or the group is new),
     * and computes a target assignment when the group epoch moved past the assignment epoch.
     */
    private void refreshTargetAssignment(ConsumerGroup group, TopicsView view, boolean subscriptionChanged) {
        SortedMap<String, TopicShape> shapes = view.shapesOf(group.members());
        if (group.groupEpoch() == 0 || subscriptionChanged || !shapes.equals(group.subscribedTopics())) {
            group.setSubscribedTopics(shapes);
            group.bumpGroupEpoch();
            LOG.debug("Consumer group {} moved to epoch {}", group.groupId(), group.groupEpoch());
        }
        if (group.groupEpoch() > group.assignmentEpoch()) {
            computeTargetAssignment(group, view);
        }
    }

    /** Moves the member a step towards its target, timing its revocation. */
    private void reconcile(ConsumerGroup group, ConsumerGroupMember member, TopicsView view,
                           boolean subscriptionChanged, Assignment owned) {
        CurrentAssignment before = member.current();
        if (!subscriptionChanged && before.isReconciledTo(group.assignmentEpoch())) {
            return;
        }
        CurrentAssignment next = Reconciler.reconcile(member.memberId(), before, group.assignmentEpoch(),
                group.targetAssignment(member.memberId()), view.topicIdsOf(member), subscriptionChanged, owned,
                group::ownerOf);
        if (next.equals(before)) {
            return;
        }
        group.updateCurrent(member, next);
        if (next.state() == MemberState.UNREVOKED_PARTITIONS) {
            scheduleRebalanceTimeout(group, member);
        } else {
            timers.cancel(rebalanceTimerKey(group.groupId(), member.memberId()));
        }
    }

    /** Kafka's epoch check: an epoch ahead, or behind other than the previous one with a subset, is fenced. */
    private static void checkEpoch(ConsumerGroupMember member, int requestEpoch, Assignment owned) {
        int epoch = member.memberEpoch();
        if (requestEpoch > epoch) {
            throw new GroupError(Errors.FENCED_MEMBER_EPOCH, "The consumer group member has a greater member epoch ("
                    + requestEpoch + ") than the one known by the group coordinator (" + epoch
                    + "). The member must abandon all its partitions and rejoin.");
        }
        if (requestEpoch < epoch) {
            // the answer carrying the new epoch may have been lost: the previous epoch is fine if nothing extra is
            // owned
            boolean lostAnswer = requestEpoch == member.current().previousMemberEpoch() && owned != null
                    && owned.isSubsetOf(member.current().assigned());
            if (!lostAnswer) {
                throw new GroupError(Errors.FENCED_MEMBER_EPOCH, "The consumer group member has a smaller member "
                        + "epoch (" + requestEpoch + ") than the one known by the group coordinator (" + epoch
                        + "). The member must abandon all its partitions and rejoin.");
            }
        }
    }

    private ConsumerGroupHeartbeatResponseData leave(ConsumerGroupHeartbeatRequestData request) {
        String groupId = request.groupId();
        String memberId = request.memberId();
        ConsumerGroup group = groups.get(groupId);
        if (group == null) {
            throw new GroupError(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " not found.");
        }
        ConsumerGroupHeartbeatResponseData response = new ConsumerGroupHeartbeatResponseData()
                .setMemberId(memberId).setMemberEpoch(request.memberEpoch());
        String instanceId = request.instanceId();
        if (instanceId == null) {
            ConsumerGroupMember member = group.member(memberId);
            if (member == null) {
                throw unknownMember(memberId, groupId);
            }
            LOG.info("Member {} left consumer group {}", memberId, groupId);
            fence(group, member);
            return response;
        }
        ConsumerGroupMember member = group.staticMember(instanceId);
        if (member == null) {
            throw new GroupError(Errors.UNKNOWN_MEMBER_ID, "Instance id " + instanceId + " is unknown.");
        }
        if (!member.memberId().equals(memberId)) {
            throw new GroupError(Errors.FENCED_INSTANCE_ID, "Static member " + memberId + " with instance id "
                    + instanceId + " was fenced by member " + member.memberId() + ".");
        }
        if (request.memberEpoch() == HeartbeatValidation.STATIC_LEAVE_EPOCH) {
            // away for a while: it keeps its partitions, except those it was revoking, until its session expires
            CurrentAssignment current = member.current();
            group.updateCurrent(member, new CurrentAssignment(current.state(), HeartbeatValidation.STATIC_LEAVE_EPOCH,
                    current.previousMemberEpoch(), current.assigned(), Assignment.EMPTY));
            timers.cancel(rebalanceTimerKey(groupId, memberId));
            LOG.info("Static member {} ({}) temporarily left consumer group {}", memberId, instanceId, groupId);
        } else {
            LOG.info("Static member {} ({}) left consumer group {}", memberId, instanceId, groupId);
            fence(group, member);
        }
        return response;
    }

    /** Removes a member: its partitions are free, and the next heartbeat computes a target assignment without it. */
    private void fence(ConsumerGroup group, ConsumerGroupMember member) {
        group.remove(member.memberId());
        cancelTimers(group.groupId(), member.memberId());
        group.setSubscribedTopics(TopicsView.of(topics, group.topicScope()).shapesOf(group.members()));
        group.bumpGroupEpoch();
    }

    private void computeTargetAssignment(ConsumerGroup group, TopicsView view) {
        Map<String, MemberSubscription> members = new HashMap<>();
        Map<UUID, Integer> partitions = new HashMap<>();
        for (ConsumerGroupMember member : group.members()) {
            Set<UUID> topicIds = view.topicIdsOf(member);
            topicIds.forEach(id -> partitions.put(id, view.topic(id).partitions()));
            members.put(member.memberId(), new MemberSubscription(member.instanceId(), topicIds,
                    group.targetAssignment(member.memberId())));
        }
        ServerAssignor assignor = assignors.get(assignorName(group));
        group.setTargetAssignment(assignor.assign(new AssignmentSpec(members, partitions)));
        LOG.debug("Computed the target assignment of consumer group {} at epoch {} with the {} assignor",
                group.groupId(), group.assignmentEpoch(), assignor.name());
    }

    private String assignorName(ConsumerGroup group) {
        return group.preferredAssignor(settings.assignors()).orElse(settings.assignors().get(0));
    }

    // ---- timers

    private void scheduleSessionTimeout(String groupId, String memberId) {
        timers.schedule(sessionTimerKey(groupId, memberId), settings.sessionTimeoutMs(), () -> {
            ConsumerGroup group = groups.get(groupId);
            ConsumerGroupMember member = group == null ? null : group.member(memberId);
            if (member != null) {
                LOG.info("Member {} of consumer group {} expired: no heartbeat for {} ms", memberId, groupId,
                        clockMs.getAsLong() - member.lastHeartbeatMs());
                fence(group, member);
            }
        });
    }

    private void scheduleRebalanceTimeout(ConsumerGroup group, ConsumerGroupMember member) {
        String groupId = group.groupId();
        String memberId = member.memberId();
        int epoch = member.memberEpoch();
        timers.schedule(rebalanceTimerKey(groupId, memberId), member.rebalanceTimeoutMs(), () -> {
            ConsumerGroup current = groups.get(groupId);
            ConsumerGroupMember stuck = current == null ? null : current.member(memberId);
            if (stuck != null && stuck.memberEpoch() == epoch) {
                LOG.info("Member {} of consumer group {} removed: it did not revoke its partitions of epoch {} "
                        + "within {} ms", memberId, groupId, epoch, stuck.rebalanceTimeoutMs());
                fence(current, stuck);
            }
        });
    }

    private void cancelTimers(String groupId, String memberId) {
        timers.cancel(sessionTimerKey(groupId, memberId));
        timers.cancel(rebalanceTimerKey(groupId, memberId));
    }

    /** Timer keys name group and member unambiguously, and apart from the classic groups' keys. */
    private static String sessionTimerKey(String groupId, String memberId) {
        return "consumer-session/" + groupId.length() + "/" + groupId + "/" + memberId;
    }

    private static String rebalanceTimerKey(String groupId, String memberId) {
        return "consumer-rebalance/" + groupId.length() + "/" + groupId + "/" + memberId;
    }

    // ---- queries for the other group APIs

    /**
     * ConsumerGroupDescribe of one group. An unknown id is GROUP_ID_NOT_FOUND "Group X not found.", a classic
     * group's "Group X is not a consumer group.". Authorized operations are left at "not requested" for the caller
     * to fill in.
     */
    public DescribedGroup describe(String groupId) {
        synchronized (lock) {
            ConsumerGroup group = groups.get(groupId);
            if (group == null) {
                GroupError error = classicGroups.isClassicGroup(groupId) ? notConsumerGroup(groupId)
                        : new GroupError(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " not found.");
                return new DescribedGroup().setGroupId(groupId).setErrorCode(error.error().code())
                        .setErrorMessage(error.getMessage());
            }
            return GroupDescriptions.describe(group, assignorName(group), TopicsView.of(topics, group.topicScope()),
                    CONSUMER_MEMBER_TYPE);
        }
    }

    /** Whether a consumer group of this id exists, with members or Empty. */
    public boolean contains(String groupId) {
        synchronized (lock) {
            return groups.containsKey(groupId);
        }
    }

    /** Kafka's state name for ListGroups: "Empty", "Assigning", "Reconciling" or "Stable"; empty if unknown. */
    public Optional<String> state(String groupId) {
        synchronized (lock) {
            ConsumerGroup group = groups.get(groupId);
            return group == null ? Optional.empty() : Optional.of(group.state());
        }
    }

    /** Whether the group exists and has members. */
    public boolean hasMembers(String groupId) {
        synchronized (lock) {
            ConsumerGroup group = groups.get(groupId);
            return group != null && group.hasMembers();
        }
    }

    /** The ids of every consumer group, sorted. */
    public List<String> groupIds() {
        synchronized (lock) {
            List<String> ids = new ArrayList<>(groups.keySet());
            ids.sort(String::compareTo);
            return ids;
        }
    }

    /**
     * The topics some member subscribes to — by name, existing or not, and by regular expression among existing
     * topics. OffsetDelete refuses their offsets with GROUP_SUBSCRIBED_TO_TOPIC.
     */
    public Set<String> subscribedTopics(String groupId) {
        synchronized (lock) {
            ConsumerGroup group = groups.get(groupId);
            return group == null ? Set.of()
                    : TopicsView.of(topics, group.topicScope()).subscribedNames(group.members());
        }
    }

    /**
     * Kafka's {@code ConsumerGroup.validateOffsetCommit}: a commit without a member epoch (admin client, simple
     * consumer) is allowed only while the group has no members; otherwise the member must exist
     * (UNKNOWN_MEMBER_ID), commit with OffsetCommit 9 or later (UNSUPPORTED_VERSION) and name its current epoch
     * (STALE_MEMBER_EPOCH). An unknown group is GROUP_ID_NOT_FOUND.
     */
    public Errors validateOffsetCommit(String groupId, String memberId, int memberEpoch, short apiVersion) {
        synchronized (lock) {
            ConsumerGroup group = groups.get(groupId);
            if (group == null) {
                return Errors.GROUP_ID_NOT_FOUND;
            }
            if (memberEpoch < 0 && !group.hasMembers()) {
                return Errors.NONE;
            }
            ConsumerGroupMember member = memberId == null ? null : group.member(memberId);
            if (member == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (apiVersion < FIRST_COMMIT_VERSION_FOR_CONSUMER_MEMBERS) {
                return Errors.UNSUPPORTED_VERSION;
            }
            return memberEpoch == member.memberEpoch() ? Errors.NONE : Errors.STALE_MEMBER_EPOCH;
        }
    }

    /**
     * Kafka's {@code ConsumerGroup.validateOffsetFetch} for OffsetFetch v9+: without member id and epoch anyone may
     * fetch; otherwise the member must exist (UNKNOWN_MEMBER_ID) at that epoch (STALE_MEMBER_EPOCH).
     */
    public Errors validateOffsetFetch(String groupId, String memberId, int memberEpoch) {
        synchronized (lock) {
            ConsumerGroup group = groups.get(groupId);
            if (group == null) {
                return Errors.GROUP_ID_NOT_FOUND;
            }
            if (memberId == null && memberEpoch < 0) {
                return Errors.NONE;
            }
            ConsumerGroupMember member = memberId == null ? null : group.member(memberId);
            if (member == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            return memberEpoch == member.memberEpoch() ? Errors.NONE : Errors.STALE_MEMBER_EPOCH;
        }
    }

    /** Removes the group (DeleteGroups, offsets expiry); the caller checked it has no members. */
    public void delete(String groupId) {
        synchronized (lock) {
            ConsumerGroup group = groups.remove(groupId);
            if (group != null) {
                group.members().forEach(member -> cancelTimers(groupId, member.memberId()));
                LOG.info("Deleted consumer group {}", groupId);
            }
        }
    }

    // ---- helpers

    private static GroupError unknownMember(String memberId, String groupId) {
        return new GroupError(Errors.UNKNOWN_MEMBER_ID, "Member " + memberId + " is not a member of group "
                + groupId + ".");
    }

    private static GroupError notConsumerGroup(String groupId) {
        return new GroupError(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " is not a consumer group.");
    }

    /** The partitions a heartbeat reports as owned; null when it did not say. */
    private static Assignment owned(List<TopicPartitions> topicPartitions) {
        if (topicPartitions == null) {
            return null;
        }
        Assignment.Builder owned = Assignment.builder();
        topicPartitions.forEach(topic -> owned.addAll(topic.topicId(), topic.partitions()));
        return owned.build();
    }

    private static ConsumerGroupHeartbeatResponseData.Assignment responseAssignment(Assignment assignment) {
        List<ConsumerGroupHeartbeatResponseData.TopicPartitions> topicPartitions = new ArrayList<>();
        assignment.partitions().forEach((topicId, partitions) -> topicPartitions.add(
                new ConsumerGroupHeartbeatResponseData.TopicPartitions().setTopicId(topicId)
                        .setPartitions(new ArrayList<>(partitions))));
        return new ConsumerGroupHeartbeatResponseData.Assignment().setTopicPartitions(topicPartitions);
    }

    /** A member id as Kafka generates one: a random UUID in URL-safe base64, 22 characters. */
    private static String newMemberId() {
        UUID uuid = UUID.randomUUID();
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }
}
