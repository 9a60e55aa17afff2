package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.DeleteConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListConsumerGroupsOptions;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.GroupSubscribedToTopicException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Administering classic consumer groups with Kafka's admin client: listing and filtering them, describing their
 * members, and changing or deleting their offsets, which Kafka allows only while no member could be using them.
 * The tests share one broker; each works on groups and topics of its own, named after it.
 */
@Timeout(90)
class GroupAdminIT {

    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONSUME_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STATE_TIMEOUT = Duration.ofSeconds(15);

    @TempDir
    static Path dataDir;

    private static BrokerTester tester;
    private static Admin admin;

    @BeforeAll
    static void startBroker() {
        tester = BrokerTester.start(dataDir, Map.of("group.initial.rebalance.delay.ms", "0"));
        admin = tester.admin();
    }

    @AfterAll
    static void stopBroker() {
        if (tester != null) {
            tester.close();
        }
    }

    @Test
    @SuppressWarnings("deprecation") // listConsumerGroups is deprecated for listGroups, but applications still call it
    void shouldListGroupsWithTheirTypeStateAndProtocolAndFilterThemByStateAndType() throws Exception {
        String topic = "listing";
        tester.createTopic(topic, 2);
        Producing.sendEvenly(tester.producer(), topic, 2, 10, "listed");
        try (var members = new GroupMembers()) {
            DeliveryLedger emptiedLedger = new DeliveryLedger();
            GroupMember leaving = members.add(member("listing-empty", "leaving", topic, emptiedLedger));
            Await.until(CONSUME_TIMEOUT, "listing-empty processed its records", () -> emptiedLedger.total() == 20);
            leaving.close();
            GroupMember staying = members.add(member("listing-active", "staying", topic, new DeliveryLedger()));
            Await.until(JOIN_TIMEOUT, "listing-active has its member", () -> staying.assignment().size() == 2);
            awaitState("listing-empty", GroupState.EMPTY);

            Map<String, String> all = listingGroups(ListGroupsOptions.forConsumerGroups());
            assertEquals(Map.of("listing-active", "CLASSIC/Stable/consumer", "listing-empty", "CLASSIC/Empty/consumer"),
                    all, "consumer groups listed");
            assertEquals(Map.of("listing-active", "CLASSIC/Stable/consumer"), listingGroups(
                    ListGroupsOptions.forConsumerGroups().inGroupStates(Set.of(GroupState.STABLE))),
                    "groups in state Stable");
            assertEquals(Map.of("listing-empty", "CLASSIC/Empty/consumer"), listingGroups(
                    ListGroupsOptions.forConsumerGroups().inGroupStates(Set.of(GroupState.EMPTY))),
                    "groups in state Empty");
            assertEquals(all, listingGroups(ListGroupsOptions.forConsumerGroups()
                    .withTypes(Set.of(GroupType.CLASSIC))), "classic groups");
            assertEquals(Map.of(), listingGroups(ListGroupsOptions.forConsumerGroups()
                    .withTypes(Set.of(GroupType.CONSUMER))), "groups of the consumer protocol");
            assertEquals(all, listingGroups(new ListGroupsOptions()), "groups of any type");

            Collection<ConsumerGroupListing> stable = admin.listConsumerGroups(new ListConsumerGroupsOptions()
                    .inGroupStates(Set.of(GroupState.STABLE))).all().get();
            List<ConsumerGroupListing> stableHere = stable.stream()
                    .filter(listing -> listing.groupId().startsWith("listing-")).toList();
            assertEquals(List.of("listing-active"), stableHere.stream().map(ConsumerGroupListing::groupId).toList(),
                    "listConsumerGroups in state Stable");
            assertEquals(Optional.of(GroupState.STABLE), stableHere.get(0).groupState(), "its state");
            assertEquals(Optional.of(GroupType.CLASSIC), stableHere.get(0).type(), "its type");
            assertFalse(stableHere.get(0).isSimpleConsumerGroup(), "a group with members is not simple");
        }
    }

