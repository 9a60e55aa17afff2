package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.it.fixture.Await;
import dev.ferry.it.fixture.BrokerTester;
import dev.ferry.it.fixture.DeliveryLedger;
import dev.ferry.it.fixture.GroupMember;
import dev.ferry.it.fixture.GroupMembers;
import dev.ferry.it.fixture.GroupOffsets;
import dev.ferry.it.fixture.PartitionOwnership;
import dev.ferry.it.fixture.Producing;
import dev.ferry.it.fixture.TopicPartitions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Classic consumer groups as a Kafka application uses them: members subscribe, the coordinator and the group leader's
 * assignor split the partitions among them, and every record is processed once when each member commits what it
 * processed.
 */
@Timeout(120)
class ConsumerGroupIT {

    private static final String TOPIC = "orders";
    private static final int PARTITIONS = 6;
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONSUME_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(classes = {RangeAssignor.class, CooperativeStickyAssignor.class})
    void shouldGiveEachOfThreeMembersTwoPartitionsAndProcessEveryRecordOnce(Class<?> assignor) throws Exception {
        int perPartition = 10_000;
        String group = "three-" + assignor.getSimpleName();
        try (var tester = BrokerTester.start(dataDir, Map.of("group.initial.rebalance.delay.ms", "0"));
             var members = new GroupMembers()) {
            tester.createTopic(TOPIC, PARTITIONS);
            PartitionOwnership ownership = new PartitionOwnership();
            DeliveryLedger ledger = new DeliveryLedger();
            List<GroupMember> three = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                three.add(members.add(GroupMember.start(name, tester.consumer(memberConfig(group, assignor)),
                        List.of(TOPIC), ownership, ledger)));
            }
            Await.until(JOIN_TIMEOUT, "each member owns two partitions", () ->
                    three.stream().allMatch(member -> member.assignment().size() == 2)
                            && union(three).size() == PARTITIONS);

            Set<TopicPartition> seen = new HashSet<>();
            for (GroupMember member : three) {
                Set<TopicPartition> assignment = member.assignment();
                assertEquals(2, assignment.size(), member.name() + "'s assignment " + assignment);
                for (TopicPartition partition : assignment) {
                    assertTrue(seen.add(partition), partition + " assigned twice: " + assignments(three));
                }
                assertEquals(TopicPartitions.sorted(assignment), ownership.ownedBy(member.name()),
                        member.name() + "'s assignment as its rebalance callbacks tell it");
            }
            assertEquals(Set.copyOf(TopicPartitions.of(TOPIC, PARTITIONS)), seen, "partitions assigned");

            Producing.sendEvenly(tester.producer(), TOPIC, PARTITIONS, perPartition, "order");
            long total = (long) PARTITIONS * perPartition;
            Await.until(CONSUME_TIMEOUT, "the group processed " + total + " records", () -> ledger.total() >= total);
            members.close();

            Map<TopicPartition, Long> ends = endOffsets(tester);
            assertEquals(everyPartitionAt(perPartition), ends, "end offsets");
            assertEquals(List.of(), ledger.departuresFromExactlyOnce(ends), "records processed other than once");
            assertEquals(total, ledger.total(), "records processed");
            for (GroupMember member : three) {
                assertEquals(TopicPartitions.sorted(member.assignment()), ledger.partitionsProcessedBy(member.name()),
                        "partitions " + member.name() + " processed records from");
            }
            assertEquals(List.of(), ownership.conflicts(), "partitions owned by two members at once");
            assertEquals(ends, GroupOffsets.committed(tester.admin(), group), "committed offsets");
        }
    }

    @Test
    void shouldMoveOnlyTheNewcomersPartitionsWhenAMemberJoinsACooperativeGroupMidStream() throws Exception {
        String group = "cooperative";
        try (var tester = BrokerTester.start(dataDir, Map.of("group.initial.rebalance.delay.ms", "0"));
             var members = new GroupMembers()) {
            tester.createTopic(TOPIC, PARTITIONS);
            PartitionOwnership ownership = new PartitionOwnership();
            DeliveryLedger ledger = new DeliveryLedger();
            Map<String, Object> config = memberConfig(group, CooperativeStickyAssignor.class);
            config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
            GroupMember a = members.add(GroupMember.start("a", tester.consumer(config), List.of(TOPIC), ownership,
                    ledger));
            GroupMember b = members.add(GroupMember.start("b", tester.consumer(config), List.of(TOPIC), ownership,
                    ledger));
            Await.until(JOIN_TIMEOUT, "a and b own three partitions each",
                    () -> a.assignment().size() == 3 && b.assignment().size() == 3);
            Set<TopicPartition> firstOfA = a.assignment();
            Set<TopicPartition> firstOfB = b.assignment();
            int releasedBeforeByA = ownership.released("a").size();
            int releasedBeforeByB = ownership.released("b").size();
            KafkaProducer<String, String> producer = tester.producer();
            Producing.sendEvenly(producer, TOPIC, PARTITIONS, 2_000, "before");
            Await.until(CONSUME_TIMEOUT, "a and b processing", () -> ledger.total() >= 1_000);

            GroupMember c = members.add(GroupMember.start("c", tester.consumer(config), List.of(TOPIC), ownership,
                    ledger));
            // records keep arriving while the group rebalances, so that a and b give partitions up mid-stream
            long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
            for (int round = 0; !(a.assignment().size() == 2 && b.assignment().size() == 2
                    && c.assignment().size() == 2 && union(List.of(a, b, c)).size() == PARTITIONS); round++) {
                assertTrue(System.nanoTime() - deadline < 0, "c did not get two partitions within " + JOIN_TIMEOUT
                        + ": " + assignments(List.of(a, b, c)));
                Producing.sendEvenly(producer, TOPIC, PARTITIONS, 10, "during-" + round);
            }
            Producing.sendEvenly(producer, TOPIC, PARTITIONS, 2_000, "after");
            Map<TopicPartition, Long> ends = endOffsets(tester);
            long total = ends.values().stream().mapToLong(Long::longValue).sum();
            Await.until(CONSUME_TIMEOUT, "the group processed " + total + " records", () -> ledger.total() >= total);
            members.close();

            assertEquals(List.of(), ownership.conflicts(), "partitions owned by two members at once");
            Set<TopicPartition> moved = TopicPartitions.sorted(c.assignment());
            List<TopicPartition> released = new ArrayList<>(ownership.released("a").subList(releasedBeforeByA,
                    ownership.released("a").size()));
            released.addAll(ownership.released("b").subList(releasedBeforeByB, ownership.released("b").size()));
            assertEquals(moved, TopicPartitions.sorted(released), "partitions a and b gave up");
            assertEquals(2, released.size(), "partitions a and b gave up, each once: " + released);
            assertTrue(firstOfA.containsAll(a.assignment()), "a kept partitions it had: " + a.assignment());
            assertTrue(firstOfB.containsAll(b.assignment()), "b kept partitions it had: " + b.assignment());
            assertTrue(moved.containsAll(ledger.partitionsProcessedBy("c")),
                    "c processed only its partitions: " + ledger.partitionsProcessedBy("c"));

            assertEquals(List.of(), ledger.departuresFromExactlyOnce(ends), "records processed other than once");
            assertEquals(total, ledger.total(), "records processed");
            assertEquals(ends, GroupOffsets.committed(tester.admin(), group), "committed offsets");
        }
    }

    private static Map<String, Object> memberConfig(String group, Class<?> assignor) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, assignor.getName());
        return config;
    }

    private static Set<TopicPartition> union(List<GroupMember> members) {
        return members.stream().flatMap(member -> member.assignment().stream()).collect(Collectors.toSet());
    }

    private static String assignments(List<GroupMember> members) {
        return members.stream().map(member -> member.name() + "=" + TopicPartitions.sorted(member.assignment()))
                .collect(Collectors.joining(", "));
    }

    private static Map<TopicPartition, Long> everyPartitionAt(long offset) {
        return TopicPartitions.of(TOPIC, PARTITIONS).stream()
                .collect(Collectors.toMap(partition -> partition, partition -> offset));
    }

    private static Map<TopicPartition, Long> endOffsets(BrokerTester tester) {
        return tester.consumer().endOffsets(TopicPartitions.of(TOPIC, PARTITIONS));
    }
}
