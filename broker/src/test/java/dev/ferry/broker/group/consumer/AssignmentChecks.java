package dev.ferry.broker.group.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.broker.group.consumer.AssignmentSpec.MemberSubscription;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.UUID;

/** Builders for assignor inputs and the invariants every assignor output must hold. */
final class AssignmentChecks {

    private AssignmentChecks() {
    }

    static MemberSubscription dynamic(Set<UUID> topics, Assignment current) {
        return new MemberSubscription(null, topics, current);
    }

    static MemberSubscription dynamic(UUID... topics) {
        return dynamic(Set.of(topics), Assignment.EMPTY);
    }

    static MemberSubscription fixed(String instanceId, UUID... topics) {
        return new MemberSubscription(instanceId, Set.of(topics), Assignment.EMPTY);
    }

    static Assignment partitions(UUID topic, Integer... indexes) {
        return Assignment.of(Map.of(topic, Set.of(indexes)));
    }

    /**
     * Every partition of every subscribed topic goes to exactly one member, a subscriber of its topic; every member
     * of the spec is in the result.
     */
    static void assertComplete(AssignmentSpec spec, Map<String, Assignment> result) {
        assertEquals(spec.members().keySet(), result.keySet());
        Map<UUID, Set<Integer>> seen = new HashMap<>();
        result.forEach((memberId, assignment) -> assignment.partitions().forEach((topic, indexes) -> {
            assertTrue(spec.members().get(memberId).topics().contains(topic),
                    memberId + " got a partition of a topic it does not subscribe to");
            for (int index : indexes) {
                assertTrue(index >= 0 && index < spec.partitions().get(topic), "no such partition " + index);
                assertTrue(seen.computeIfAbsent(topic, t -> new HashSet<>()).add(index),
                        "partition " + index + " assigned twice");
            }
        }));
        Set<UUID> subscribed = new HashSet<>();
        spec.members().values().forEach(member -> subscribed.addAll(member.topics()));
        for (UUID topic : subscribed) {
            assertEquals(spec.partitions().get(topic), seen.getOrDefault(topic, Set.of()).size(),
                    "every partition of a subscribed topic is assigned");
        }
    }

    /** How many partitions each of {@code memberIds} got, in that order. */
    static List<Integer> sizes(Map<String, Assignment> result, String... memberIds) {
        return Arrays.stream(memberIds).map(id -> result.get(id).size()).toList();
    }

    /** How many partitions changed hands between a member's previous target and its new one. */
    static int moved(AssignmentSpec spec, Map<String, Assignment> result) {
        int moved = 0;
        for (Map.Entry<String, MemberSubscription> member : spec.members().entrySet()) {
            Assignment before = member.getValue().current();
            Assignment after = result.get(member.getKey());
            for (Map.Entry<UUID, SortedSet<Integer>> topic : before.partitions().entrySet()) {
                for (int index : topic.getValue()) {
                    if (!after.contains(topic.getKey(), index)) {
                        moved++;
                    }
                }
            }
        }
        return moved;
    }
}
