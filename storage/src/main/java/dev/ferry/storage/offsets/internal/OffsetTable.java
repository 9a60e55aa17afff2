package dev.ferry.storage.offsets.internal;

import dev.ferry.storage.TopicPartition;
import dev.ferry.storage.offsets.CommittedOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The in-memory state the journal and snapshots rebuild: each group's committed offsets by partition. Groups left
 * with no offsets are removed, so {@link #groups()} lists only groups holding offsets.
 *
 * <p>Not thread-safe: the owning store guards it.
 */
final class OffsetTable {

    private final Map<String, Map<TopicPartition, CommittedOffset>> offsetsByGroup = new HashMap<>();

    void put(final String group, final TopicPartition partition, final CommittedOffset offset) {
        offsetsByGroup.computeIfAbsent(group, g -> new HashMap<>()).put(partition, offset);
    }

    void removeGroup(final String group) {
        offsetsByGroup.remove(group);
    }

    void remove(final String group, final Collection<TopicPartition> partitions) {
        final Map<TopicPartition, CommittedOffset> offsets = offsetsByGroup.get(group);
        if (offsets == null) {
            return;
        }
        offsets.keySet().removeAll(partitions);
        if (offsets.isEmpty()) {
            offsetsByGroup.remove(group);
        }
    }

    /** The live map of {@code group}'s offsets, or an empty one; callers copy before handing it out. */
    Map<TopicPartition, CommittedOffset> offsets(final String group) {
        return offsetsByGroup.getOrDefault(group, Map.of());
    }

    Set<String> groups() {
        return offsetsByGroup.keySet();
    }

    /** The live map of all groups; callers must not modify it. */
    Map<String, Map<TopicPartition, CommittedOffset>> all() {
        return offsetsByGroup;
    }

    int partitionCount() {
        int count = 0;
        for (Map<TopicPartition, CommittedOffset> offsets : offsetsByGroup.values()) {
            count += offsets.size();
        }
        return count;
    }
}
