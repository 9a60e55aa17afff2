package dev.ferry.broker.group.consumer;

import dev.ferry.broker.group.consumer.TopicsView.TopicShape;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One consumer group's state: its members, its epochs, its target assignment and who holds which partition.
 *
 * <ul>
 *   <li>The <b>group epoch</b> grows whenever membership, a subscription or the shape of a subscribed topic
 *       changes.</li>
 *   <li>The <b>assignment epoch</b> is the group epoch the target assignment was computed at; a group whose
 *       assignment epoch lags its group epoch is Assigning.</li>
 *   <li>The <b>partition owners</b> map every partition a member holds, assigned or pending revocation, to that
 *       member; reconciliation gives a member only partitions nobody else holds.</li>
 * </ul>
 *
 * <p><b>Not thread-safe:</b> used only under the coordinator's lock, by {@link ConsumerGroups}.
 */
final class ConsumerGroup {

    /** Kafka's state names, as ListGroups and ConsumerGroupDescribe report them. */
    static final String EMPTY = "Empty";
    static final String ASSIGNING = "Assigning";
    static final String RECONCILING = "Reconciling";
    static final String STABLE = "Stable";

    private final String groupId;
    private final String topicScope;
    private final Map<String, ConsumerGroupMember> members = new TreeMap<>();
    private final Map<String, String> staticMembers = new HashMap<>();
    private final Map<String, Assignment> targetAssignment = new HashMap<>();
    private final Map<UUID, Map<Integer, String>> owners = new HashMap<>();
    private SortedMap<String, TopicShape> subscribedTopics = new TreeMap<>();
    private int groupEpoch;
    private int assignmentEpoch;

    /**
     * @param topicScope the prefix every topic a regular expression of the group resolves to must start with (a
     *                   tenant's {@code <application>.}), or null for every topic
     */
    ConsumerGroup(String groupId, String topicScope) {
        this.groupId = groupId;
        this.topicScope = topicScope;
    }

    String groupId() {
        return groupId;
    }

    /** The prefix a regular expression's topics must have, or null when it may resolve to every topic. */
    String topicScope() {
        return topicScope;
    }

    int groupEpoch() {
        return groupEpoch;
    }

    int assignmentEpoch() {
        return assignmentEpoch;
    }

    void bumpGroupEpoch() {
        groupEpoch++;
    }

    /** The members, in member-id order. */
    Collection<ConsumerGroupMember> members() {
        return members.values();
    }

    boolean hasMembers() {
        return !members.isEmpty();
    }

    int size() {
        return members.size();
    }

    ConsumerGroupMember member(String memberId) {
        return members.get(memberId);
    }

    /** The current member of a static instance id, or null. */
    ConsumerGroupMember staticMember(String instanceId) {
        String memberId = instanceId == null ? null : staticMembers.get(instanceId);
        return memberId == null ? null : members.get(memberId);
    }

    /** Adds a member that was not in the group. */
    void add(ConsumerGroupMember member) {
        members.put(member.memberId(), member);
        if (member.instanceId() != null) {
            staticMembers.put(member.instanceId(), member.memberId());
        }
        hold(member.memberId(), member.current());
    }

    /**
     * Puts a rejoining static member in the place of its previous incarnation, with its partitions and its target
     * assignment.
     */
    void replace(ConsumerGroupMember previous, ConsumerGroupMember member) {
        Assignment target = targetAssignment.getOrDefault(previous.memberId(), Assignment.EMPTY);
        remove(previous.memberId());
        add(member);
        targetAssignment.put(member.memberId(), target);
    }

    /** Removes a member with its target assignment, freeing what it held. */
    void remove(String memberId) {
        ConsumerGroupMember member = members.remove(memberId);
        if (member == null) {
            return;
        }
        if (member.instanceId() != null && memberId.equals(staticMembers.get(member.instanceId()))) {
            staticMembers.remove(member.instanceId());
        }
        release(memberId, member.current());
        targetAssignment.remove(memberId);
    }

    /** Moves a member to its next reconciliation state, updating who holds what. */
    void updateCurrent(ConsumerGroupMember member, CurrentAssignment next) {
        release(member.memberId(), member.current());
        member.setCurrent(next);
        hold(member.memberId(), next);
    }

    /** The member holding a partition (assigned or pending revocation), or null. */
    String ownerOf(UUID topicId, int partition) {
        Map<Integer, String> partitions = owners.get(topicId);
        return partitions == null ? null : partitions.get(partition);
    }

    /** The target assignment of a member; empty for one the target does not name. */
    Assignment targetAssignment(String memberId) {
        return targetAssignment.getOrDefault(memberId, Assignment.EMPTY);
    }

    /** Installs a target assignment computed at the current group epoch. */
    void setTargetAssignment(Map<String, Assignment> target) {
        targetAssignment.clear();
        target.forEach((memberId, assignment) -> {
            if (members.containsKey(memberId)) {
                targetAssignment.put(memberId, assignment);
            }
        });
        assignmentEpoch = groupEpoch;
    }

    /** The shapes of the subscribed topics when the group epoch last changed. */
    SortedMap<String, TopicShape> subscribedTopics() {
        return subscribedTopics;
    }

    void setSubscribedTopics(SortedMap<String, TopicShape> shapes) {
        subscribedTopics = shapes;
    }

    /**
     * The assignor most members ask for; ties go to the one listed first in {@code offered}. Empty when no member
     * names one.
     */
    Optional<String> preferredAssignor(List<String> offered) {
        Map<String, Integer> counts = new HashMap<>();
        for (ConsumerGroupMember member : members.values()) {
            if (member.serverAssignor() != null) {
                counts.merge(member.serverAssignor(), 1, Integer::sum);
            }
        }
        String preferred = null;
        for (String name : offered) {
            int count = counts.getOrDefault(name, 0);
            if (count > 0 && (preferred == null || count > counts.get(preferred))) {
                preferred = name;
            }
        }
        return Optional.ofNullable(preferred);
    }

    /** Kafka's state: Empty, Assigning, Reconciling or Stable. */
    String state() {
        if (members.isEmpty()) {
            return EMPTY;
        }
        if (groupEpoch > assignmentEpoch) {
            return ASSIGNING;
        }
        for (ConsumerGroupMember member : members.values()) {
            if (!member.current().isReconciledTo(assignmentEpoch)) {
                return RECONCILING;
            }
        }
        return STABLE;
    }

    private void hold(String memberId, CurrentAssignment current) {
        current.held().partitions().forEach((topicId, partitions) -> {
            Map<Integer, String> topic = owners.computeIfAbsent(topicId, id -> new HashMap<>());
            partitions.forEach(partition -> topic.put(partition, memberId));
        });
    }

    private void release(String memberId, CurrentAssignment current) {
        current.held().partitions().forEach((topicId, partitions) -> {
            Map<Integer, String> topic = owners.get(topicId);
            if (topic == null) {
                return;
            }
            partitions.forEach(partition -> topic.remove(partition, memberId));
            if (topic.isEmpty()) {
                owners.remove(topicId);
            }
        });
    }
}
