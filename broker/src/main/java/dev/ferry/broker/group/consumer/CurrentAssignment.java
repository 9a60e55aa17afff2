package dev.ferry.broker.group.consumer;

/**
 * A member's side of reconciliation: its epoch and the partitions it may own, immutable.
 *
 * @param state               how far the member is from its target
 * @param memberEpoch         the epoch the member was last given; -2 while a static member is away
 * @param previousMemberEpoch the epoch before it, accepted once more in case the answer that gave the new one was lost
 * @param assigned            the partitions the member owns or is told to take
 * @param pendingRevocation   the partitions the member must give up; still its own until it stops reporting them
 */
record CurrentAssignment(MemberState state, int memberEpoch, int previousMemberEpoch, Assignment assigned,
                         Assignment pendingRevocation) {

    /** A member that just joined: epoch 0, nothing assigned. */
    static final CurrentAssignment JOINING = new CurrentAssignment(MemberState.STABLE, 0, 0, Assignment.EMPTY,
            Assignment.EMPTY);

    /** Whether the member has its full target assignment of {@code targetEpoch}. */
    boolean isReconciledTo(int targetEpoch) {
        return state == MemberState.STABLE && memberEpoch == targetEpoch;
    }

    /** Every partition the member may still be consuming: assigned or pending revocation. */
    Assignment held() {
        return assigned.union(pendingRevocation);
    }

    /** The next step of reconciliation; the current epoch becomes the previous one, even when it does not change. */
    CurrentAssignment next(MemberState newState, int newEpoch, Assignment newAssigned, Assignment newPending) {
        return new CurrentAssignment(newState, newEpoch, memberEpoch, newAssigned, newPending);
    }

    /** The same epochs and state with other partitions. */
    CurrentAssignment withPartitions(MemberState newState, Assignment newAssigned, Assignment newPending) {
        return new CurrentAssignment(newState, memberEpoch, previousMemberEpoch, newAssigned, newPending);
    }
}
