package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.ferry.it.fixture.Await;
import dev.ferry.it.fixture.BrokerTester;
import dev.ferry.it.fixture.DeliveryLedger;
import dev.ferry.it.fixture.GroupMember;
import dev.ferry.it.fixture.GroupMembers;
import dev.ferry.it.fixture.PartitionOwnership;
import dev.ferry.it.fixture.Producing;
import dev.ferry.it.fixture.TopicPartitions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Static membership ({@code group.instance.id}): a static member that closes does not leave the group, and when it
 * comes back within its session timeout it takes its old place and partitions without a rebalance, so that the
 * other members never notice.
 */
@Timeout(90)
class StaticMembershipIT {

    private static final String TOPIC = "telemetry";
    private static final String GROUP = "dashboards";
    private static final int PARTITIONS = 6;
    private static final int SESSION_TIMEOUT_MS = 10_000;
    private static final int HEARTBEAT_INTERVAL_MS = 500;
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONSUME_TIMEOUT = Duration.ofSeconds(30);
    /**
     * How long the other members keep polling after the bounce before the test concludes they saw no rebalance:
     * several heartbeat intervals, each of which would have told them of one.
     */
    private static final Duration QUIET_PERIOD = Duration.ofMillis(4L * HEARTBEAT_INTERVAL_MS);

    @TempDir
    Path dataDir;

    @Test
    void shouldGiveARestartedStaticMemberItsPartitionsBackWithoutRebalancingTheOthers() throws Exception {
        try (var tester = BrokerTester.start(dataDir, Map.of("group.initial.rebalance.delay.ms", "0"));
             var members = new GroupMembers()) {
            tester.createTopic(TOPIC, PARTITIONS);
            PartitionOwnership ownership = new PartitionOwnership();
            DeliveryLedger ledger = new DeliveryLedger();
            // a joins alone first, so that it leads the group and the member that restarts is a follower
            GroupMember a = members.add(start(tester, "a", ownership, ledger));
            Await.until(JOIN_TIMEOUT, "a owns every partition", () -> a.assignment().size() == PARTITIONS);
            GroupMember b = members.add(start(tester, "b", ownership, ledger));
            GroupMember c = members.add(start(tester, "c", ownership, ledger));
            Await.until(JOIN_TIMEOUT, "a, b and c own two partitions each", () -> a.assignment().size() == 2
                    && b.assignment().size() == 2 && c.assignment().size() == 2);
            Producing.sendEvenly(tester.producer(), TOPIC, PARTITIONS, 500, "before");
            Await.until(CONSUME_TIMEOUT, "the first records processed", () -> ledger.total() >= PARTITIONS * 500);

            Set<TopicPartition> ofA = a.assignment();
            Set<TopicPartition> ofB = b.assignment();
            Set<TopicPartition> ofC = c.assignment();
            int generation = a.generationId();
            int eventsOfA = ownership.events("a").size();
            int eventsOfB = ownership.events("b").size();
            String firstMemberIdOfC = c.memberId();

            c.close();
            ConsumerGroupDescription whileAway = describe(tester);
            assertEquals(GroupState.STABLE, whileAway.groupState(), "state while c is away");
            assertEquals(Map.of("instance-a", a.memberId(), "instance-b", b.memberId(), "instance-c",
                    firstMemberIdOfC), memberIdsByInstance(whileAway), "members while c is away");

            GroupMember cAgain = members.add(start(tester, "c-again", "instance-c", ownership, ledger));
            Await.until(JOIN_TIMEOUT, "c is back", () -> !cAgain.assignment().isEmpty());
            assertEquals(TopicPartitions.sorted(ofC), TopicPartitions.sorted(cAgain.assignment()),
                    "partitions of the restarted member");
            assertEquals(generation, cAgain.generationId(), "the restarted member joins the same generation");
            Producing.sendEvenly(tester.producer(), TOPIC, PARTITIONS, 500, "after");
            Await.until(CONSUME_TIMEOUT, "every record processed", () -> ledger.total() >= PARTITIONS * 1_000);
            // the absence of a rebalance can only be seen by giving one the time to show
            LockSupport.parkNanos(QUIET_PERIOD.toNanos());

            assertEquals(eventsOfA, ownership.events("a").size(), "a's rebalance callbacks after the bounce: "
                    + ownership.events("a").subList(eventsOfA, ownership.events("a").size()));
            assertEquals(eventsOfB, ownership.events("b").size(), "b's rebalance callbacks after the bounce: "
                    + ownership.events("b").subList(eventsOfB, ownership.events("b").size()));
            assertEquals(ofA, a.assignment(), "a's partitions");
            assertEquals(ofB, b.assignment(), "b's partitions");
            assertEquals(generation, a.generationId(), "a's generation");
            assertEquals(generation, b.generationId(), "b's generation");

            ConsumerGroupDescription afterBounce = describe(tester);
            Map<String, String> memberIds = memberIdsByInstance(afterBounce);
            assertEquals(Set.of("instance-a", "instance-b", "instance-c"), memberIds.keySet(), "static members");
            assertEquals(cAgain.memberId(), memberIds.get("instance-c"), "member id of instance-c");
            assertNotEquals(firstMemberIdOfC, cAgain.memberId(), "the restarted member has a new member id");
            assertEquals(GroupState.STABLE, afterBounce.groupState(), "state after the bounce");

            members.close();
            Map<TopicPartition, Long> ends = tester.consumer().endOffsets(TopicPartitions.of(TOPIC, PARTITIONS));
            assertEquals(List.of(), ledger.departuresFromExactlyOnce(ends), "records processed other than once");
            assertEquals(TopicPartitions.sorted(ofC), ledger.partitionsProcessedBy("c-again"),
                    "partitions the restarted member processed");
            assertEquals(List.of(), ownership.conflicts(), "partitions owned by two members at once");
        }
    }

    private static GroupMember start(BrokerTester tester, String name, PartitionOwnership ownership,
                                     DeliveryLedger ledger) {
        return start(tester, name, "instance-" + name, ownership, ledger);
    }

    private static GroupMember start(BrokerTester tester, String name, String instanceId,
                                     PartitionOwnership ownership, DeliveryLedger ledger) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, HEARTBEAT_INTERVAL_MS);
        return GroupMember.start(name, tester.consumer(config), List.of(TOPIC), ownership, ledger);
    }

    private static ConsumerGroupDescription describe(BrokerTester tester) throws Exception {
        return tester.admin().describeConsumerGroups(List.of(GROUP)).describedGroups().get(GROUP)
                .get(30, TimeUnit.SECONDS);
    }

    private static Map<String, String> memberIdsByInstance(ConsumerGroupDescription description) {
        return description.members().stream().collect(Collectors.toMap(
                member -> member.groupInstanceId().orElse("(none)"), MemberDescription::consumerId));
    }
}
