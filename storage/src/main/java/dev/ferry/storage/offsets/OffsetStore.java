package dev.ferry.storage.offsets;

import dev.ferry.storage.TopicPartition;
import dev.ferry.storage.offsets.internal.ChronicleOffsetStore;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Committed offsets of consumer groups, and the membership state of classic groups, kept across restarts.
 *
 * <p>A group's membership state (generation, protocol, leader, members with their subscriptions and assignments) is
 * an opaque encoding owned by the group coordinator, at most {@link #MAX_GROUP_STATE_BYTES} long; the store keeps the
 * latest one per group, so that consumers carry on without a rebalance after the broker restarts, as Kafka keeps
 * group metadata beside offsets in {@code __consumer_offsets}. Offsets and states are journaled in one sequence, so
 * after a restart they reflect the same order of changes the callers saw.
 *
 * <p>Every change is journaled before the call returns: after a restart, even one following a kill of the process
 * at any moment, the store holds every change whose call returned (see {@link OffsetStoreConfig#syncOnCommit()} for
 * power loss). Start-up replays only the journal written since the last compact snapshot.
 *
 * <p><b>Thread-safety: all methods may be called from any thread; they serialize on one lock. Reads return
 * immutable copies. Changes are not allocation-free: this is the coordinator's path, not the produce path.</b>
 */
public interface OffsetStore extends AutoCloseable {

    /**
     * Largest group state {@link #saveGroupState} accepts, in bytes: 8 MiB, eight times the encoding of a group of
     * 1,000 members with their subscriptions.
     */
    int MAX_GROUP_STATE_BYTES = 8 << 20;

    /**
     * Opens the store kept in {@code dir}, creating it when absent, and rebuilds its content from the latest valid
     * snapshot and the journal after it.
     *
     * @throws java.io.UncheckedIOException when the directory cannot be read, or snapshots exist but none is valid
     */
    static OffsetStore open(final Path dir, final OffsetStoreConfig config) {
        return ChronicleOffsetStore.open(dir, config);
    }

    /**
     * Records the given offsets of {@code group}, replacing earlier ones for the same partitions; durable on return.
     */
    void commit(String group, List<OffsetCommit> commits);

    /** The offsets {@code group} has committed; empty when it has none. */
    Map<TopicPartition, CommittedOffset> offsets(String group);

    /** The offset {@code group} has committed for {@code partition}, if any. */
    Optional<CommittedOffset> offset(String group, TopicPartition partition);

    /**
     * Groups holding at least one committed offset. A group with a saved state but no offsets is not among them: see
     * {@link #groupStates()}.
     */
    Set<String> groups();

    /** Removes every offset of {@code group} and its saved state (DeleteGroups); durable on return. */
    void deleteGroup(String group);

    /** Removes the offsets of {@code group} for {@code partitions} (OffsetDelete); durable on return. */
    void deleteOffsets(String group, Collection<TopicPartition> partitions);

    /**
     * Removes offsets whose retention has elapsed, as Kafka's offsets.retention.minutes does. The coordinator decides
     * which groups may lose offsets and passes, per group, when it became empty: for a group that became empty at
     * {@code t}, all its offsets expire once {@code nowMs - t >= retentionMs}; for a group without members or a
     * membership protocol (offsets committed by standalone consumers, given as an empty {@code OptionalLong}), each
     * offset expires once {@code nowMs - commitTimestampMs >= retentionMs}. Groups not passed are left alone, and no
     * group's saved state is touched. Durable on return.
     *
     * @return the partitions whose offsets were removed, by group; groups losing nothing are absent
     */
    Map<String, Set<TopicPartition>> expireOffsets(Map<String, OptionalLong> emptySinceMsByGroup, long nowMs,
                                                   long retentionMs);

    /**
     * Stores the membership state of {@code group}, an opaque encoding owned by the coordinator, replacing any earlier
     * one; durable on return (as {@link #commit}). The store keeps its own copy of {@code state}.
     *
     * @throws IllegalArgumentException when {@code state} is longer than {@link #MAX_GROUP_STATE_BYTES}; nothing is
     *                                  written then
     */
    void saveGroupState(String group, byte[] state);

    /** The saved state of every group that has one, by group id; the arrays are copies the caller may keep. */
    Map<String, byte[]> groupStates();

    /** Removes the saved state of {@code group}, if any, leaving its offsets; durable on return. */
    void deleteGroupState(String group);

    /**
     * Writes a compact snapshot of all offsets and group states and drops journal files it makes unnecessary. The
     * store also does this by itself every {@link OffsetStoreConfig#snapshotIntervalEntries()} journal entries, and
     * once the group states journaled since the last snapshot outweigh the states it would hold (at least 64 MiB of
     * them), so that neither the count nor the bytes of journal replayed at start-up grow without bound.
     */
    void snapshot();

    /** Journal entries read while opening, after the snapshot loaded; shows how much start-up replay cost. */
    long entriesReplayedOnOpen();

    /** Releases the journal; the store cannot be used afterwards. */
    @Override
    void close();
}
