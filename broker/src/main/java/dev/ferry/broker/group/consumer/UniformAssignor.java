package dev.ferry.broker.group.consumer;

import dev.ferry.broker.group.consumer.AssignmentSpec.MemberSubscription;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Kafka's {@code uniform} server-side assignor, the default: spreads the partitions of the subscribed topics evenly
 * over the members, keeping partitions where they are as far as balance allows. Balance comes first, stickiness
 * second, as in Kafka.
 *
 * <ol>
 *   <li><b>Keep:</b> each member keeps the partitions of its previous target assignment that still exist and that it
 *       still subscribes to.</li>
 *   <li><b>Hand out:</b> every other partition goes to the least loaded member subscribed to its topic; topics with
 *       the fewest subscribers go first, as they have the fewest places to go.</li>
 *   <li><b>Balance:</b> while some member could pass one partition, directly or along a chain of members each
 *       passing one partition of a topic the next one subscribes to, to a member holding at least two fewer, the
 *       shortest such chain is applied, partitions handed out in this round moving before kept ones.</li>
 * </ol>
 * When every member subscribes to the same topics, every member ends within one partition of every other. With
 * different subscriptions the result is the best balance the subscriptions allow: no chain of moves could bring a
 * member closer to another (an optimal semi-matching, minimising the sum of squared member loads).
 *
 * <p>Members are taken in member-id order, so equal inputs give equal outputs. Stateless and thread-safe.
 */
public final class UniformAssignor implements ServerAssignor {

    /** The name members ask for. */
    public static final String NAME = "uniform";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Assignment> assign(AssignmentSpec spec) {
        return new Placement(spec).compute();
    }

    /** One assignment computation's working state; members are named by their index in member-id order. */
    private static final class Placement {

        private static final int NONE = -1;

        private final List<String> memberIds;
        private final List<MemberSubscription> members = new ArrayList<>();
        private final Map<UUID, Integer> partitionCounts;
        private final Map<UUID, int[]> subscribers = new HashMap<>();
        private final Map<UUID, int[]> owners = new HashMap<>();
        private final List<TreeMap<UUID, TreeSet<Integer>>> owned = new ArrayList<>();
        private final int[] loads;

        Placement(AssignmentSpec spec) {
            memberIds = new ArrayList<>(spec.members().keySet());
            memberIds.sort(Comparator.naturalOrder());
            partitionCounts = spec.partitions();
            loads = new int[memberIds.size()];
            Map<UUID, List<Integer>> subscriberLists = new HashMap<>();
            for (int m = 0; m < memberIds.size(); m++) {
                MemberSubscription member = spec.members().get(memberIds.get(m));
                members.add(member);
                owned.add(new TreeMap<>());
                for (UUID topicId : member.topics()) {
                    if (partitionCounts.getOrDefault(topicId, 0) > 0) {
                        subscriberLists.computeIfAbsent(topicId, id -> new ArrayList<>()).add(m);
                    }
                }
            }
            subscriberLists.forEach((topicId, list) -> {
                subscribers.put(topicId, list.stream().mapToInt(Integer::intValue).toArray());
                int[] owner = new int[partitionCounts.get(topicId)];
                Arrays.fill(owner, NONE);
                owners.put(topicId, owner);
            });
        }

        Map<String, Assignment> compute() {
            keepPreviousPartitions();
            handOutFreePartitions();
            balance();
            Map<String, Assignment> result = new HashMap<>();
            for (int m = 0; m < memberIds.size(); m++) {
                result.put(memberIds.get(m), Assignment.of(owned.get(m)));
            }
            return result;
        }

        private void keepPreviousPartitions() {
            for (int m = 0; m < members.size(); m++) {
                MemberSubscription member = members.get(m);
                for (Map.Entry<UUID, SortedSet<Integer>> topic : member.current().partitions().entrySet()) {
                    int[] owner = owners.get(topic.getKey());
                    if (owner == null || !member.topics().contains(topic.getKey())) {
                        continue;
                    }
                    for (int partition : topic.getValue()) {
                        if (partition >= 0 && partition < owner.length && owner[partition] == NONE) {
                            own(m, topic.getKey(), partition);
                        }
                    }
                }
            }
        }

