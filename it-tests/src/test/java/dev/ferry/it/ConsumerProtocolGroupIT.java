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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consumer groups of the KIP-848 protocol ({@code group.protocol=consumer}): the coordinator assigns the partitions
 * itself and hands them out through ConsumerGroupHeartbeat. Such a group splits a topic among its members, commits
 * as a classic group does, is described with type CONSUMER, and lives beside classic groups on the same topic.
 */
@Timeout(90)
class ConsumerProtocolGroupIT {

    private static final String TOPIC = "shipments";
    private static final int PARTITIONS = 4;
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONSUME_TIMEOUT = Duration.ofSeconds(30);
    /** Short, so that members learn of assignment changes quickly: they do so on their next heartbeat. */
    private static final Map<String, String> BROKER_SETTINGS = Map.of(
            "group.initial.rebalance.delay.ms", "0",
            "group.consumer.heartbeat.interval.ms", "500");

    @TempDir
    Path dataDir;

    @Test
    void shouldSplitATopicBetweenTwoMembersAndProcessEveryRecordOnce() throws Exception {
        String group = "dispatch";
        try (var tester = BrokerTester.start(dataDir, BROKER_SETTINGS);
             var members = new GroupMembers()) {
            tester.createTopic(TOPIC, PARTITIONS);
            PartitionOwnership ownership = new PartitionOwnership();
            DeliveryLedger ledger = new DeliveryLedger();
            GroupMember a = members.add(GroupMember.start("a", tester.consumer(consumerProtocol(group)),
                    List.of(TOPIC), ownership, ledger));
            GroupMember b = members.add(GroupMember.start("b", tester.consumer(consumerProtocol(group)),
                    List.of(TOPIC), ownership, ledger));
            Await.until(JOIN_TIMEOUT, "a and b own two partitions each",
                    () -> a.assignment().size() == 2 && b.assignment().size() == 2);
            Set<TopicPartition> both = new HashSet<>(a.assignment());
            both.addAll(b.assignment());
            assertEquals(Set.copyOf(TopicPartitions.of(TOPIC, PARTITIONS)), both,
                    "a=" + a.assignment() + " b=" + b.assignment() + " together");

            Producing.sendEvenly(tester.producer(), TOPIC, PARTITIONS, 2_000, "parcel");
            Await.until(CONSUME_TIMEOUT, "every record processed", () -> ledger.total() >= PARTITIONS * 2_000);

            ConsumerGroupDescription description = tester.admin().describeConsumerGroups(List.of(group))
                    .describedGroups().get(group).get(30, TimeUnit.SECONDS);
            assertEquals(GroupType.CONSUMER, description.type(), "type");
            assertEquals(GroupState.STABLE, description.groupState(), "state");
            assertEquals("uniform", description.partitionAssignor(), "the broker's default assignor");
            assertTrue(description.groupEpoch().isPresent(), "group epoch present");
            Map<String, MemberDescription> byMemberId = description.members().stream()
                    .collect(Collectors.toMap(MemberDescription::consumerId, member -> member));
            assertEquals(Set.of(a.memberId(), b.memberId()), byMemberId.keySet(), "member ids");
            for (GroupMember member : List.of(a, b)) {
                MemberDescription described = byMemberId.get(member.memberId());
                assertEquals(TopicPartitions.sorted(member.assignment()),
                        TopicPartitions.sorted(described.assignment().topicPartitions()),
                        "assignment of " + member.name());
                assertEquals(description.groupEpoch(), described.memberEpoch(), "epoch of " + member.name());
            }
            members.close();

            Map<TopicPartition, Long> ends = tester.consumer().endOffsets(TopicPartitions.of(TOPIC, PARTITIONS));
            assertEquals(List.of(), ledger.departuresFromExactlyOnce(ends), "records processed other than once");
            assertEquals(ends, GroupOffsets.committed(tester.admin(), group), "committed offsets");
            assertEquals(List.of(), ownership.conflicts(), "partitions owned by two members at once");
        }
    }

    @Test
    void shouldLetAClassicGroupAndAConsumerGroupEachReadEveryRecordOfTheSameTopic() throws Exception {
        String classic = "classic-readers";
        String modern = "modern-readers";
        try (var tester = BrokerTester.start(dataDir, BROKER_SETTINGS);
             var members = new GroupMembers()) {
            tester.createTopic(TOPIC, PARTITIONS);
            DeliveryLedger classicLedger = new DeliveryLedger();
            DeliveryLedger modernLedger = new DeliveryLedger();
            PartitionOwnership classicOwnership = new PartitionOwnership();
            PartitionOwnership modernOwnership = new PartitionOwnership();
            Map<String, Object> classicConfig = new HashMap<>();
            classicConfig.put(ConsumerConfig.GROUP_ID_CONFIG, classic);
            classicConfig.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
            List<GroupMember> all = List.of(
                    members.add(GroupMember.start("classic-a", tester.consumer(classicConfig), List.of(TOPIC),
                            classicOwnership, classicLedger)),
                    members.add(GroupMember.start("classic-b", tester.consumer(classicConfig), List.of(TOPIC),
                            classicOwnership, classicLedger)),
                    members.add(GroupMember.start("modern-a", tester.consumer(consumerProtocol(modern)),
                            List.of(TOPIC), modernOwnership, modernLedger)),
                    members.add(GroupMember.start("modern-b", tester.consumer(consumerProtocol(modern)),
                            List.of(TOPIC), modernOwnership, modernLedger)));
            Await.until(JOIN_TIMEOUT, "every member owns two partitions",
                    () -> all.stream().allMatch(member -> member.assignment().size() == 2));

            Producing.sendEvenly(tester.producer(), TOPIC, PARTITIONS, 1_000, "parcel");
            long total = PARTITIONS * 1_000L;
            Await.until(CONSUME_TIMEOUT, "both groups processed every record",
                    () -> classicLedger.total() >= total && modernLedger.total() >= total);

            Map<String, GroupType> types = tester.admin().listGroups(ListGroupsOptions.forConsumerGroups()).all()
                    .get().stream()
                    .collect(Collectors.toMap(GroupListing::groupId, listing -> listing.type().orElseThrow()));
            assertEquals(Map.of(classic, GroupType.CLASSIC, modern, GroupType.CONSUMER), types, "groups listed");
            members.close();

            Map<TopicPartition, Long> ends = tester.consumer().endOffsets(TopicPartitions.of(TOPIC, PARTITIONS));
            assertEquals(List.of(), classicLedger.departuresFromExactlyOnce(ends), "classic group: records "
                    + "processed other than once");
            assertEquals(List.of(), modernLedger.departuresFromExactlyOnce(ends), "consumer group: records "
                    + "processed other than once");
            assertEquals(ends, GroupOffsets.committed(tester.admin(), classic), "offsets of the classic group");
            assertEquals(ends, GroupOffsets.committed(tester.admin(), modern), "offsets of the consumer group");
        }
    }

    private static Map<String, Object> consumerProtocol(String group) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        return config;
    }
}