    @Test
    void shouldDescribeAStableGroupWithItsMembersTheirAssignmentsAndItsCoordinator() throws Exception {
        String topic = "described";
        String group = "described-group";
        tester.createTopic(topic, 4);
        try (var members = new GroupMembers()) {
            GroupMember a = members.add(member(group, "a", topic, new DeliveryLedger()));
            GroupMember b = members.add(member(group, "b", topic, new DeliveryLedger()));
            Await.until(JOIN_TIMEOUT, "a and b own two partitions each",
                    () -> a.assignment().size() == 2 && b.assignment().size() == 2);

            ConsumerGroupDescription description = describe(group);
            Node broker = admin.describeCluster().nodes().get().iterator().next();
            assertEquals(group, description.groupId(), "group id");
            assertFalse(description.isSimpleConsumerGroup(), "simple");
            assertEquals(GroupType.CLASSIC, description.type(), "type");
            assertEquals(GroupState.STABLE, description.groupState(), "state");
            assertEquals("range", description.partitionAssignor(), "partition assignor");
            assertEquals(broker.id(), description.coordinator().id(), "coordinator id");
            assertEquals(tester.port(), description.coordinator().port(), "coordinator port");
            Map<String, MemberDescription> byMemberId = description.members().stream()
                    .collect(Collectors.toMap(MemberDescription::consumerId, member -> member));
            assertEquals(Set.of(a.memberId(), b.memberId()), byMemberId.keySet(), "member ids");
            for (GroupMember member : List.of(a, b)) {
                MemberDescription described = byMemberId.get(member.memberId());
                assertEquals("client-" + member.name(), described.clientId(), "client id of " + member.name());
                assertTrue(described.host().contains("127.0.0.1"), "host of " + member.name() + ": "
                        + described.host());
                assertEquals(Optional.empty(), described.groupInstanceId(), "instance id");
                assertEquals(TopicPartitions.sorted(member.assignment()),
                        TopicPartitions.sorted(described.assignment().topicPartitions()),
                        "assignment of " + member.name());
            }
        }
    }

    @Test
    void shouldListTheCommittedOffsetsOfAGroupOrOfSomeOfItsPartitions() throws Exception {
        String topic = "ledgered";
        String group = "ledgered-group";
        tester.createTopic(topic, 3);
        Producing.sendEvenly(tester.producer(), topic, 3, 100, "entry");
        try (var members = new GroupMembers()) {
            DeliveryLedger ledger = new DeliveryLedger();
            members.add(member(group, "reader", topic, ledger));
            Await.until(CONSUME_TIMEOUT, "every record processed", () -> ledger.total() == 300);

            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            assertEquals(Map.of(partition(topic, 0), 100L, partition(topic, 1), 100L, partition(topic, 2), 100L),
                    offsets(committed), "committed offsets");
            committed.forEach((partition, offset) -> assertEquals("", offset.metadata(), "metadata of " + partition));

            Map<TopicPartition, OffsetAndMetadata> some = admin.listConsumerGroupOffsets(Map.of(group,
                    new ListConsumerGroupOffsetsSpec().topicPartitions(List.of(partition(topic, 1)))))
                    .partitionsToOffsetAndMetadata(group).get();
            assertEquals(Map.of(partition(topic, 1), 100L), offsets(some), "offsets of partition 1 alone");
        }
    }