        private void handOutFreePartitions() {
            List<UUID> topics = new ArrayList<>(subscribers.keySet());
            topics.sort(Comparator.<UUID>comparingInt(id -> subscribers.get(id).length)
                    .thenComparing(Comparator.naturalOrder()));
            for (UUID topicId : topics) {
                int[] owner = owners.get(topicId);
                for (int partition = 0; partition < owner.length; partition++) {
                    if (owner[partition] == NONE) {
                        own(leastLoaded(subscribers.get(topicId)), topicId, partition);
                    }
                }
            }
        }

        private int leastLoaded(int[] candidates) {
            int best = candidates[0];
            for (int candidate : candidates) {
                if (loads[candidate] < loads[best]) {
                    best = candidate;
                }
            }
            return best;
        }

        private void balance() {
            Integer[] byLoad = new Integer[loads.length];
            while (true) {
                int minLoad = Arrays.stream(loads).min().orElse(0);
                for (int m = 0; m < byLoad.length; m++) {
                    byLoad[m] = m;
                }
                Arrays.sort(byLoad, Comparator.<Integer>comparingInt(m -> -loads[m]).thenComparingInt(m -> m));
                boolean improved = false;
                for (int source : byLoad) {
                    // a chain needs a member holding at least two fewer: none exists below minLoad + 2
                    if (loads[source] < minLoad + 2) {
                        break;
                    }
                    if (shiftAlongShortestChain(source)) {
                        improved = true;
                        break;
                    }
                }
                if (!improved) {
                    return;
                }
            }
        }

        /**
         * Breadth-first search from {@code source} over "holds a partition of a topic the next member subscribes
         * to"; at the first level reaching a member with at least two partitions fewer, passes one partition along
         * the chain to the least loaded such member.
         */
        private boolean shiftAlongShortestChain(int source) {
            int[] previous = new int[loads.length];
            UUID[] through = new UUID[loads.length];
            Arrays.fill(previous, NONE);
            previous[source] = source;
            int threshold = loads[source] - 2;
            List<Integer> level = List.of(source);
            while (!level.isEmpty()) {
                List<Integer> next = new ArrayList<>();
                int target = NONE;
                for (int member : level) {
                    for (UUID topicId : owned.get(member).keySet()) {
                        for (int candidate : subscribers.get(topicId)) {
                            if (previous[candidate] != NONE) {
                                continue;
                            }
                            previous[candidate] = member;
                            through[candidate] = topicId;
                            next.add(candidate);
                            if (loads[candidate] <= threshold && (target == NONE || loads[candidate] < loads[target]
                                    || loads[candidate] == loads[target] && candidate < target)) {
                                target = candidate;
                            }
                        }
                    }
                }
                if (target != NONE) {
                    for (int to = target; to != source; to = previous[to]) {
                        int from = previous[to];
                        move(from, to, through[to]);
                    }
                    return true;
                }
                level = next;
            }
            return false;
        }

        /**
         * Moves one partition of {@code topicId} between members, preferring one that {@code from} did not hold
         * before this computation: handing it on costs no revocation.
         */
        private void move(int from, int to, UUID topicId) {
            TreeSet<Integer> held = owned.get(from).get(topicId);
            Assignment previous = members.get(from).current();
            int partition = held.last();
            for (Iterator<Integer> it = held.descendingIterator(); it.hasNext(); ) {
                int candidate = it.next();
                if (!previous.contains(topicId, candidate)) {
                    partition = candidate;
                    break;
                }
            }
            disown(from, topicId, partition);
            own(to, topicId, partition);
        }

        private void own(int member, UUID topicId, int partition) {
            owners.get(topicId)[partition] = member;
            owned.get(member).computeIfAbsent(topicId, id -> new TreeSet<>()).add(partition);
            loads[member]++;
        }

        private void disown(int member, UUID topicId, int partition) {
            TreeSet<Integer> held = owned.get(member).get(topicId);
            held.remove(partition);
            if (held.isEmpty()) {
                owned.get(member).remove(topicId);
            }
            owners.get(topicId)[partition] = NONE;
            loads[member]--;
        }
    }
}
