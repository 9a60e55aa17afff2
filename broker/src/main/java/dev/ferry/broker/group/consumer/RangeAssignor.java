package dev.ferry.broker.group.consumer;

import dev.ferry.broker.group.consumer.AssignmentSpec.MemberSubscription;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Kafka's {@code range} server-side assignor: each topic is cut into contiguous ranges, one per member subscribed to
 * it, in member order; the first {@code partitions % members} members get one partition more. When every member
 * subscribes to the same topics and they have as many partitions, member {@code i} gets the same partition numbers
 * of every topic (co-partitioning, for joins).
 *
 * <p>Members are ordered as Kafka orders them: static members first, by {@code group.instance.id}, then dynamic
 * members by member id. The assignment depends only on that order, the subscriptions and the partition counts — not
 * on the previous assignment — so it is sticky exactly as Kafka's is: a static member keeps its ranges across
 * restarts as long as membership, subscriptions and partition counts stay the same.
 *
 * <p>Stateless and thread-safe.
 */
public final class RangeAssignor implements ServerAssignor {

    /** The name members ask for. */
    public static final String NAME = "range";

    /** Static members first, by instance id; then dynamic members by member id. */
    private static final Comparator<Map.Entry<String, MemberSubscription>> MEMBER_ORDER = (a, b) -> {
        String instanceA = a.getValue().instanceId();
        String instanceB = b.getValue().instanceId();
        if (instanceA != null && instanceB != null) {
            int byInstance = instanceA.compareTo(instanceB);
            return byInstance != 0 ? byInstance : a.getKey().compareTo(b.getKey());
        }
        if (instanceA != null) {
            return -1;
        }
        if (instanceB != null) {
            return 1;
        }
        return a.getKey().compareTo(b.getKey());
    };

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Assignment> assign(AssignmentSpec spec) {
        List<Map.Entry<String, MemberSubscription>> members = new ArrayList<>(spec.members().entrySet());
        members.sort(MEMBER_ORDER);
        Map<UUID, List<String>> subscribers = new HashMap<>();
        for (Map.Entry<String, MemberSubscription> member : members) {
            for (UUID topicId : member.getValue().topics()) {
                subscribers.computeIfAbsent(topicId, id -> new ArrayList<>()).add(member.getKey());
            }
        }
        Map<String, Assignment.Builder> builders = new HashMap<>();
        members.forEach(member -> builders.put(member.getKey(), Assignment.builder()));
        subscribers.forEach((topicId, memberIds) -> {
            int partitions = spec.partitions().getOrDefault(topicId, 0);
            int quota = partitions / memberIds.size();
            int extra = partitions % memberIds.size();
            int next = 0;
            for (int i = 0; i < memberIds.size(); i++) {
                int end = next + quota + (i < extra ? 1 : 0);
                Assignment.Builder builder = builders.get(memberIds.get(i));
                for (int p = next; p < end; p++) {
                    builder.add(topicId, p);
                }
                next = end;
            }
        });
        Map<String, Assignment> assignment = new HashMap<>();
        builders.forEach((memberId, builder) -> assignment.put(memberId, builder.build()));
        return assignment;
    }
}
