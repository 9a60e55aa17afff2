package dev.ferry.storage.offsets.internal;

import dev.ferry.storage.TopicPartition;
import dev.ferry.storage.offsets.CommittedOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The in-memory state the journal and snapshots rebuild: each group's committed offsets by partition, and each
 * group's saved membership state. Groups left with no offsets are removed from the offsets, so {@link #groups()}
 * lists only groups holding offsets; states are kept apart and live until removed.
 *
 * <p>State arrays are held as given: callers hand in arrays nobody else writes and copy before handing them out.
 *
 * <p>Not thread-safe: the owning store guards it.
 */
final class OffsetTable {

    private final Map<String, Map<TopicPartition, CommittedOffset>> offsetsByGroup = new HashMap<>();
    private final Map<String, byte[]> statesByGroup = new HashMap<>();
    private long stateBytes;

    void put(final String group, final TopicPartition partition, final CommittedOffset offset) {
        offsetsByGroup.computeIfAbsent(group, g -> new HashMap<>()).put(partition, offset);
    }

    /** Removes the group's offsets and its state. */
    void removeGroup(final String group) {
        offsetsByGroup.remove(group);
        removeState(group);
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

    /** Replaces the state of {@code group} with {@code state}, which the table now owns. */
    void putState(final String group, final byte[] state) {
        final byte[] replaced = statesByGroup.put(group, state);
        stateBytes += state.length - (replaced == null ? 0 : replaced.length);
    }

    void removeState(final String group) {
        final byte[] removed = statesByGroup.remove(group);
        if (removed != null) {
            stateBytes -= removed.length;
        }
    }

    /** The live map of {@code group}'s offsets, or an empty one; callers copy before handing it out. */
    Map<TopicPartition, CommittedOffset> offsets(final String group) {
        return offsetsByGroup.getOrDefault(group, Map.of());
    }

    Set<String> groups() {
        return offsetsByGroup.keySet();
    }

    /** The live map of all groups' offsets; callers must not modify it. */
    Map<String, Map<TopicPartition, CommittedOffset>> all() {
        return offsetsByGroup;
    }

    /** The live map of all saved states; callers must neither modify it nor its arrays, and copy to hand them out. */
    Map<String, byte[]> states() {
        return statesByGroup;
    }

    boolean hasState(final String group) {
        return statesByGroup.containsKey(group);
    }

    /** Total length of the saved states. */
    long stateBytes() {
        return stateBytes;
    }

    int partitionCount() {
        int count = 0;
        for (Map<TopicPartition, CommittedOffset> offsets : offsetsByGroup.values()) {
            count += offsets.size();
        }
        return count;
    }
}
