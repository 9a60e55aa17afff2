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
 * Committed offsets of consumer groups, kept across restarts.
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

    /** Groups holding at least one committed offset. */
    Set<String> groups();

    /** Removes every offset of {@code group} (DeleteGroups); durable on return. */
    void deleteGroup(String group);

    /** Removes the offsets of {@code group} for {@code partitions} (OffsetDelete); durable on return. */
    void deleteOffsets(String group, Collection<TopicPartition> partitions);

    /**
     * Removes offsets whose retention has elapsed, as Kafka's offsets.retention.minutes does. The coordinator decides
     * which groups may lose offsets and passes, per group, when it became empty: for a group that became empty at
     * {@code t}, all its offsets expire once {@code nowMs - t >= retentionMs}; for a group without members or a
     * membership protocol (offsets committed by standalone consumers, given as an empty {@code OptionalLong}), each
     * offset expires once {@code nowMs - commitTimestampMs >= retentionMs}. Groups not passed are left alone.
     * Durable on return.
     *
     * @return the partitions whose offsets were removed, by group; groups losing nothing are absent
     */
    Map<String, Set<TopicPartition>> expireOffsets(Map<String, OptionalLong> emptySinceMsByGroup, long nowMs,
                                                   long retentionMs);

    /**
     * Writes a compact snapshot of all offsets and drops journal files it makes unnecessary. The store also does this
     * by itself every {@link OffsetStoreConfig#snapshotIntervalEntries()} journal entries.
     */
    void snapshot();

    /** Journal entries read while opening, after the snapshot loaded; shows how much start-up replay cost. */
    long entriesReplayedOnOpen();

    /** Releases the journal; the store cannot be used afterwards. */
    @Override
    void close();
}
