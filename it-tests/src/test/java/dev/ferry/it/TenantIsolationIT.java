package dev.ferry.it;

import static dev.ferry.it.fixture.Refusals.assertPollRefused;
import static dev.ferry.it.fixture.Refusals.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.it.fixture.BrokerTester;
import dev.ferry.it.fixture.ConsumerPolls;
import dev.ferry.it.fixture.GroupOffsets;
import dev.ferry.it.fixture.SegmentFiles;
import dev.ferry.it.fixture.TenantFixture;
import dev.ferry.it.fixture.TopicPartitions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two applications, {@code acme} and {@code globex}, on one broker in hosted mode, each authenticating with a key of
 * role ALL as its client id. Each produces to and consumes in a group from its own topics; acme then tries every API
 * that names a topic or group on globex's topic and group, and on names without any application prefix. Each attempt
 * gets the authorization error Kafka's ACLs would give, listings show acme only its own, and after each test
 * globex's records, committed offsets, partition count and topic config are exactly as before.
 */
@Timeout(60)
class TenantIsolationIT {

    private static final String ACME_TOPIC = "acme.orders";
    private static final String ACME_GROUP = "acme.billing";
    private static final String GLOBEX_TOPIC = "globex.orders";
    private static final String GLOBEX_GROUP = "globex.billing";
    private static final int GLOBEX_PARTITIONS = 2;
    private static final String UNPREFIXED_TOPIC = "plain";
    private static final String UNPREFIXED_GROUP = "plain-group";
    private static final int RECORDS = 40;
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @TempDir
    static Path dataDir;

    private static BrokerTester tester;
    private static String acmeKey;
    private static String globexKey;
    private static List<String> acmeConsumed;
    private static List<String> globexConsumed;
    private static GlobexState globexBefore;
    private static Admin acmeAdmin;

    @BeforeAll
    static void startBrokerWithTwoApplicationsUsingTheirOwnTopics() throws Exception {
        TenantFixture tenants = TenantFixture.open(dataDir);
        acmeKey = tenants.createApplication("acme");
        globexKey = tenants.createApplication("globex");
        tester = BrokerTester.start(dataDir, TenantFixture.tenantMode(Map.of("group.initial.rebalance.delay.ms", "0")));

        Admin globexAdmin = tester.admin(TenantFixture.clientId(globexKey));
        globexAdmin.createTopics(List.of(new NewTopic(GLOBEX_TOPIC, Optional.of(GLOBEX_PARTITIONS),
                Optional.empty()))).all().get();
        // acme's topic is auto-created by its first send
        acmeConsumed = produceAndConsumeInGroup(acmeKey, ACME_TOPIC, ACME_GROUP);
        globexConsumed = produceAndConsumeInGroup(globexKey, GLOBEX_TOPIC, GLOBEX_GROUP);
        globexBefore = GlobexState.read();
        acmeAdmin = tester.admin(TenantFixture.clientId(acmeKey));
    }

    @AfterAll
    static void stopBroker() {
        if (tester != null) {
            tester.close();
        }
    }

    @AfterEach
    void globexDataIsUnchanged() throws Exception {
        GlobexState after = GlobexState.read();
        assertEquals(globexBefore.records(), after.records(), "globex's records");
        assertEquals(globexBefore.committed(), after.committed(), "globex's committed offsets");
        assertEquals(globexBefore.partitions(), after.partitions(), "globex's partition count");
        assertEquals(globexBefore.retentionMs(), after.retentionMs(), "globex's retention.ms");
    }

    @Test
    void shouldLetEachApplicationProduceAndConsumeItsOwnTopicsInAGroup() {
        assertEquals(expectedValues(ACME_TOPIC), acmeConsumed);
        assertEquals(expectedValues(GLOBEX_TOPIC), globexConsumed);
        assertEquals(RECORDS, globexBefore.records().size());
        assertEquals(GLOBEX_PARTITIONS, globexBefore.partitions());
        assertEquals(RECORDS, globexBefore.committed().values().stream().mapToLong(Long::longValue).sum(),
                "globex committed the end of every partition");
    }

    @Test
    void shouldRefuseProducingToAnotherApplicationsTopic() {
        KafkaProducer<String, String> producer = tester.producer(acmeClient(Map.of(
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000)));

        assertRefused(TopicAuthorizationException.class,
                () -> producer.send(new ProducerRecord<>(GLOBEX_TOPIC, "intruder", "intruder")).get());
    }

    @Test
    void shouldRefuseFetchingFromAnotherApplicationsTopic() {
        KafkaConsumer<String, String> consumer = tester.consumer(acmeClient(Map.of()));
        consumer.assign(TopicPartitions.of(GLOBEX_TOPIC, GLOBEX_PARTITIONS));

        assertPollRefused(TopicAuthorizationException.class, consumer, TIMEOUT);
    }

