package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.it.fixture.Await;
import dev.ferry.it.fixture.BrokerTester;
import dev.ferry.it.fixture.DeliveryLedger;
import dev.ferry.it.fixture.ForkedGroupMember;
import dev.ferry.it.fixture.GroupMember;
import dev.ferry.it.fixture.GroupMembers;
import dev.ferry.it.fixture.PartitionOwnership;
import dev.ferry.it.fixture.Producing;
import dev.ferry.it.fixture.TopicPartitions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What happens to a member's partitions when it goes away: a member that closes leaves the group at once and the
 * others take its partitions over; a member that is killed keeps them until the coordinator expires it after its
 * session timeout, and then they move.
 */
@Timeout(120)
class GroupMembershipFailoverIT {

    private static final String TOPIC = "payments";
    private static final int PARTITIONS = 6;
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONSUME_TIMEOUT = Duration.ofSeconds(30);
    /** The consumers' session timeout in the kill test; the broker's minimum is lowered to allow it. */
    private static final int SESSION_TIMEOUT_MS = 3_000;
    private static final int HEARTBEAT_INTERVAL_MS = 500;

    @TempDir
    Path dataDir;

    @Test
    void shouldHandAClosedMembersPartitionsToTheOthersWithoutWaitingForItsSession() throws Exception {
        String group = "closing";
        // long enough that a takeover within the wait below can only come from the member leaving
        int sessionTimeoutMs = 45_000;
        Duration takeoverTimeout = Duration.ofSeconds(15);
        try (var tester = BrokerTester.start(dataDir, Map.of("group.initial.rebalance.delay.ms", "0"));
             var members = new GroupMembers()) {
            tester.createTopic(TOPIC, PARTITIONS);
            PartitionOwnership ownership = new PartitionOwnership();
            DeliveryLedger ledger = new DeliveryLedger();
            Map<String, Object> config = memberConfig(group, sessionTimeoutMs, 3_000);
            GroupMember a = members.add(GroupMember.start("a", tester.consumer(config), List.of(TOPIC), ownership,
                    ledger));
            GroupMember b = members.add(GroupMember.start("b", tester.consumer(config), List.of(TOPIC), ownership,
                    ledger));
            GroupMember c = members.add(GroupMember.start("c", tester.consumer(config), List.of(TOPIC), ownership,
                    ledger));
            Await.until(JOIN_TIMEOUT, "a, b and c own two partitions each", () -> a.assignment().size() == 2
                    && b.assignment().size() == 2 && c.assignment().size() == 2);
            Set<TopicPartition> ofC = c.assignment();
            Producing.sendEvenly(tester.producer(), TOPIC, PARTITIONS, 500, "before");
            Await.until(CONSUME_TIMEOUT, "the first records processed", () -> ledger.total() >= PARTITIONS * 500);

            c.close();
            Await.until(takeoverTimeout, "a and b own three partitions each, well before c's session could expire",
                    () -> a.assignment().size() == 3 && b.assignment().size() == 3);

            assertEquals(Set.copyOf(TopicPartitions.of(TOPIC, PARTITIONS)), disjointUnion(a, b), "partitions owned");
            assertTrue(union(a, b).containsAll(ofC), "c's partitions " + ofC + " moved to a and b");
            assertEquals(List.of(), ownership.conflicts(), "partitions owned by two members at once");
            Producing.sendEvenly(tester.producer(), TOPIC, PARTITIONS, 500, "after");
            Await.until(CONSUME_TIMEOUT, "every record processed", () -> ledger.total() >= PARTITIONS * 1_000);
            members.close();
            Map<TopicPartition, Long> ends = tester.consumer().endOffsets(TopicPartitions.of(TOPIC, PARTITIONS));
            assertEquals(List.of(), ledger.departuresFromExactlyOnce(ends), "records processed other than once");
            for (TopicPartition partition : ofC) {
                assertTrue(ledger.partitionsProcessedBy("a").contains(partition)
                        || ledger.partitionsProcessedBy("b").contains(partition),
                        "records of " + partition + " processed by a or b after c left");
            }
        }
    }

