package dev.ferry.broker.group.consumer;

import static dev.ferry.broker.group.consumer.AssignmentChecks.assertComplete;
import static dev.ferry.broker.group.consumer.AssignmentChecks.dynamic;
import static dev.ferry.broker.group.consumer.AssignmentChecks.fixed;
import static dev.ferry.broker.group.consumer.AssignmentChecks.partitions;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RangeAssignorTest {

    private static final UUID ORDERS = new UUID(0, 11);
    private static final UUID PAYMENTS = new UUID(0, 22);

    private final RangeAssignor assignor = new RangeAssignor();

    @Test
    void shouldCutATopicIntoContiguousRangesInMemberOrderExtrasFirst() {
        AssignmentSpec spec = new AssignmentSpec(Map.of("c", dynamic(ORDERS), "a", dynamic(ORDERS),
                "b", dynamic(ORDERS)), Map.of(ORDERS, 7));

        Map<String, Assignment> result = assignor.assign(spec);

        assertComplete(spec, result);
        assertEquals(partitions(ORDERS, 0, 1, 2), result.get("a"));
        assertEquals(partitions(ORDERS, 3, 4), result.get("b"));
        assertEquals(partitions(ORDERS, 5, 6), result.get("c"));
    }

    @Test
    void shouldGiveEachMemberTheSamePartitionNumbersOfCoPartitionedTopics() {
        AssignmentSpec spec = new AssignmentSpec(Map.of("a", dynamic(ORDERS, PAYMENTS), "b",
                dynamic(ORDERS, PAYMENTS)), Map.of(ORDERS, 4, PAYMENTS, 4));

        Map<String, Assignment> result = assignor.assign(spec);

        assertEquals(Assignment.builder().add(ORDERS, 0).add(ORDERS, 1).add(PAYMENTS, 0).add(PAYMENTS, 1).build(),
                result.get("a"));
        assertEquals(Assignment.builder().add(ORDERS, 2).add(ORDERS, 3).add(PAYMENTS, 2).add(PAYMENTS, 3).build(),
                result.get("b"));
    }

    @Test
    void shouldOrderStaticMembersFirstByInstanceIdThenDynamicMembersById() {
        AssignmentSpec spec = new AssignmentSpec(Map.of("a", dynamic(ORDERS), "b", fixed("zeta", ORDERS),
                "c", fixed("alpha", ORDERS)), Map.of(ORDERS, 3));

        Map<String, Assignment> result = assignor.assign(spec);

        assertEquals(partitions(ORDERS, 0), result.get("c"));
        assertEquals(partitions(ORDERS, 1), result.get("b"));
        assertEquals(partitions(ORDERS, 2), result.get("a"));
    }

    @Test
    void shouldKeepStaticMembersRangesAcrossARollingRestartWithNewMemberIds() {
        Map<String, Assignment> before = assignor.assign(new AssignmentSpec(Map.of("m1", fixed("i1", ORDERS),
                "m2", fixed("i2", ORDERS)), Map.of(ORDERS, 5)));
        Map<String, Assignment> after = assignor.assign(new AssignmentSpec(Map.of("z9", fixed("i1", ORDERS),
                "a0", fixed("i2", ORDERS)), Map.of(ORDERS, 5)));

        assertEquals(before.get("m1"), after.get("z9"));
        assertEquals(before.get("m2"), after.get("a0"));
    }

    @Test
    void shouldRangeEachTopicOverItsOwnSubscribers() {
        AssignmentSpec spec = new AssignmentSpec(Map.of("a", dynamic(ORDERS), "b", dynamic(ORDERS, PAYMENTS),
                "c", dynamic(PAYMENTS)), Map.of(ORDERS, 4, PAYMENTS, 3));

        Map<String, Assignment> result = assignor.assign(spec);

        assertComplete(spec, result);
        assertEquals(partitions(ORDERS, 0, 1), result.get("a"));
        assertEquals(Assignment.builder().add(ORDERS, 2).add(ORDERS, 3).add(PAYMENTS, 0).add(PAYMENTS, 1).build(),
                result.get("b"));
        assertEquals(partitions(PAYMENTS, 2), result.get("c"));
    }

    @Test
    void shouldLeaveTheLastMembersIdleWhenATopicHasFewerPartitionsThanMembers() {
        AssignmentSpec spec = new AssignmentSpec(Map.of("a", dynamic(ORDERS), "b", dynamic(ORDERS),
                "c", dynamic(ORDERS)), Map.of(ORDERS, 2));

        Map<String, Assignment> result = assignor.assign(spec);

        assertComplete(spec, result);
        assertEquals(partitions(ORDERS, 0), result.get("a"));
        assertEquals(partitions(ORDERS, 1), result.get("b"));
        assertEquals(Assignment.EMPTY, result.get("c"));
    }

    @Test
    void shouldNotDependOnThePreviousAssignment() {
        AssignmentSpec fresh = new AssignmentSpec(Map.of("a", dynamic(ORDERS), "b", dynamic(ORDERS)),
                Map.of(ORDERS, 4));
        AssignmentSpec shuffled = new AssignmentSpec(Map.of("a", dynamic(Set.of(ORDERS), partitions(ORDERS, 2, 3)),
                "b", dynamic(Set.of(ORDERS), partitions(ORDERS, 0, 1))), Map.of(ORDERS, 4));

        assertEquals(assignor.assign(fresh), assignor.assign(shuffled));
    }

    @Test
    void shouldAssignNothingWithoutMembers() {
        assertEquals(Map.of(), assignor.assign(new AssignmentSpec(Map.of(), Map.of(ORDERS, 3))));
    }
}
