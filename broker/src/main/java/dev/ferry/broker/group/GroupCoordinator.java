package dev.ferry.broker.group;

import dev.ferry.protocol.Errors;
import dev.ferry.storage.TopicPartition;
import dev.ferry.storage.offsets.CommittedOffset;
import dev.ferry.storage.offsets.OffsetCommit;
import dev.ferry.storage.offsets.OffsetStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The coordinator of every group, this broker being the only node. Groups have no membership yet: every group is a
 * "simple" group, Kafka's name for one used by consumers that {@code assign()} partitions themselves and only commit
 * and fetch offsets. Offsets live in an {@link OffsetStore}, durable before a commit is acknowledged.
 *
 * <p>A group exists, as Kafka's coordinator sees it, while it holds committed offsets.
 *
 * <p><b>Thread-safety:</b> safe for use from any thread; the store serializes changes. Two requests of one group may
 * interleave, which cannot break a group without members.
 */
public final class GroupCoordinator {

    /** Kafka's {@code offset.metadata.max.bytes} default: the longest metadata string a commit may carry. */
    public static final int OFFSET_METADATA_MAX_LENGTH = 4096;

    private static final int NO_GENERATION = -1;

    private final OffsetStore store;
    private final LongSupplier clockMs;

    /**
     * @param store   where offsets are kept; the caller opens and closes it
     * @param clockMs the commit timestamp source, {@code System::currentTimeMillis} outside tests
     */
    public GroupCoordinator(OffsetStore store, LongSupplier clockMs) {
        this.store = store;
        this.clockMs = clockMs;
    }

    /** Whether OffsetCommit may name {@code groupId}: Kafka refuses a null or empty one with INVALID_GROUP_ID. */
    public static boolean isValidGroupId(String groupId) {
        return groupId != null && !groupId.isEmpty();
    }

    /**
     * Whether an OffsetCommit of {@code groupId} with these membership fields may write offsets, as Kafka's
     * coordinator decides for a classic group without members.
     *
     * <ul>
     *   <li>A negative generation (or member epoch) commits as a simple group whatever the member id says, creating
     *       the group when absent.</li>
     *   <li>A generation of 0 or more claims membership: for an existing group the member is unknown,
     *       UNKNOWN_MEMBER_ID; for a missing group version 9+ answers GROUP_ID_NOT_FOUND and older versions
     *       ILLEGAL_GENERATION.</li>
     * </ul>
     *
     * @return NONE when the commit may proceed, else the error for every partition of the request
     */
    public Errors validateCommit(String groupId, int generationIdOrMemberEpoch, short apiVersion) {
        if (!isValidGroupId(groupId)) {
            return Errors.INVALID_GROUP_ID;
        }
        if (generationIdOrMemberEpoch <= NO_GENERATION) {
            return Errors.NONE;
        }
        if (store.groups().contains(groupId)) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        return apiVersion >= 9 ? Errors.GROUP_ID_NOT_FOUND : Errors.ILLEGAL_GENERATION;
    }

    /** Whether {@code metadata} is longer than a commit may store (OFFSET_METADATA_TOO_LARGE). */
    public static boolean isMetadataTooLarge(String metadata) {
        // Kafka compares the string's length, not its encoded size
        return metadata != null && metadata.length() > OFFSET_METADATA_MAX_LENGTH;
    }

    /** The timestamp a commit accepted now is stored with. */
    public long nowMs() {
        return clockMs.getAsLong();
    }

    /**
     * Stores {@code commits} of {@code groupId}, replacing earlier offsets of the same partitions; durable on return.
     * The caller has validated the group and each commit.
     *
     * @throws java.io.UncheckedIOException when the journal cannot be written
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
}