    @Test
    void shouldMoveAKilledMembersPartitionsOnlyOnceItsSessionExpired(@TempDir Path forkedLogs) throws Exception {
        String group = "crashing";
        Map<String, String> brokerSettings = Map.of(
                "group.initial.rebalance.delay.ms", "0",
                "group.min.session.timeout.ms", "1000");
        try (var tester = BrokerTester.start(dataDir, brokerSettings);
             var members = new GroupMembers()) {
            tester.createTopic(TOPIC, PARTITIONS);
            PartitionOwnership ownership = new PartitionOwnership();
            DeliveryLedger ledger = new DeliveryLedger();
            Map<String, Object> config = memberConfig(group, SESSION_TIMEOUT_MS, HEARTBEAT_INTERVAL_MS);
            GroupMember a = members.add(GroupMember.start("a", tester.consumer(config), List.of(TOPIC), ownership,
                    ledger));
            GroupMember b = members.add(GroupMember.start("b", tester.consumer(config), List.of(TOPIC), ownership,
                    ledger));
            Map<String, String> forkedConfig = new HashMap<>();
            config.forEach((name, value) -> forkedConfig.put(name, value.toString()));
            try (var forked = ForkedGroupMember.start(tester.bootstrapServers(), group, TOPIC, forkedConfig,
                    forkedLogs.resolve("forked-member.stderr"))) {
                Await.until(JOIN_TIMEOUT, "a, b and the forked member own two partitions each",
                        () -> forked.owned().size() == 2 && a.assignment().size() == 2
                                && b.assignment().size() == 2);
                Set<TopicPartition> ofForked = new HashSet<>();
                forked.owned().forEach(partition -> ofForked.add(new TopicPartition(TOPIC, partition)));
                assertEquals(Set.copyOf(TopicPartitions.of(TOPIC, PARTITIONS)), disjointUnion(a, b, ofForked),
                        "partitions owned before the kill");

                long killedAt = System.nanoTime();
                forked.kill();
                Await.until(Duration.ofMillis(SESSION_TIMEOUT_MS).plus(JOIN_TIMEOUT),
                        "a and b own three partitions each", () -> a.assignment().size() == 3
                                && b.assignment().size() == 3);
                long takeoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);

                // the member's last heartbeat was at most one interval before the kill, so its session cannot expire
                // sooner than the session timeout less that interval; half the session timeout leaves a margin, and
                // a takeover before it means the broker dropped the member for its closed connection
                long earliestExpiryMs = SESSION_TIMEOUT_MS / 2;
                assertTrue(takeoverMs >= earliestExpiryMs, "partitions moved " + takeoverMs
                        + " ms after the kill, before the " + SESSION_TIMEOUT_MS + " ms session could expire");
                assertEquals(Set.copyOf(TopicPartitions.of(TOPIC, PARTITIONS)), disjointUnion(a, b),
                        "partitions owned after the expiry");
                assertTrue(union(a, b).containsAll(ofForked), "the killed member's " + ofForked + " moved");
            }

            Producing.sendEvenly(tester.producer(), TOPIC, PARTITIONS, 100, "after");
            Await.until(CONSUME_TIMEOUT, "every record processed", () -> ledger.total() >= PARTITIONS * 100);
            members.close();
            Map<TopicPartition, Long> ends = tester.consumer().endOffsets(TopicPartitions.of(TOPIC, PARTITIONS));
            assertEquals(List.of(), ledger.departuresFromExactlyOnce(ends), "records processed other than once");
            assertEquals(List.of(), ownership.conflicts(), "partitions owned by two members at once");
        }
    }

    private static Map<String, Object> memberConfig(String group, int sessionTimeoutMs, int heartbeatIntervalMs) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, sessionTimeoutMs);
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, heartbeatIntervalMs);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return config;
    }

    private static Set<TopicPartition> union(GroupMember... members) {
        Set<TopicPartition> all = new HashSet<>();
        for (GroupMember member : members) {
            all.addAll(member.assignment());
        }
        return all;
    }

    private static Set<TopicPartition> disjointUnion(GroupMember a, GroupMember b) {
        return disjointUnion(a, b, Set.of());
    }

    /** The union of the members' assignments and {@code others}, failing if any two of them share a partition. */
    private static Set<TopicPartition> disjointUnion(GroupMember a, GroupMember b, Set<TopicPartition> others) {
        Set<TopicPartition> all = new HashSet<>();
        for (Set<TopicPartition> owned : List.of(a.assignment(), b.assignment(), others)) {
            for (TopicPartition partition : owned) {
                assertTrue(all.add(partition), partition + " owned twice: a=" + a.assignment() + " b="
                        + b.assignment() + " others=" + others);
            }
        }
        return all;
    }
}
