package dev.ferry.broker.group.consumer;

import static dev.ferry.broker.group.consumer.AssignmentChecks.assertComplete;
import static dev.ferry.broker.group.consumer.AssignmentChecks.dynamic;
import static dev.ferry.broker.group.consumer.AssignmentChecks.moved;
import static dev.ferry.broker.group.consumer.AssignmentChecks.partitions;
import static dev.ferry.broker.group.consumer.AssignmentChecks.sizes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.broker.group.consumer.AssignmentSpec.MemberSubscription;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UniformAssignorTest {

    private static final UUID ORDERS = new UUID(0, 11);
    private static final UUID PAYMENTS = new UUID(0, 22);
    private static final UUID REFUNDS = new UUID(0, 33);

    private final UniformAssignor assignor = new UniformAssignor();

    @Test
    void shouldSpreadEveryPartitionOverMembersWithinOneOfEachOther() {
        AssignmentSpec spec = new AssignmentSpec(Map.of("a", dynamic(ORDERS, PAYMENTS), "b", dynamic(ORDERS, PAYMENTS),
                "c", dynamic(ORDERS, PAYMENTS)), Map.of(ORDERS, 7, PAYMENTS, 4));

        Map<String, Assignment> result = assignor.assign(spec);

        assertComplete(spec, result);
        assertEquals(List.of(4, 4, 3), sizes(result, "a", "b", "c"));
    }

    @Test
    void shouldMoveOnlyWhatANewMemberNeeds() {
        Assignment a = partitions(ORDERS, 0, 1, 2);
        Assignment b = partitions(ORDERS, 3, 4, 5);
        AssignmentSpec spec = new AssignmentSpec(Map.of("a", dynamic(Set.of(ORDERS), a),
                "b", dynamic(Set.of(ORDERS), b), "c", dynamic(ORDERS)), Map.of(ORDERS, 6));

        Map<String, Assignment> result = assignor.assign(spec);

        assertComplete(spec, result);
        assertEquals(List.of(2, 2, 2), sizes(result, "a", "b", "c"));
        assertEquals(2, moved(spec, result));
        assertTrue(result.get("a").isSubsetOf(a) && result.get("b").isSubsetOf(b), result.toString());
    }

    @Test
    void shouldHandTheLeaversPartitionsToTheOthersWithoutMovingTheirOwn() {
        Assignment a = partitions(ORDERS, 0, 1);
        Assignment b = partitions(ORDERS, 2, 3);
        AssignmentSpec spec = new AssignmentSpec(Map.of("a", dynamic(Set.of(ORDERS), a),
                "b", dynamic(Set.of(ORDERS), b)), Map.of(ORDERS, 6));

        Map<String, Assignment> result = assignor.assign(spec);

        assertComplete(spec, result);
        assertEquals(List.of(3, 3), sizes(result, "a", "b"));
        assertEquals(0, moved(spec, result));
    }

    @Test
    void shouldGiveTheSameAnswerWhateverTheOrderOfItsInput() {
        Map<String, MemberSubscription> forward = new LinkedHashMap<>();
        Map<String, MemberSubscription> backward = new LinkedHashMap<>();
        List<String> ids = List.of("m1", "m2", "m3", "m4", "m5");
        for (String id : ids) {
            forward.put(id, dynamic(ORDERS, PAYMENTS));
        }
        for (int i = ids.size() - 1; i >= 0; i--) {
            backward.put(ids.get(i), dynamic(PAYMENTS, ORDERS));
        }
        Map<UUID, Integer> partitions = new HashMap<>(Map.of(ORDERS, 9, PAYMENTS, 13));

        assertEquals(assignor.assign(new AssignmentSpec(forward, partitions)),
                assignor.assign(new AssignmentSpec(backward, partitions)));
    }

    @Test
    void shouldBalanceMembersWithDifferentSubscriptions() {
        AssignmentSpec spec = new AssignmentSpec(Map.of("a", dynamic(ORDERS), "b", dynamic(ORDERS, PAYMENTS),
                "c", dynamic(PAYMENTS), "d", dynamic(REFUNDS)), Map.of(ORDERS, 3, PAYMENTS, 3, REFUNDS, 1));

        Map<String, Assignment> result = assignor.assign(spec);

        assertComplete(spec, result);
        assertEquals(List.of(2, 2, 2, 1), sizes(result, "a", "b", "c", "d"));
    }

    @Test
    void shouldRebalanceAlongAChainOfMembersWhenNoDirectMoveHelps() {
        // a can only give to b, b only to c: a single move never narrows the gap between a and c
        Assignment a = partitions(ORDERS, 0, 1, 2, 3);
        Assignment b = partitions(PAYMENTS, 0, 1, 2);
        Assignment c = partitions(PAYMENTS, 3, 4);
        AssignmentSpec spec = new AssignmentSpec(Map.of("a", dynamic(Set.of(ORDERS), a),
                "b", dynamic(Set.of(ORDERS, PAYMENTS), b), "c", dynamic(Set.of(PAYMENTS), c)),
                Map.of(ORDERS, 4, PAYMENTS, 5));

        Map<String, Assignment> result = assignor.assign(spec);

        assertComplete(spec, result);
        assertEquals(List.of(3, 3, 3), sizes(result, "a", "b", "c"));
        assertEquals(2, moved(spec, result));
    }

    @Test
    void shouldLeaveMembersIdleWhenATopicHasFewerPartitionsThanMembers() {
        AssignmentSpec spec = new AssignmentSpec(Map.of("a", dynamic(ORDERS), "b", dynamic(ORDERS),
                "c", dynamic(ORDERS), "d", dynamic(ORDERS)), Map.of(ORDERS, 2));

        Map<String, Assignment> result = assignor.assign(spec);

        assertComplete(spec, result);
        assertEquals(List.of(1, 1, 0, 0), sizes(result, "a", "b", "c", "d"));
    }

    @Test
    void shouldAssignNothingWithoutMembers() {
        assertEquals(Map.of(), assignor.assign(new AssignmentSpec(Map.of(), Map.of(ORDERS, 3))));
    }

    @Test
    void shouldDropPreviousPartitionsOfTopicsNoLongerSubscribedOrGone() {
        Assignment previous = Assignment.builder().add(ORDERS, 0).add(PAYMENTS, 0).add(REFUNDS, 5).build();
        AssignmentSpec spec = new AssignmentSpec(Map.of("a", dynamic(Set.of(ORDERS, REFUNDS), previous)),
                Map.of(ORDERS, 2, REFUNDS, 2));

        Map<String, Assignment> result = assignor.assign(spec);

        assertComplete(spec, result);
        assertEquals(Assignment.builder().add(ORDERS, 0).add(ORDERS, 1).add(REFUNDS, 0).add(REFUNDS, 1).build(),
                result.get("a"));
    }

    @Test
    void shouldKeepEveryPartitionInPlaceWhenNothingChanged() {
        AssignmentSpec first = new AssignmentSpec(Map.of("a", dynamic(ORDERS, PAYMENTS), "b", dynamic(ORDERS),
                "c", dynamic(PAYMENTS)), Map.of(ORDERS, 5, PAYMENTS, 8));
        Map<String, Assignment> initial = assignor.assign(first);
        Map<String, MemberSubscription> again = new HashMap<>();
        first.members().forEach((id, member) -> again.put(id, dynamic(member.topics(), initial.get(id))));

        assertEquals(initial, assignor.assign(new AssignmentSpec(again, first.partitions())));
    }
}
