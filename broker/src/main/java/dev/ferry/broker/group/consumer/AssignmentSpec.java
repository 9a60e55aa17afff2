package dev.ferry.broker.group.consumer;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What an assignor sees of a group.
 *
 * @param members    every member by member id
 * @param partitions the partition count of every topic some member subscribes to; a member's subscription names only
 *                   topics of this map
 */
public record AssignmentSpec(Map<String, MemberSubscription> members, Map<UUID, Integer> partitions) {

    public AssignmentSpec {
        members = Map.copyOf(members);
        partitions = Map.copyOf(partitions);
    }

    /**
     * One member as an assignor sees it.
     *
     * @param instanceId the static member's {@code group.instance.id}, or null for a dynamic member
     * @param topics     the ids of the existing topics it subscribes to
     * @param current    its previous target assignment, which a sticky assignor keeps as far as balance allows
     */
    public record MemberSubscription(String instanceId, Set<UUID> topics, Assignment current) {

        public MemberSubscription {
            topics = Set.copyOf(topics);
        }
    }
}
