package dev.ferry.broker.group;

import dev.ferry.broker.group.consumer.ClassicGroupGuard;
import dev.ferry.broker.group.consumer.ConsumerGroupSettings;
import dev.ferry.broker.group.consumer.ConsumerGroups;
import dev.ferry.broker.topic.TopicManager;
import dev.ferry.config.FerryConfig;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.DescribeGroupsResponseData.DescribedGroup;
import dev.ferry.protocol.message.DescribeGroupsResponseData.DescribedGroupMember;
import dev.ferry.protocol.message.ListGroupsResponseData.ListedGroup;
import dev.ferry.storage.Log;
import dev.ferry.storage.TopicPartition;
import dev.ferry.storage.offsets.CommittedOffset;
import dev.ferry.storage.offsets.OffsetCommit;
import dev.ferry.storage.offsets.OffsetStore;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator of every group, this broker being the only node: classic groups ({@link ClassicGroups}), KIP-848
 * consumer groups ({@link ConsumerGroups}) and "simple" groups — Kafka's name for a group id that only holds
 * committed offsets, used by consumers that {@code assign()} partitions themselves. The three share one id space:
 * an id in use by one kind of group is refused by the other.
 *
 * <p>Offsets live in an {@link OffsetStore}, durable before a commit is acknowledged; the store also keeps each
 * classic group's generation, so that a restarted broker knows its members. Offsets of groups without members
 * expire after {@code offsets.retention.minutes}, as in Kafka.
 *
 * <p><b>Thread-safety:</b> safe for use from any thread. Membership changes and their timers serialize on one lock;
 * offset writes go to the store, which serializes them itself, after the membership check under the lock.
 */
