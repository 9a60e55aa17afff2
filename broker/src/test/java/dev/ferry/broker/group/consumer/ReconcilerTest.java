package dev.ferry.broker.group.consumer;

import static dev.ferry.broker.group.consumer.AssignmentChecks.partitions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReconcilerTest {

    private static final UUID ORDERS = new UUID(0, 11);
    private static final UUID PAYMENTS = new UUID(0, 22);
    private static final String ME = "me";
    private static final Set<UUID> SUBSCRIBED = Set.of(ORDERS, PAYMENTS);

    private final Map<String, String> owners = new HashMap<>();

    private String ownerOf(UUID topic, int partition) {
        return owners.get(topic + "-" + partition);
    }

    private void own(String member, UUID topic, int partition) {
        owners.put(topic + "-" + partition, member);
    }

    private CurrentAssignment reconcile(CurrentAssignment current, int targetEpoch, Assignment target,
                                        Assignment owned) {
        return Reconciler.reconcile(ME, current, targetEpoch, target, SUBSCRIBED, false, owned, this::ownerOf);
    }

    private static CurrentAssignment stable(int epoch, Assignment assigned) {
        return new CurrentAssignment(MemberState.STABLE, epoch, epoch - 1, assigned, Assignment.EMPTY);
    }

    @Test
    void shouldGiveAFreeTargetAtOnceAtTheTargetEpoch() {
        CurrentAssignment next = reconcile(CurrentAssignment.JOINING, 3, partitions(ORDERS, 0, 1), Assignment.EMPTY);

        assertEquals(new CurrentAssignment(MemberState.STABLE, 3, 0, partitions(ORDERS, 0, 1), Assignment.EMPTY),
                next);
    }

    @Test
    void shouldKeepItsEpochWhileRevokingAndMoveOnOnceTheHeartbeatNoLongerReportsThem() {
        CurrentAssignment current = stable(2, partitions(ORDERS, 0, 1));

        CurrentAssignment revoking = reconcile(current, 3, partitions(ORDERS, 1, 2), partitions(ORDERS, 0, 1));

        assertEquals(new CurrentAssignment(MemberState.UNREVOKED_PARTITIONS, 2, 2, partitions(ORDERS, 1),
                partitions(ORDERS, 0)), revoking);
        assertSame(revoking, reconcile(revoking, 3, partitions(ORDERS, 1, 2), partitions(ORDERS, 0, 1)),
                "still owning partition 0");
        assertSame(revoking, reconcile(revoking, 3, partitions(ORDERS, 1, 2), null),
                "a heartbeat silent on what it owns");

        CurrentAssignment revoked = reconcile(revoking, 3, partitions(ORDERS, 1, 2), partitions(ORDERS, 1));

        assertEquals(new CurrentAssignment(MemberState.STABLE, 3, 2, partitions(ORDERS, 1, 2), Assignment.EMPTY),
                revoked);
    }

    @Test
    void shouldWaitForPartitionsAnotherMemberStillHolds() {
        own("other", ORDERS, 2);

        CurrentAssignment waiting = reconcile(stable(2, partitions(ORDERS, 1)), 3, partitions(ORDERS, 1, 2),
                partitions(ORDERS, 1));

        assertEquals(new CurrentAssignment(MemberState.UNRELEASED_PARTITIONS, 3, 2, partitions(ORDERS, 1),
                Assignment.EMPTY), waiting);

        owners.clear();
        CurrentAssignment released = reconcile(waiting, 3, partitions(ORDERS, 1, 2), partitions(ORDERS, 1));

        assertEquals(new CurrentAssignment(MemberState.STABLE, 3, 3, partitions(ORDERS, 1, 2), Assignment.EMPTY),
                released);
    }

    @Test
    void shouldNotWaitForAPartitionItHoldsItself() {
        own(ME, ORDERS, 0);
        CurrentAssignment revoking = new CurrentAssignment(MemberState.UNREVOKED_PARTITIONS, 2, 1,
                partitions(ORDERS, 1), partitions(ORDERS, 0));

        CurrentAssignment next = reconcile(revoking, 4, partitions(ORDERS, 0, 1), partitions(ORDERS, 1));

        assertEquals(new CurrentAssignment(MemberState.STABLE, 4, 2, partitions(ORDERS, 0, 1), Assignment.EMPTY),
                next);
    }

    @Test
    void shouldNotSkipPastTheTargetEpochAfterRevoking() {
        CurrentAssignment revoking = new CurrentAssignment(MemberState.UNREVOKED_PARTITIONS, 5, 4,
                Assignment.EMPTY, partitions(PAYMENTS, 0));
        owners.put(ORDERS + "-0", "other");

        CurrentAssignment next = reconcile(revoking, 5, partitions(ORDERS, 0), Assignment.EMPTY);

        assertEquals(new CurrentAssignment(MemberState.UNRELEASED_PARTITIONS, 5, 5, Assignment.EMPTY,
                Assignment.EMPTY), next);
    }

    @Test
    void shouldRevokeTheTopicsOfAnAbandonedSubscriptionWithoutWaitingForANewTarget() {
        Assignment both = Assignment.builder().add(ORDERS, 0).add(PAYMENTS, 0).build();
        CurrentAssignment current = stable(3, both);

        CurrentAssignment next = Reconciler.reconcile(ME, current, 3, both, Set.of(ORDERS), true, both,
                this::ownerOf);

        assertEquals(new CurrentAssignment(MemberState.UNREVOKED_PARTITIONS, 3, 2, partitions(ORDERS, 0),
                partitions(PAYMENTS, 0)), next);
    }

    @Test
    void shouldStayPutWhenReconciledAndNothingChanged() {
        CurrentAssignment current = stable(3, partitions(ORDERS, 0));

        assertSame(current, reconcile(current, 3, partitions(ORDERS, 0), partitions(ORDERS, 0)));
    }
}