    @Test
    void shouldRefuseTopicAdministrationOfAnotherApplicationsTopic() {
        TopicPartition globexPartition = new TopicPartition(GLOBEX_TOPIC, 0);
        ConfigResource globexConfig = new ConfigResource(ConfigResource.Type.TOPIC, GLOBEX_TOPIC);

        assertRefused(TopicAuthorizationException.class, () -> acmeAdmin.createTopics(List.of(
                new NewTopic("globex.new", Optional.of(1), Optional.empty()))).all().get());
        assertRefused(TopicAuthorizationException.class,
                () -> acmeAdmin.deleteTopics(List.of(GLOBEX_TOPIC)).all().get());
        assertRefused(TopicAuthorizationException.class,
                () -> acmeAdmin.describeTopics(List.of(GLOBEX_TOPIC)).allTopicNames().get());
        assertRefused(TopicAuthorizationException.class, () -> acmeAdmin.createPartitions(
                Map.of(GLOBEX_TOPIC, NewPartitions.increaseTo(GLOBEX_PARTITIONS + 2))).all().get());
        assertRefused(TopicAuthorizationException.class,
                () -> acmeAdmin.describeConfigs(List.of(globexConfig)).all().get());
        assertRefused(TopicAuthorizationException.class, () -> acmeAdmin.incrementalAlterConfigs(Map.of(globexConfig,
                List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "1"), AlterConfigOp.OpType.SET))))
                .all().get());
        assertRefused(TopicAuthorizationException.class, () -> acmeAdmin.deleteRecords(
                Map.of(globexPartition, RecordsToDelete.beforeOffset(RECORDS / 4))).all().get());
        assertRefused(TopicAuthorizationException.class,
                () -> acmeAdmin.listOffsets(Map.of(globexPartition, OffsetSpec.latest())).all().get());
        assertFalse(Files.exists(SegmentFiles.partitionDir(dataDir, "globex.new", 0)), "globex.new was created");
    }

    @Test
    void shouldListOnlyTheApplicationsOwnTopicsAndGroups() throws Exception {
        Set<String> topics = acmeAdmin.listTopics().names().get();
        List<String> groups = acmeAdmin.listGroups().all().get().stream().map(GroupListing::groupId).toList();

        assertTrue(topics.contains(ACME_TOPIC), "acme's own topic is listed: " + topics);
        assertEquals(Set.of(), topics.stream().filter(topic -> !topic.startsWith("acme.")).collect(Collectors.toSet()),
                "topics of others listed to acme");
        assertTrue(groups.contains(ACME_GROUP), "acme's own group is listed: " + groups);
        assertEquals(List.of(), groups.stream().filter(group -> !group.startsWith("acme.")).toList(),
                "groups of others listed to acme");
    }

    @Test
    @SuppressWarnings("deprecation") // listConsumerGroups is deprecated for listGroups, but applications still call it
    void shouldListOnlyTheApplicationsOwnConsumerGroups() throws Exception {
        List<String> groups = acmeAdmin.listConsumerGroups().all().get().stream()
                .map(listing -> listing.groupId()).toList();

        assertTrue(groups.contains(ACME_GROUP), "acme's own group is listed: " + groups);
        assertEquals(List.of(), groups.stream().filter(group -> !group.startsWith("acme.")).toList(),
                "groups of others listed to acme");
    }

    @Test
    void shouldRefuseGroupAdministrationOfAnotherApplicationsGroup() {
        TopicPartition globexPartition = new TopicPartition(GLOBEX_TOPIC, 0);

        assertRefused(GroupAuthorizationException.class,
                () -> acmeAdmin.describeConsumerGroups(List.of(GLOBEX_GROUP)).all().get());
        assertRefused(GroupAuthorizationException.class,
                () -> acmeAdmin.deleteConsumerGroups(List.of(GLOBEX_GROUP)).all().get());
        assertRefused(GroupAuthorizationException.class,
                () -> acmeAdmin.listConsumerGroupOffsets(GLOBEX_GROUP).partitionsToOffsetAndMetadata().get());
        assertRefused(GroupAuthorizationException.class, () -> acmeAdmin.alterConsumerGroupOffsets(GLOBEX_GROUP,
                Map.of(globexPartition, new OffsetAndMetadata(0))).all().get());
        assertRefused(GroupAuthorizationException.class,
                () -> acmeAdmin.deleteConsumerGroupOffsets(GLOBEX_GROUP, Set.of(globexPartition)).all().get());
    }

    @Test
    void shouldRefuseJoiningAnotherApplicationsGroup() {
        KafkaConsumer<String, String> consumer = tester.consumer(acmeClient(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, GLOBEX_GROUP)));
        consumer.subscribe(List.of(ACME_TOPIC));

        assertPollRefused(GroupAuthorizationException.class, consumer, TIMEOUT);
    }

    @Test
    void shouldRefuseAnotherApplicationsTransactionalId() {
        KafkaProducer<String, String> producer = tester.producer(acmeClient(Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "globex.tx",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000)));

        assertRefused(TransactionalIdAuthorizationException.class, producer::initTransactions);
    }

    @Test
    void shouldRefuseNamesWithoutAnApplicationPrefixAndNeverCreateThem() {
        KafkaProducer<String, String> producer = tester.producer(acmeClient(Map.of(
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000)));
        KafkaConsumer<String, String> consumer = tester.consumer(acmeClient(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, UNPREFIXED_GROUP)));
        consumer.subscribe(List.of(ACME_TOPIC));

        assertRefused(TopicAuthorizationException.class,
                () -> producer.send(new ProducerRecord<>(UNPREFIXED_TOPIC, "k", "v")).get());
        assertRefused(TopicAuthorizationException.class, () -> acmeAdmin.createTopics(List.of(
                new NewTopic(UNPREFIXED_TOPIC, Optional.of(1), Optional.empty()))).all().get());
        assertRefused(TopicAuthorizationException.class,
                () -> acmeAdmin.describeTopics(List.of(UNPREFIXED_TOPIC)).allTopicNames().get());
        assertPollRefused(GroupAuthorizationException.class, consumer, TIMEOUT);
        assertFalse(Files.exists(SegmentFiles.partitionDir(dataDir, UNPREFIXED_TOPIC, 0)),
                UNPREFIXED_TOPIC + " was created");
    }

    /** Produces {@value #RECORDS} records with {@code key}, then consumes them in {@code group} and commits. */
    private static List<String> produceAndConsumeInGroup(String key, String topic, String group) throws Exception {
        KafkaProducer<String, String> producer = tester.producer(TenantFixture.clientId(key));
        for (String value : expectedValues(topic)) {
            producer.send(new ProducerRecord<>(topic, value, value)).get();
        }
        Map<String, Object> consumerSettings = new HashMap<>(TenantFixture.clientId(key));
        consumerSettings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        KafkaConsumer<String, String> consumer = tester.consumer(consumerSettings);
        consumer.subscribe(List.of(topic));
        List<ConsumerRecord<String, String>> records = ConsumerPolls.pollAtLeast(consumer, RECORDS, TIMEOUT);
        consumer.commitSync();
        return records.stream().map(ConsumerRecord::value).sorted().toList();
    }

    /** The values produced to {@code topic}, sorted as their numbers are zero-padded. */
    private static List<String> expectedValues(String topic) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            values.add(String.format("%s-%03d-é", topic, i));
        }
        return values;
    }

    private static Map<String, Object> acmeClient(Map<String, Object> overrides) {
        Map<String, Object> settings = new HashMap<>(TenantFixture.clientId(acmeKey));
        settings.putAll(overrides);
        return settings;
    }

    /** What acme must not be able to change of globex's, as globex itself sees it. */
    private record GlobexState(List<String> records, Map<TopicPartition, Long> committed, int partitions,
                               String retentionMs) {

        static GlobexState read() throws ExecutionException, InterruptedException {
            Admin admin = tester.admin(TenantFixture.clientId(globexKey));
            int partitions = admin.describeTopics(List.of(GLOBEX_TOPIC)).allTopicNames().get().get(GLOBEX_TOPIC)
                    .partitions().size();
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, GLOBEX_TOPIC);
            String retentionMs = admin.describeConfigs(List.of(topic)).all().get().get(topic).get("retention.ms")
                    .value();
            Map<TopicPartition, Long> committed = GroupOffsets.committed(admin, GLOBEX_GROUP);
            return new GlobexState(readAll(partitions), committed, partitions, retentionMs);
        }

        /** Every record of globex's topic from the start of its log, as {@code partition/offset key=value}. */
        private static List<String> readAll(int partitions) {
            KafkaConsumer<String, String> consumer = tester.consumer(TenantFixture.clientId(globexKey));
            List<TopicPartition> all = TopicPartitions.of(GLOBEX_TOPIC, partitions);
            consumer.assign(all);
            consumer.seekToBeginning(all);
            Map<TopicPartition, Long> end = consumer.endOffsets(all);
            long total = end.values().stream().mapToLong(Long::longValue).sum()
                    - consumer.beginningOffsets(all).values().stream().mapToLong(Long::longValue).sum();
            List<String> records = new ArrayList<>();
            for (ConsumerRecord<String, String> record : ConsumerPolls.pollAtLeast(consumer, (int) total, TIMEOUT)) {
                records.add(record.partition() + "/" + record.offset() + " " + record.key() + "=" + record.value());
            }
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            return records.stream().sorted().toList();
        }
    }
}
