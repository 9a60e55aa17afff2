package dev.ferry.broker.group.consumer;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * An immutable set of partitions named by topic id and partition index: what a member is assigned, owns, or is
 * asked to revoke. Topics without partitions are never kept, so two assignments of the same partitions are equal.
 * Topics iterate in id order and partitions ascending, so that answers built from an assignment are deterministic.
 */
public final class Assignment {

    /** No partitions. */
    public static final Assignment EMPTY = new Assignment(new TreeMap<>());

    private final SortedMap<UUID, SortedSet<Integer>> partitions;

    private Assignment(TreeMap<UUID, SortedSet<Integer>> partitions) {
        this.partitions = Collections.unmodifiableSortedMap(partitions);
    }

    /** The partitions of {@code partitions}, copied; empty partition sets are dropped. */
    public static Assignment of(Map<UUID, ? extends Set<Integer>> partitions) {
        TreeMap<UUID, SortedSet<Integer>> copy = new TreeMap<>();
        partitions.forEach((topicId, indexes) -> {
            if (!indexes.isEmpty()) {
                copy.put(topicId, Collections.unmodifiableSortedSet(new TreeSet<>(indexes)));
            }
        });
        return copy.isEmpty() ? EMPTY : new Assignment(copy);
    }

    /** The partitions {@code 0..count-1} of one topic. */
    public static Assignment allOf(UUID topicId, int count) {
        Set<Integer> indexes = new TreeSet<>();
        for (int p = 0; p < count; p++) {
            indexes.add(p);
        }
        return of(Map.of(topicId, indexes));
    }

    /** Starts an assignment built partition by partition. */
    public static Builder builder() {
        return new Builder();
    }

    /** Topic id to partition indexes; unmodifiable, never holding an empty set. */
    public SortedMap<UUID, SortedSet<Integer>> partitions() {
        return partitions;
    }

    /** The partitions of {@code topicId}; empty when there are none. */
    public SortedSet<Integer> partitions(UUID topicId) {
        SortedSet<Integer> indexes = partitions.get(topicId);
        return indexes == null ? Collections.emptySortedSet() : indexes;
    }

    public boolean contains(UUID topicId, int partition) {
        return partitions(topicId).contains(partition);
    }

    public boolean isEmpty() {
        return partitions.isEmpty();
    }

    /** How many partitions, across topics. */
    public int size() {
        int size = 0;
        for (SortedSet<Integer> indexes : partitions.values()) {
            size += indexes.size();
        }
        return size;
    }

    /** Whether any partition is in both assignments. */
    public boolean intersects(Assignment other) {
        for (Map.Entry<UUID, SortedSet<Integer>> topic : partitions.entrySet()) {
            SortedSet<Integer> theirs = other.partitions(topic.getKey());
            for (Integer partition : topic.getValue()) {
                if (theirs.contains(partition)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether every partition of this assignment is in {@code other}. */
    public boolean isSubsetOf(Assignment other) {
        for (Map.Entry<UUID, SortedSet<Integer>> topic : partitions.entrySet()) {
            if (!other.partitions(topic.getKey()).containsAll(topic.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** The partitions of both assignments. */
    public Assignment union(Assignment other) {
        if (other.isEmpty()) {
            return this;
        }
        Builder union = builder().addAll(this);
        return union.addAll(other).build();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Assignment assignment && partitions.equals(assignment.partitions);
    }

    @Override
    public int hashCode() {
        return partitions.hashCode();
    }

    @Override
    public String toString() {
        return partitions.toString();
    }

    /** Collects partitions; not thread-safe. */
    public static final class Builder {

        private final Map<UUID, Set<Integer>> partitions = new HashMap<>();

        private Builder() {
        }

        public Builder add(UUID topicId, int partition) {
            partitions.computeIfAbsent(topicId, id -> new TreeSet<>()).add(partition);
            return this;
        }

        public Builder addAll(UUID topicId, List<Integer> indexes) {
            if (!indexes.isEmpty()) {
                partitions.computeIfAbsent(topicId, id -> new TreeSet<>()).addAll(indexes);
            }
            return this;
        }

        public Builder addAll(Assignment assignment) {
            assignment.partitions().forEach((topicId, indexes) ->
                    partitions.computeIfAbsent(topicId, id -> new TreeSet<>()).addAll(indexes));
            return this;
        }

        public Assignment build() {
            return of(partitions);
        }
    }
}
