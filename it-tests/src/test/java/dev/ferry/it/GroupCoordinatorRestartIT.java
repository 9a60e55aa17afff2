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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Groups across a restart of their coordinator. As with Kafka, whose coordinator reloads groups from its log,
 * members that keep running keep their membership, generation and partitions: a batch processed before the restart
 * is committed after it, and every record is processed exactly once. A group whose members left before the restart
 * is still there, empty, and its next members start at its committed offsets.
 */
@Timeout(120)
class GroupCoordinatorRestartIT {

    private static final String TOPIC = "invoices";
    private static final int PARTITIONS = 4;
    private static final int PER_PARTITION = 5_000;
    /** Records each member processes before it holds a batch, uncommitted, across the restart. */
    private static final long PROCESSED_BEFORE_HOLDING = 1_000;
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONSUME_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    @Test
    void shouldKeepTheGroupAndItsOffsetsAcrossACoordinatorRestart() throws Exception {
        String group = "billing";
        try (var tester = BrokerTester.start(dataDir, Map.of("group.initial.rebalance.delay.ms", "0"));
             var members = new GroupMembers()) {
            tester.createTopic(TOPIC, PARTITIONS);
            PartitionOwnership ownership = new PartitionOwnership();
            DeliveryLedger ledger = new DeliveryLedger();
            CountDownLatch holding = new CountDownLatch(2);
            CountDownLatch restarted = new CountDownLatch(1);
            // each member, part-way through its partitions, processes one batch and then waits for the restart
            // before committing it
            GroupMember.BatchHook holdAcrossRestart = (member, records) -> {
                if (restarted.getCount() > 0 && ledger.totalBy(member.name()) >= PROCESSED_BEFORE_HOLDING) {
                    holding.countDown();
                    if (!restarted.await(CONSUME_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                        throw new AssertionError("The broker did not restart");
                    }
                }
            };
            Map<String, Object> config = new HashMap<>();
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
            config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
            GroupMember a = members.add(GroupMember.start("a", tester.consumer(config), List.of(TOPIC), ownership,
                    ledger, holdAcrossRestart));
            GroupMember b = members.add(GroupMember.start("b", tester.consumer(config), List.of(TOPIC), ownership,
                    ledger, holdAcrossRestart));
            Await.until(JOIN_TIMEOUT, "a and b own two partitions each",
                    () -> a.assignment().size() == 2 && b.assignment().size() == 2);
            int eventsOfA = ownership.events("a").size();
            int eventsOfB = ownership.events("b").size();
            int generation = a.generationId();
            assertEquals(generation, b.generationId(), "generation of b");

            KafkaProducer<String, String> producer = tester.producer();
            Producing.sendEvenly(producer, TOPIC, PARTITIONS, PER_PARTITION, "before");
            assertTrue(holding.await(CONSUME_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
                    "both members hold a processed batch; processed " + ledger.total());
            long processedBeforeRestart = ledger.total();
            tester.restart();
            restarted.countDown();

            Await.until(CONSUME_TIMEOUT, "the records sent before the restart processed",
                    () -> ledger.total() >= (long) PARTITIONS * PER_PARTITION);
            Producing.sendEvenly(producer, TOPIC, PARTITIONS, 1_000, "after");
            long total = (long) PARTITIONS * (PER_PARTITION + 1_000);
            Await.until(CONSUME_TIMEOUT, "the records sent after the restart processed",
                    () -> ledger.total() >= total);
            members.close();

            assertTrue(processedBeforeRestart < (long) PARTITIONS * PER_PARTITION,
                    "the restart came in the middle of the topic: " + processedBeforeRestart + " processed");
            Map<TopicPartition, Long> ends = tester.consumer().endOffsets(TopicPartitions.of(TOPIC, PARTITIONS));
            assertEquals(List.of(), ledger.departuresFromExactlyOnce(ends), "records processed other than once");
            assertEquals(total, ledger.total(), "records processed");
            assertEquals(ends, GroupOffsets.committed(tester.admin(), group), "committed offsets");

            // what Kafka's coordinator does: the group is reloaded as it was, so nobody rebalances
            assertEquals(0, a.failedCommits() + b.failedCommits(), "commits refused after the restart");
            assertEquals(eventsOfA, ownership.events("a").size(), "a's rebalance callbacks after the restart: "
                    + ownership.events("a").subList(eventsOfA, ownership.events("a").size()));
            assertEquals(eventsOfB, ownership.events("b").size(), "b's rebalance callbacks after the restart: "
                    + ownership.events("b").subList(eventsOfB, ownership.events("b").size()));
            assertEquals(generation, a.generationId(), "a's generation after the restart");
            assertEquals(generation, b.generationId(), "b's generation after the restart");
        }
    }

    @Test
    void shouldResumeFromTheCommittedOffsetsWhenTheGroupRejoinsAfterARestart() throws Exception {
        String group = "archive";
        try (var tester = BrokerTester.start(dataDir, Map.of("group.initial.rebalance.delay.ms", "0"));
             var members = new GroupMembers()) {
            tester.createTopic(TOPIC, PARTITIONS);
            Map<String, Object> config = new HashMap<>();
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
            KafkaProducer<String, String> producer = tester.producer();
            Producing.sendEvenly(producer, TOPIC, PARTITIONS, 1_000, "before");
            DeliveryLedger before = new DeliveryLedger();
            GroupMember first = members.add(GroupMember.start("first", tester.consumer(config), List.of(TOPIC),
                    new PartitionOwnership(), before));
            Await.until(CONSUME_TIMEOUT, "the records before the restart processed",
                    () -> before.total() >= PARTITIONS * 1_000L);
            first.close();

            tester.restart();

            assertEquals(GroupState.EMPTY, tester.admin().describeConsumerGroups(List.of(group)).describedGroups()
                    .get(group).get(30, TimeUnit.SECONDS).groupState(), "state of the group after the restart");
            Producing.sendEvenly(producer, TOPIC, PARTITIONS, 1_000, "after");
            DeliveryLedger after = new DeliveryLedger();
            members.add(GroupMember.start("second", tester.consumer(config), List.of(TOPIC),
                    new PartitionOwnership(), after));
            Await.until(CONSUME_TIMEOUT, "the records after the restart processed",
                    () -> after.total() >= PARTITIONS * 1_000L);
            members.close();

            Map<TopicPartition, Long> ends = tester.consumer().endOffsets(TopicPartitions.of(TOPIC, PARTITIONS));
            Map<TopicPartition, Long> restartPoint = ends.keySet().stream()
                    .collect(Collectors.toMap(partition -> partition, partition -> 1_000L));
            assertEquals(List.of(), after.departuresFromExactlyOnce(restartPoint, ends),
                    "records processed after the restart other than once");
            assertEquals(PARTITIONS * 1_000L, after.total(), "records processed after the restart");
            assertEquals(ends, GroupOffsets.committed(tester.admin(), group), "committed offsets");
        }
    }
}
