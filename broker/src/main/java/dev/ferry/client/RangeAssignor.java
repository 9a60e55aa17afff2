package dev.ferry.client;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Kafka's {@code range} assignor, computed by the group leader: topic by topic, the partitions go in consecutive
 * ranges to the members subscribed to the topic, sorted by group instance id (members with one first) and then
 * member id; with {@code P} partitions and {@code M} members each gets {@code P / M}, and the first {@code P mod M}
 * one more.
 *
 * <p>Stateless and thread-safe.
 */
public final class RangeAssignor {

    /** The protocol name members announce in JoinGroup. */
    public static final String NAME = "range";

    /** Kafka's member order: those with a group instance id first, by it; then the others by member id. */
    private static final Comparator<Member> MEMBER_ORDER = Comparator
            .comparing((Member m) -> m.groupInstanceId() == null)
            .thenComparing(m -> Optional.ofNullable(m.groupInstanceId()).orElse(""))
            .thenComparing(Member::memberId);

    /**
     * A member's subscription as its JoinGroup metadata announced it.
     *
     * @param memberId        the member id
     * @param groupInstanceId the static member's instance id, or null
     * @param topics          the topics it subscribes to
     */
    public record Member(String memberId, String groupInstanceId, List<String> topics) {
    }

    private RangeAssignor() {
    }

    /**
     * Assigns the partitions of every subscribed topic that exists.
     *
     * @param partitionsPerTopic the partition count of each topic; subscribed topics missing here are skipped
     * @param members            the members of the generation
     * @return each member's partitions, every member present (possibly with none), partitions in order
     */
    public static Map<String, List<TopicPartition>> assign(Map<String, Integer> partitionsPerTopic,
                                                           List<Member> members) {
        Map<String, List<TopicPartition>> assignment = new LinkedHashMap<>();
        for (Member member : members) {
            assignment.put(member.memberId(), new ArrayList<>());
        }
        TreeSet<String> topics = new TreeSet<>();
        members.forEach(m -> topics.addAll(m.topics()));
        for (String topic : topics) {
            Integer partitions = partitionsPerTopic.get(topic);
            if (partitions == null || partitions <= 0) {
                continue;
            }
            List<Member> subscribed = members.stream().filter(m -> m.topics().contains(topic)).sorted(MEMBER_ORDER)
                    .toList();
            int perMember = partitions / subscribed.size();
            int withExtra = partitions % subscribed.size();
            for (int i = 0; i < subscribed.size(); i++) {
                int start = perMember * i + Math.min(i, withExtra);
                int length = perMember + (i < withExtra ? 1 : 0);
                List<TopicPartition> owned = assignment.get(subscribed.get(i).memberId());
                for (int p = start; p < start + length; p++) {
                    owned.add(new TopicPartition(topic, p));
                }
            }
        }
        return assignment;
    }
}