public final class GroupCoordinator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinator.class);
    private static final String CLASSIC = "classic";
    private static final String CONSUMER = "consumer";
    private static final short FIRST_VERSION_WITH_GROUP_NOT_FOUND = 6;
    private static final short FIRST_COMMIT_VERSION_WITH_GROUP_NOT_FOUND = 9;

    /**
     * The coordinator's settings.
     *
     * @param classic                 how classic groups rebalance
     * @param consumer                how consumer groups heartbeat and assign
     * @param offsetMetadataMaxLength {@code offset.metadata.max.bytes}, in characters as Kafka counts them
     * @param offsetsRetentionMs      {@code offsets.retention.minutes} in milliseconds
     * @param retentionCheckIntervalMs {@code offsets.retention.check.interval.ms}
     */
    public record Settings(ClassicGroupSettings classic, ConsumerGroupSettings consumer, int offsetMetadataMaxLength,
                           long offsetsRetentionMs, long retentionCheckIntervalMs) {

        /** The settings {@code config} gives. */
        public static Settings from(FerryConfig config) {
            return new Settings(ClassicGroupSettings.from(config),
                    new ConsumerGroupSettings(config.groupConsumerSessionTimeoutMs(),
                            config.groupConsumerHeartbeatIntervalMs(), config.groupConsumerMaxSize(),
                            config.groupConsumerAssignors()),
                    config.offsetMetadataMaxBytes(), TimeUnit.MINUTES.toMillis(config.offsetsRetentionMinutes()),
                    config.offsetsRetentionCheckIntervalMs());
        }
    }

    private final Object lock = new Object();
    private final OffsetStore store;
    private final TopicManager topics;
    private final ScheduledExecutorService scheduler;
    private final Settings settings;
    private final LongSupplier clockMs;
    private final GroupTimers timers;
    private final ClassicGroups classicGroups;
    private final ConsumerGroups consumerGroups;

    /**
     * Builds the coordinator and restores the classic groups saved in {@code store}.
     *
     * @param store     offsets and saved group generations; the caller opens and closes it
     * @param topics    topic metadata, for consumer-group assignment and lag
     * @param scheduler runs the groups' timers and the offsets expiry
     * @param clockMs   the time source, {@code System::currentTimeMillis} outside tests
     */
    public GroupCoordinator(OffsetStore store, TopicManager topics, ScheduledExecutorService scheduler,
                            Settings settings, LongSupplier clockMs) {
        this.store = store;
        this.topics = topics;
        this.scheduler = scheduler;
        this.settings = settings;
        this.clockMs = clockMs;
        this.timers = new GroupTimers(scheduler, lock);
        this.classicGroups = new ClassicGroups(settings.classic(), timers, lock,
                snapshot -> store.saveGroupState(snapshot.groupId(), snapshot.encode()), clockMs);
        this.consumerGroups = new ConsumerGroups(settings.consumer(), topics, timers, lock, new ClassicGroupGuard() {
            @Override
            public boolean isClassicGroupInUse(String groupId) {
                return classicGroups.isInUse(groupId);
            }

            @Override
            public boolean isClassicGroup(String groupId) {
                return classicGroups.group(groupId) != null;
            }

            @Override
            public void removeEmptyClassicGroup(String groupId) {
                classicGroups.remove(groupId);
                store.deleteGroupState(groupId);
            }
        }, clockMs);
        classicGroups.setConsumerGroupGuard(new ClassicGroups.ConsumerGroupGuard() {
            @Override
            public boolean isConsumerGroupInUse(String groupId) {
                return consumerGroups.hasMembers(groupId);
            }

            @Override
            public void removeEmptyConsumerGroup(String groupId) {
                if (consumerGroups.contains(groupId)) {
                    consumerGroups.delete(groupId);
                }
            }
        });
        restoreClassicGroups();
    }

    private void restoreClassicGroups() {
        synchronized (lock) {
            store.groupStates().forEach((groupId, encoded) -> {
                try {
                    classicGroups.restore(ClassicGroupSnapshot.decode(encoded));
                } catch (IllegalArgumentException e) {
                    // its members rejoin as after a loss of the group: no offset is lost with it
                    LOG.error("Ignoring the unreadable saved state of group {}", groupId, e);
                }
            });
        }
    }

    /** Starts the periodic expiry of offsets. */
    public void start() {
        long interval = settings.retentionCheckIntervalMs();
        scheduler.scheduleWithFixedDelay(this::expireOffsetsQuietly, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** The classic group protocol. */
    public ClassicGroups classicGroups() {
        return classicGroups;
    }

    /** The KIP-848 consumer group protocol. */
    public ConsumerGroups consumerGroups() {
        return consumerGroups;
    }

    /** Whether a request may name {@code groupId}: Kafka refuses a null or empty one with INVALID_GROUP_ID. */
    public static boolean isValidGroupId(String groupId) {
        return groupId != null && !groupId.isEmpty();
    }

    // ---- offsets

    /**
     * Whether an OffsetCommit of {@code groupId} with these membership fields may write offsets, as Kafka's
     * coordinator decides: a classic group checks member and generation, a consumer group member and epoch; an id
     * with offsets only (or nothing) takes commits without generation (simple consumers, the admin client) and
     * refuses a claimed generation with UNKNOWN_MEMBER_ID, or, for a group that does not exist, GROUP_ID_NOT_FOUND
     * from version 9 and ILLEGAL_GENERATION before.
     *
     * @return NONE when the commit may proceed, else the error for every partition of the request
     */
    public Errors validateCommit(String groupId, String memberId, String groupInstanceId,
                                 int generationIdOrMemberEpoch, short apiVersion) {
        if (!isValidGroupId(groupId)) {
            return Errors.INVALID_GROUP_ID;
        }
        String member = memberId == null ? "" : memberId;
        synchronized (lock) {
            ClassicGroup classic = classicGroups.group(groupId);
            if (classic != null) {
                return classicGroups.validateOffsetCommit(classic, member, groupInstanceId,
                        generationIdOrMemberEpoch);
            }
            if (consumerGroups.contains(groupId)) {
                return consumerGroups.validateOffsetCommit(groupId, member, generationIdOrMemberEpoch, apiVersion);
            }
        }
        if (generationIdOrMemberEpoch < 0) {
            return Errors.NONE;
        }
        if (store.groups().contains(groupId)) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        return apiVersion >= FIRST_COMMIT_VERSION_WITH_GROUP_NOT_FOUND ? Errors.GROUP_ID_NOT_FOUND
                : Errors.ILLEGAL_GENERATION;
    }

    /**
     * OffsetFetch (version 9+) from a consumer group member: its member id and epoch must be current. Other groups
     * do not check them, as Kafka does not.
     */
    public Errors validateFetch(String groupId, String memberId, int memberEpoch) {
        if (memberId == null || memberEpoch < 0) {
            return Errors.NONE;
        }
        synchronized (lock) {
            if (consumerGroups.contains(groupId)) {
                return consumerGroups.validateOffsetFetch(groupId, memberId, memberEpoch);
            }
        }
        return Errors.NONE;
    }

    /** Whether {@code metadata} is longer than a commit may store (OFFSET_METADATA_TOO_LARGE). */
    public boolean isMetadataTooLarge(String metadata) {
        // Kafka compares the string's length, not its encoded size
        return metadata != null && metadata.length() > settings.offsetMetadataMaxLength();
    }

    /** The timestamp a commit accepted now is stored with. */
    public long nowMs() {
        return clockMs.getAsLong();
    }

    /**
     * Stores {@code commits} of {@code groupId}, replacing earlier offsets of the same partitions; durable on return.
     * The caller has validated the group and each commit.
     *
     * @throws UncheckedIOException when the journal cannot be written
     */
    public void commit(String groupId, List<OffsetCommit> commits) {
        if (!commits.isEmpty()) {
            store.commit(groupId, commits);
        }
    }

    /** The offsets {@code groupId} has committed; empty for an unknown group. */
    public Map<TopicPartition, CommittedOffset> offsets(String groupId) {
        return store.offsets(groupId);
    }

    /** The offset {@code groupId} has committed for {@code partition}, if any. */
    public Optional<CommittedOffset> offset(String groupId, TopicPartition partition) {
        return store.offset(groupId, partition);
    }

    /**
     * How far {@code groupId} is behind, per partition it has committed: the partition's log end offset minus the
     * committed offset, never negative. Partitions of topics that no longer exist are left out.
     */
    public Map<TopicPartition, Long> lag(String groupId) {
        Map<TopicPartition, Long> lag = new TreeMap<>(
                Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        store.offsets(groupId).forEach((partition, committed) -> {
            Optional<Log> log = topics.log(partition.topic(), partition.partition());
            log.ifPresent(l -> lag.put(partition, Math.max(0, l.logEndOffset() - committed.offset())));
        });
        return lag;
    }

    // ---- listing, describing, deleting

    /**
     * ListGroups: every group, with Kafka's state and type names; filters compare case-insensitively and an empty
     * filter lets everything through.
     */
    public List<ListedGroup> listGroups(Collection<String> statesFilter, Collection<String> typesFilter) {
        Set<String> states = lowerCase(statesFilter);
        Set<String> types = lowerCase(typesFilter);
        List<ListedGroup> listed = new ArrayList<>();
        synchronized (lock) {
            Set<String> seen = new TreeSet<>();
            for (ClassicGroup group : classicGroups.groups()) {
                seen.add(group.groupId());
                listed.add(new ListedGroup().setGroupId(group.groupId())
                        .setProtocolType(group.protocolType() == null ? "" : group.protocolType())
                        .setGroupState(group.state().displayName()).setGroupType(CLASSIC));
            }
            for (String groupId : consumerGroups.groupIds()) {
                seen.add(groupId);
                listed.add(new ListedGroup().setGroupId(groupId).setProtocolType(CONSUMER)
                        .setGroupState(consumerGroups.state(groupId).orElse("Empty")).setGroupType(CONSUMER));
            }
            for (String groupId : store.groups()) {
                if (!seen.contains(groupId)) {
                    listed.add(simpleGroup(groupId));
                }
            }
        }
        listed.removeIf(group -> !states.isEmpty() && !states.contains(group.groupState().toLowerCase(Locale.ROOT))
                || !types.isEmpty() && !types.contains(group.groupType().toLowerCase(Locale.ROOT)));
        listed.sort((a, b) -> a.groupId().compareTo(b.groupId()));
        return listed;
    }

    private static ListedGroup simpleGroup(String groupId) {
        return new ListedGroup().setGroupId(groupId).setProtocolType("")
                .setGroupState(ClassicGroupState.EMPTY.displayName()).setGroupType(CLASSIC);
    }

    /**
     * DescribeGroups for one id. Members' metadata and assignment are given only while the group is Stable, as
     * Kafka does. An unknown id, or one of a consumer group, is Dead — from version 6 GROUP_ID_NOT_FOUND.
     */
    public DescribedGroup describeGroup(String groupId, short version, int authorizedOperations) {
        DescribedGroup described = new DescribedGroup().setGroupId(groupId)
                .setAuthorizedOperations(authorizedOperations);
        synchronized (lock) {
            ClassicGroup group = classicGroups.group(groupId);
            if (group != null) {
                boolean stable = group.is(ClassicGroupState.STABLE);
                described.setGroupState(group.state().displayName())
                        .setProtocolType(group.protocolType() == null ? "" : group.protocolType())
                        .setProtocolData(stable ? group.protocolName() : "");
                for (ClassicGroupMember member : group.members()) {
                    described.members().add(new DescribedGroupMember().setMemberId(member.memberId())
                            .setGroupInstanceId(member.groupInstanceId()).setClientId(member.clientId())
                            .setClientHost(member.clientHost())
                            .setMemberMetadata(stable ? member.metadata(group.protocolName())
                                    : ClassicGroupMember.EMPTY_ASSIGNMENT)
                            .setMemberAssignment(stable ? member.assignment() : ClassicGroupMember.EMPTY_ASSIGNMENT));
                }
                return described;
            }
            boolean consumerGroup = consumerGroups.contains(groupId);
            if (!consumerGroup && store.groups().contains(groupId)) {
                return described.setGroupState(ClassicGroupState.EMPTY.displayName()).setProtocolType("")
                        .setProtocolData("");
            }
            described.setGroupState(ClassicGroupState.DEAD.displayName()).setProtocolType("").setProtocolData("");
            if (version >= FIRST_VERSION_WITH_GROUP_NOT_FOUND) {
                described.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()).setErrorMessage(consumerGroup
                        ? "Group " + groupId + " is not a classic group."
                        : "Group " + groupId + " not found.");
            }
            return described;
        }
    }

    /**
     * DeleteGroups for one id: a group without members loses its offsets and saved state; one with members is
     * NON_EMPTY_GROUP, an unknown one GROUP_ID_NOT_FOUND.
     */
    public Errors deleteGroup(String groupId) {
        if (!isValidGroupId(groupId)) {
            return Errors.INVALID_GROUP_ID;
        }
        synchronized (lock) {
            ClassicGroup classic = classicGroups.group(groupId);
            boolean consumerGroup = consumerGroups.contains(groupId);
            boolean hasOffsets = store.groups().contains(groupId);
            if (classic == null && !consumerGroup && !hasOffsets) {
                return Errors.GROUP_ID_NOT_FOUND;
            }
            if (classicGroups.isInUse(groupId) || consumerGroups.hasMembers(groupId)) {
                return Errors.NON_EMPTY_GROUP;
            }
            try {
                store.deleteGroup(groupId);
            } catch (UncheckedIOException e) {
                LOG.error("Could not delete group {}", groupId, e);
                return Errors.NOT_COORDINATOR;
            }
            classicGroups.remove(groupId);
            if (consumerGroup) {
                consumerGroups.delete(groupId);
            }
            return Errors.NONE;
        }
    }

    /** OffsetDelete's answer: a group-level error, or one error per partition asked for. */
    public record OffsetDeletion(Errors groupError, Map<TopicPartition, Errors> partitionErrors) {
    }

    /**
     * OffsetDelete: removes the group's offsets of {@code partitions}, except those of topics a member of the group
     * is subscribed to (GROUP_SUBSCRIBED_TO_TOPIC). A classic group with members of a protocol other than
     * {@code consumer} cannot tell its subscriptions: NON_EMPTY_GROUP, as in Kafka.
     */
    public OffsetDeletion deleteOffsets(String groupId, List<TopicPartition> partitions) {
        if (!isValidGroupId(groupId)) {
            return new OffsetDeletion(Errors.INVALID_GROUP_ID, Map.of());
        }
        synchronized (lock) {
            ClassicGroup classic = classicGroups.group(groupId);
            boolean consumerGroup = consumerGroups.contains(groupId);
            if (classic == null && !consumerGroup && !store.groups().contains(groupId)) {
                return new OffsetDeletion(Errors.GROUP_ID_NOT_FOUND, Map.of());
            }
            Set<String> subscribed;
            if (classic != null && classic.hasMembers()) {
                if (!CONSUMER.equals(classic.protocolType())) {
                    return new OffsetDeletion(Errors.NON_EMPTY_GROUP, Map.of());
                }
                subscribed = ConsumerSubscriptions.topics(classic);
            } else if (consumerGroup) {
                subscribed = consumerGroups.subscribedTopics(groupId);
            } else {
                subscribed = Set.of();
            }
            Map<TopicPartition, Errors> errors = new LinkedHashMap<>();
            List<TopicPartition> deletable = new ArrayList<>();
            for (TopicPartition partition : partitions) {
                if (subscribed.contains(partition.topic())) {
                    errors.put(partition, Errors.GROUP_SUBSCRIBED_TO_TOPIC);
                } else {
                    errors.put(partition, Errors.NONE);
                    deletable.add(partition);
                }
            }
            try {
                if (!deletable.isEmpty()) {
                    store.deleteOffsets(groupId, deletable);
                }
            } catch (UncheckedIOException e) {
                LOG.error("Could not delete offsets of group {}", groupId, e);
                return new OffsetDeletion(Errors.NOT_COORDINATOR, Map.of());
            }
            return new OffsetDeletion(Errors.NONE, errors);
        }
    }

    // ---- expiry

    /**
     * Removes offsets past {@code offsets.retention.minutes}: of a classic group once it has been empty that long,
     * of a simple group or an empty consumer group once each offset is that old. A group left without members or
     * offsets is removed, as Kafka does.
     */
    public void expireOffsets() {
        long nowMs = clockMs.getAsLong();
        synchronized (lock) {
            Map<String, OptionalLong> candidates = new HashMap<>();
            for (String groupId : store.groups()) {
                ClassicGroup classic = classicGroups.group(groupId);
                if (classic != null) {
                    if (classic.is(ClassicGroupState.EMPTY) && classic.pendingMemberCount() == 0) {
                        candidates.put(groupId, classic.protocolType() == null ? OptionalLong.empty()
                                : OptionalLong.of(classic.stateSinceMs()));
                    }
                } else if (!consumerGroups.hasMembers(groupId)) {
                    candidates.put(groupId, OptionalLong.empty());
                }
            }
            Map<String, Set<TopicPartition>> expired = store.expireOffsets(candidates, nowMs,
                    settings.offsetsRetentionMs());
            expired.forEach((groupId, removed) -> LOG.info("Expired {} offsets of group {}", removed.size(),
                    groupId));
            Set<String> withOffsets = store.groups();
            Set<String> emptyGroups = new TreeSet<>(candidates.keySet());
            for (ClassicGroup group : classicGroups.groups()) {
                if (group.is(ClassicGroupState.EMPTY) && group.pendingMemberCount() == 0) {
                    emptyGroups.add(group.groupId());
                }
            }
            for (String groupId : consumerGroups.groupIds()) {
                if (!consumerGroups.hasMembers(groupId)) {
                    emptyGroups.add(groupId);
                }
            }
            for (String groupId : emptyGroups) {
                if (!withOffsets.contains(groupId)) {
                    removeEmptyGroup(groupId);
                }
            }
        }
    }

    private void removeEmptyGroup(String groupId) {
        if (classicGroups.group(groupId) != null) {
            classicGroups.remove(groupId);
            store.deleteGroupState(groupId);
        }
        if (consumerGroups.contains(groupId) && !consumerGroups.hasMembers(groupId)) {
            consumerGroups.delete(groupId);
        }
    }

    private void expireOffsetsQuietly() {
        try {
            expireOffsets();
        } catch (RuntimeException e) {
            // the next run tries again; a failure must not cancel the periodic task
            LOG.error("Offsets expiry failed", e);
        }
    }

    /** Cancels every group timer; parked JoinGroup and SyncGroup requests end with their connections. */
    @Override
    public void close() {
        classicGroups.close();
    }

    private static Set<String> lowerCase(Collection<String> values) {
        Set<String> result = new TreeSet<>();
        if (values != null) {
            values.forEach(value -> result.add(value.toLowerCase(Locale.ROOT)));
        }
        return result;
    }
}