    @Test
    void shouldAlterTheOffsetsOfAGroupOnlyOnceItIsEmpty() throws Exception {
        String topic = "alterable";
        String group = "altered-group";
        tester.createTopic(topic, 2);
        Producing.sendEvenly(tester.producer(), topic, 2, 100, "entry");
        TopicPartition zero = partition(topic, 0);
        TopicPartition one = partition(topic, 1);
        Map<TopicPartition, OffsetAndMetadata> rewound = Map.of(zero, new OffsetAndMetadata(10),
                one, new OffsetAndMetadata(20));
        try (var members = new GroupMembers()) {
            DeliveryLedger ledger = new DeliveryLedger();
            GroupMember reader = members.add(member(group, "reader", topic, ledger));
            Await.until(CONSUME_TIMEOUT, "every record processed", () -> ledger.total() == 200);

            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> admin.alterConsumerGroupOffsets(group, rewound).all().get());
            assertInstanceOf(UnknownMemberIdException.class, refused.getCause(), "altering an active group");
            assertEquals(Map.of(zero, 100L, one, 100L), committedOffsets(group), "offsets after the refusal");

            reader.close();
            awaitState(group, GroupState.EMPTY);
            admin.alterConsumerGroupOffsets(group, rewound).all().get();
            assertEquals(Map.of(zero, 10L, one, 20L), committedOffsets(group), "offsets after altering");

            DeliveryLedger again = new DeliveryLedger();
            members.add(member(group, "rereader", topic, again));
            Await.until(CONSUME_TIMEOUT, "the records after the new offsets processed", () -> again.total() == 170);
            assertEquals(Map.of(zero, 10L, one, 20L), again.firstOffsets(), "where the next member started");
            assertEquals(List.of(), again.departuresFromExactlyOnce(Map.of(zero, 10L, one, 20L),
                    Map.of(zero, 100L, one, 100L)), "records processed other than once");
        }
    }

    @Test
    void shouldDeleteTheOffsetsOfATopicOnlyWhileNoMemberIsSubscribedToIt() throws Exception {
        String topic = "prunable";
        String retiredTopic = "prunable-retired";
        String group = "pruned-group";
        tester.createTopic(topic, 2);
        tester.createTopic(retiredTopic, 1);
        Producing.sendEvenly(tester.producer(), topic, 2, 50, "entry");
        TopicPartition zero = partition(topic, 0);
        TopicPartition one = partition(topic, 1);
        TopicPartition retired = partition(retiredTopic, 0);
        // an offset of a topic the group's members will not subscribe to, committed while the group had no members
        KafkaConsumer<String, String> committer = tester.consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG, group));
        committer.commitSync(Map.of(retired, new OffsetAndMetadata(0)));
        committer.close();
        try (var members = new GroupMembers()) {
            DeliveryLedger ledger = new DeliveryLedger();
            GroupMember reader = members.add(member(group, "reader", topic, ledger));
            Await.until(CONSUME_TIMEOUT, "every record processed", () -> ledger.total() == 100);

            DeleteConsumerGroupOffsetsResult refused = admin.deleteConsumerGroupOffsets(group, Set.of(zero));
            assertCause(GroupSubscribedToTopicException.class, refused.partitionResult(zero),
                    "deleting offsets of a subscribed topic");
            assertCause(GroupSubscribedToTopicException.class, refused.all(), "the whole deletion");
            assertEquals(Map.of(zero, 50L, one, 50L, retired, 0L), committedOffsets(group),
                    "offsets after the refusal");

            admin.deleteConsumerGroupOffsets(group, Set.of(retired)).all().get();
            assertEquals(Map.of(zero, 50L, one, 50L), committedOffsets(group),
                    "offsets after deleting those of a topic no member subscribes to");

            reader.close();
            awaitState(group, GroupState.EMPTY);
            DeleteConsumerGroupOffsetsResult deleted = admin.deleteConsumerGroupOffsets(group, Set.of(zero));
            deleted.partitionResult(zero).get();
            deleted.all().get();
            assertEquals(Map.of(one, 50L), committedOffsets(group), "offsets after deleting partition 0's");
        }
    }

    @Test
    void shouldDeleteAGroupOnlyOnceItIsEmptyAndItsOffsetsWithIt() throws Exception {
        String topic = "deletable";
        String group = "doomed-group";
        tester.createTopic(topic, 2);
        Producing.sendEvenly(tester.producer(), topic, 2, 50, "entry");
        try (var members = new GroupMembers()) {
            DeliveryLedger ledger = new DeliveryLedger();
            GroupMember reader = members.add(member(group, "reader", topic, ledger));
            Await.until(CONSUME_TIMEOUT, "every record processed", () -> ledger.total() == 100);

            assertCause(GroupNotEmptyException.class, admin.deleteConsumerGroups(List.of(group)).all(),
                    "deleting a group with a member");
            assertCause(GroupIdNotFoundException.class,
                    admin.deleteConsumerGroups(List.of("never-existed")).deletedGroups().get("never-existed"),
                    "deleting a group that does not exist");
            assertEquals(2, committedOffsets(group).size(), "offsets after the refusal");

            reader.close();
            awaitState(group, GroupState.EMPTY);
            admin.deleteConsumerGroups(List.of(group)).all().get();

            assertEquals(Map.of(), listed(admin.listGroups().all().get(), group), "the group is listed no more");
            assertEquals(Map.of(), committedOffsets(group), "offsets of the deleted group");
        }
    }

    private static GroupMember member(String group, String name, String topic, DeliveryLedger ledger) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "client-" + name);
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        return GroupMember.start(name, tester.consumer(config), List.of(topic), new PartitionOwnership(), ledger);
    }

    private static ConsumerGroupDescription describe(String group) throws Exception {
        return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(30, TimeUnit.SECONDS);
    }

    private static void awaitState(String group, GroupState state) {
        Await.until(STATE_TIMEOUT, group + " is " + state, () -> {
            try {
                return describe(group).groupState() == state;
            } catch (Exception e) {
                throw new AssertionError("Cannot describe " + group, e);
            }
        });
    }

    /** The groups of the listing test that {@code options} list. */
    private static Map<String, String> listingGroups(ListGroupsOptions options) throws Exception {
        return listed(admin.listGroups(options).all().get(), "listing-");
    }

    /** The listed groups whose ids start with {@code prefix}, as {@code TYPE/State/protocol type}. */
    private static Map<String, String> listed(Collection<GroupListing> listings, String prefix) {
        return listings.stream()
                .filter(listing -> listing.groupId().startsWith(prefix))
                .collect(Collectors.toMap(GroupListing::groupId, listing -> listing.type().map(Enum::name)
                        .orElse("?") + "/" + listing.groupState().map(GroupState::toString).orElse("?") + "/"
                        + listing.protocol()));
    }

    private static Map<TopicPartition, Long> committedOffsets(String group) throws Exception {
        return GroupOffsets.committed(admin, group);
    }

    private static Map<TopicPartition, Long> offsets(Map<TopicPartition, OffsetAndMetadata> committed) {
        return committed.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset()));
    }

    private static TopicPartition partition(String topic, int index) {
        return new TopicPartition(topic, index);
    }

    private static void assertCause(Class<? extends Throwable> expected, KafkaFuture<?> future, String what) {
        ExecutionException failed = assertThrows(ExecutionException.class, future::get, what + " succeeded");
        assertInstanceOf(expected, failed.getCause(), what);
    }
}
