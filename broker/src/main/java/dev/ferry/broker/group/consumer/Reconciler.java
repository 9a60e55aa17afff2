package dev.ferry.broker.group.consumer;

import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Moves one member a step towards its target assignment without ever letting two members own a partition — the
 * state machine of Kafka's {@code CurrentAssignmentBuilder}:
 *
 * <ul>
 *   <li>A member first gives up what it must lose: it stays at its epoch in {@link MemberState#UNREVOKED_PARTITIONS}
 *       with those partitions pending revocation until a heartbeat no longer reports owning any of them.</li>
 *   <li>It then moves to the target epoch and is given the target partitions that nobody else holds (assigned or
 *       pending revocation); those still held elsewhere wait, in {@link MemberState#UNRELEASED_PARTITIONS}, and are
 *       given by a later heartbeat once released.</li>
 *   <li>A member that dropped topics from its subscription loses their partitions at once, without waiting for a new
 *       target assignment.</li>
 * </ul>
 * A pure function; thread-safe.
 */
final class Reconciler {

    /** Who holds a partition now, assigned or pending revocation. */
    @FunctionalInterface
    interface PartitionOwners {
        /** The member id holding the partition, or null. */
        String ownerOf(UUID topicId, int partition);
    }

    private Reconciler() {
    }

    /**
     * The member's next state; {@code current} itself when it cannot move on.
     *
     * @param memberId            the member, so that partitions it holds itself do not count as unreleased
     * @param targetEpoch         the group's assignment epoch
     * @param target              the member's target assignment at that epoch
     * @param subscribedTopicIds  the existing topics the member subscribes to now
     * @param subscriptionChanged whether this heartbeat changed the member's subscription
     * @param owned               the partitions the heartbeat reports as owned, or null when it did not say
     */
    static CurrentAssignment reconcile(String memberId, CurrentAssignment current, int targetEpoch, Assignment target,
                                       Set<UUID> subscribedTopicIds, boolean subscriptionChanged, Assignment owned,
                                       PartitionOwners owners) {
        Step step = new Step(memberId, current, targetEpoch, target, subscribedTopicIds, owned, owners);
        return switch (current.state()) {
            case STABLE -> {
                if (current.memberEpoch() != targetEpoch) {
                    yield step.towardsTarget(current.memberEpoch());
                }
                yield subscriptionChanged ? step.withoutUnsubscribedTopics() : current;
            }
            case UNREVOKED_PARTITIONS -> {
                if (step.stillOwnsAny(current.pendingRevocation())) {
                    yield subscriptionChanged ? step.withoutUnsubscribedTopics() : current;
                }
                // after a subscription change the member may revoke before a newer target exists: no epoch to skip to
                yield step.towardsTarget(Math.min(current.memberEpoch() + 1, targetEpoch));
            }
            case UNRELEASED_PARTITIONS -> step.towardsTarget(current.memberEpoch());
        };
    }

    /** One reconciliation's inputs. */
    private record Step(String memberId, CurrentAssignment current, int targetEpoch, Assignment target,
                        Set<UUID> subscribedTopicIds, Assignment owned, PartitionOwners owners) {

        /** Whether the member may still be consuming any of {@code partitions}: a heartbeat silent on it may. */
        boolean stillOwnsAny(Assignment partitions) {
            return owned == null || owned.intersects(partitions);
        }

        /**
         * Revokes what the target no longer holds, or, when nothing is left to revoke, moves to the target epoch
         * with every target partition that is free.
         *
         * @param revokingEpoch the epoch to stay at while revoking
         */
        CurrentAssignment towardsTarget(int revokingEpoch) {
            Assignment assigned = current.assigned();
            Assignment.Builder keep = Assignment.builder();
            Assignment.Builder revoke = Assignment.builder();
            Assignment.Builder take = Assignment.builder();
            boolean unreleased = false;
            Set<UUID> topics = new TreeSet<>(target.partitions().keySet());
            topics.addAll(assigned.partitions().keySet());
            for (UUID topicId : topics) {
                SortedSet<Integer> wanted = subscribedTopicIds.contains(topicId) ? target.partitions(topicId)
                        : new TreeSet<>();
                SortedSet<Integer> held = assigned.partitions(topicId);
                for (int partition : held) {
                    if (wanted.contains(partition)) {
                        keep.add(topicId, partition);
                    } else {
                        revoke.add(topicId, partition);
                    }
                }
                for (int partition : wanted) {
                    if (held.contains(partition)) {
                        continue;
                    }
                    String owner = owners.ownerOf(topicId, partition);
                    if (owner != null && !owner.equals(memberId)) {
                        unreleased = true;
                    } else {
                        take.add(topicId, partition);
                    }
                }
            }
            Assignment kept = keep.build();
            Assignment toRevoke = revoke.build();
            Assignment toTake = take.build();
            if (!toRevoke.isEmpty() && stillOwnsAny(toRevoke)) {
                return current.next(MemberState.UNREVOKED_PARTITIONS, revokingEpoch, kept, toRevoke);
            }
            MemberState state = unreleased ? MemberState.UNRELEASED_PARTITIONS : MemberState.STABLE;
            return current.next(state, targetEpoch, kept.union(toTake), Assignment.EMPTY);
        }

        /** Drops the partitions of topics the member no longer subscribes to, asking for their revocation. */
        CurrentAssignment withoutUnsubscribedTopics() {
            Assignment.Builder remaining = Assignment.builder();
            Assignment.Builder dropped = Assignment.builder();
            current.assigned().partitions().forEach((topicId, partitions) -> {
                Assignment.Builder into = subscribedTopicIds.contains(topicId) ? remaining : dropped;
                partitions.forEach(partition -> into.add(topicId, partition));
            });
            Assignment toDrop = dropped.build();
            if (toDrop.isEmpty()) {
                return current;
            }
            Assignment pending = current.pendingRevocation().union(toDrop);
            if (stillOwnsAny(pending)) {
                return current.withPartitions(MemberState.UNREVOKED_PARTITIONS, remaining.build(), pending);
            }
            // already given up by the member: nothing to wait for
            return current.withPartitions(current.state(), remaining.build(), current.pendingRevocation());
        }
    }
}
