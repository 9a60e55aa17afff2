package dev.ferry.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RangeAssignorTest {

    private static RangeAssignor.Member member(String id, String... topics) {
        return new RangeAssignor.Member(id, null, List.of(topics));
    }

    private static List<TopicPartition> partitions(String topic, int... numbers) {
        return Arrays.stream(numbers).mapToObj(p -> new TopicPartition(topic, p)).toList();
    }

    @Test
    void shouldGiveConsecutiveRangesWithTheRemainderToTheFirstMembers() {
        Map<String, List<TopicPartition>> assignment = RangeAssignor.assign(Map.of("orders", 7),
                List.of(member("c", "orders"), member("a", "orders"), member("b", "orders")));

        assertEquals(partitions("orders", 0, 1, 2), assignment.get("a"));
        assertEquals(partitions("orders", 3, 4), assignment.get("b"));
        assertEquals(partitions("orders", 5, 6), assignment.get("c"));
    }

    @Test
    void shouldSplitEachTopicSeparatelySoTheFirstMemberGetsEveryRemainder() {
        Map<String, List<TopicPartition>> assignment = RangeAssignor.assign(Map.of("t1", 3, "t2", 3),
                List.of(member("m1", "t1", "t2"), member("m2", "t1", "t2")));

        assertEquals(List.of(new TopicPartition("t1", 0), new TopicPartition("t1", 1), new TopicPartition("t2", 0),
                new TopicPartition("t2", 1)), assignment.get("m1"));
        assertEquals(List.of(new TopicPartition("t1", 2), new TopicPartition("t2", 2)), assignment.get("m2"));
    }

    @Test
    void shouldAssignATopicOnlyAmongItsSubscribers() {
        Map<String, List<TopicPartition>> assignment = RangeAssignor.assign(Map.of("t1", 2, "t2", 2),
                List.of(member("m1", "t1"), member("m2", "t1", "t2")));

        assertEquals(partitions("t1", 0), assignment.get("m1"));
        assertEquals(List.of(new TopicPartition("t1", 1), new TopicPartition("t2", 0), new TopicPartition("t2", 1)),
                assignment.get("m2"));
    }

    @Test
    void shouldLeaveExtraMembersWithoutPartitions() {
        Map<String, List<TopicPartition>> assignment = RangeAssignor.assign(Map.of("t", 2),
                List.of(member("a", "t"), member("b", "t"), member("c", "t")));

        assertEquals(partitions("t", 0), assignment.get("a"));
        assertEquals(partitions("t", 1), assignment.get("b"));
        assertEquals(List.of(), assignment.get("c"));
    }

    @Test
    void shouldOrderStaticMembersFirstByInstanceIdAsKafkaDoes() {
        Map<String, List<TopicPartition>> assignment = RangeAssignor.assign(Map.of("t", 3), List.of(
                new RangeAssignor.Member("a-dynamic", null, List.of("t")),
                new RangeAssignor.Member("z-member", "instance-2", List.of("t")),
                new RangeAssignor.Member("y-member", "instance-1", List.of("t"))));

        assertEquals(partitions("t", 0), assignment.get("y-member"));
        assertEquals(partitions("t", 1), assignment.get("z-member"));
        assertEquals(partitions("t", 2), assignment.get("a-dynamic"));
    }

    @Test
    void shouldSkipTopicsThatDoNotExist() {
        Map<String, List<TopicPartition>> assignment = RangeAssignor.assign(Map.of("t", 1),
                List.of(member("a", "t", "missing")));

        assertEquals(partitions("t", 0), assignment.get("a"));
    }
}
