package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.it.fixture.Await;
import dev.ferry.it.fixture.BrokerTester;
import dev.ferry.it.fixture.ConsumerPolls;
import dev.ferry.it.fixture.SegmentFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TopicListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Admin API as Kafka's own admin client uses it. The tests share one broker and each works on topics of its
 * own; auto-creation is off so that a client's metadata request never brings a deleted topic back.
 */
@Timeout(90)
class AdminClientIT {

    private static final String DEFAULT_RETENTION_MS = "259200000";
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path dataDir;

    private static BrokerTester tester;
    private static Admin admin;

    @BeforeAll
    static void startBroker() {
        tester = BrokerTester.start(dataDir, Map.of(
                "num.partitions", "2",
                "auto.create.topics.enable", "false",
                "log.retention.check.interval.ms", "100"));
        admin = tester.admin();
    }

    @AfterAll
    static void stopBroker() {
        if (tester != null) {
            tester.close();
        }
    }

    @Test
    void shouldCreateTopicWithRequestedPartitionsAndReportItsIdAndConfigs() throws Exception {
        CreateTopicsResult result = admin.createTopics(List.of(new NewTopic("orders", 4, (short) 1)));
        result.all().get();

        assertEquals(4, result.numPartitions("orders").get(), "partitions in the create result");
        assertEquals(1, result.replicationFactor("orders").get(), "replication factor in the create result");
        Uuid topicId = result.topicId("orders").get();
        assertNotEquals(Uuid.ZERO_UUID, topicId, "topic id in the create result");
        ConfigEntry retention = result.config("orders").get().get("retention.ms");
        assertNotNull(retention, "retention.ms in the create result's configs");
        assertEquals(DEFAULT_RETENTION_MS, retention.value(), "retention.ms in the create result");

        TopicDescription description = describe("orders");
        assertEquals(topicId, description.topicId(), "topic id described");
        assertFalse(description.isInternal(), "internal");
        Node broker = single(admin.describeCluster().nodes().get());
        assertEquals(List.of(0, 1, 2, 3), description.partitions().stream().map(TopicPartitionInfo::partition)
                .toList(), "partition ids");
        for (TopicPartitionInfo partition : description.partitions()) {
            assertEquals(broker.id(), partition.leader().id(), "leader of partition " + partition.partition());
            assertEquals(List.of(broker.id()), partition.replicas().stream().map(Node::id).toList(), "replicas");
            assertEquals(List.of(broker.id()), partition.isr().stream().map(Node::id).toList(), "in-sync replicas");
        }
        assertEquals(broker.id(), admin.describeCluster().controller().get().id(), "controller");
        assertNotNull(admin.describeCluster().clusterId().get(), "cluster id");
    }

    @Test
    void shouldUseBrokerDefaultPartitionCountWhenNoneIsGiven() throws Exception {
        CreateTopicsResult result = admin.createTopics(List.of(new NewTopic("defaulted", Optional.empty(),
                Optional.empty())));
        result.all().get();

        assertEquals(2, result.numPartitions("defaulted").get(), "partitions from num.partitions");
        assertEquals(1, result.replicationFactor("defaulted").get(), "default replication factor");
        assertEquals(2, describe("defaulted").partitions().size(), "partitions described");
    }

    @Test
    void shouldValidateWithoutCreatingWhenValidateOnly() throws Exception {
        CreateTopicsResult result = admin.createTopics(List.of(new NewTopic("dry-run", 3, (short) 1)),
                new CreateTopicsOptions().validateOnly(true));
        result.all().get();
        assertEquals(3, result.numPartitions("dry-run").get(), "partitions the topic would have");

        assertFalse(admin.listTopics().names().get().contains("dry-run"), "validate-only created the topic");
        assertInstanceOf(UnknownTopicOrPartitionException.class,
                failure(admin.describeTopics(List.of("dry-run")).allTopicNames()));
        admin.createTopics(List.of(new NewTopic("dry-run", 3, (short) 1))).all().get();
        assertEquals(3, describe("dry-run").partitions().size(), "partitions once created for real");
    }

    @Test
    void shouldRejectCreatingAnExistingTopic() throws Exception {
        admin.createTopics(List.of(new NewTopic("twice", 1, (short) 1))).all().get();
        Uuid topicId = describe("twice").topicId();

        assertInstanceOf(TopicExistsException.class,
                failure(admin.createTopics(List.of(new NewTopic("twice", 3, (short) 1))).all()));
        assertInstanceOf(TopicExistsException.class,
                failure(admin.createTopics(List.of(new NewTopic("twice", 1, (short) 1)),
                        new CreateTopicsOptions().validateOnly(true)).all()));
        TopicDescription unchanged = describe("twice");
        assertEquals(topicId, unchanged.topicId(), "topic id after the rejected create");
        assertEquals(1, unchanged.partitions().size(), "partitions after the rejected create");
    }

    @Test
    void shouldRejectReplicationFactorsASingleBrokerCannotHonour() throws Exception {
        assertInstanceOf(InvalidReplicationFactorException.class,
                failure(admin.createTopics(List.of(new NewTopic("replicated", 1, (short) 3))).all()));
        assertInstanceOf(InvalidReplicationFactorException.class,
                failure(admin.createTopics(List.of(new NewTopic("unreplicated", 1, (short) 0))).all()));
        Set<String> topics = admin.listTopics().names().get();
        assertFalse(topics.contains("replicated") || topics.contains("unreplicated"), "created anyway: " + topics);
    }

    @Test
    void shouldRejectInvalidNamesPartitionCountsAndConfigs() throws Exception {
        assertInstanceOf(InvalidTopicException.class,
                failure(admin.createTopics(List.of(new NewTopic("bad/name", 1, (short) 1))).all()));
        assertInstanceOf(InvalidTopicException.class,
                failure(admin.createTopics(List.of(new NewTopic("..", 1, (short) 1))).all()));
        assertInstanceOf(InvalidPartitionsException.class,
                failure(admin.createTopics(List.of(new NewTopic("no-partitions", 0, (short) 1))).all()));
        assertInstanceOf(InvalidConfigurationException.class,
                failure(admin.createTopics(List.of(new NewTopic("bad-config", 1, (short) 1)
                        .configs(Map.of("retention.ms", "forever")))).all()));
        Set<String> topics = admin.listTopics().names().get();
        assertFalse(topics.contains("no-partitions") || topics.contains("bad-config"), "created anyway: " + topics);
    }

    @Test
    void shouldListCreatedTopicsAndNotDeletedOnes() throws Exception {
        admin.createTopics(List.of(new NewTopic("listed-a", 1, (short) 1), new NewTopic("listed-b", 2, (short) 1),
                new NewTopic("listed-gone", 1, (short) 1))).all().get();
        admin.deleteTopics(List.of("listed-gone")).all().get();

        Set<String> names = admin.listTopics().names().get();
        assertTrue(names.containsAll(List.of("listed-a", "listed-b")), "listed: " + names);
        assertFalse(names.contains("listed-gone"), "deleted topic still listed");
        TopicListing listing = admin.listTopics().namesToListings().get().get("listed-b");
        assertEquals(describe("listed-b").topicId(), listing.topicId(), "topic id of a listed topic");
        assertFalse(listing.isInternal(), "internal");
    }

    @Test
    void shouldDeleteTopicAndItsDataSoThatTheNameCanBeReused() throws Exception {
        admin.createTopics(List.of(new NewTopic("doomed", 1, (short) 1))).all().get();
        Uuid firstId = describe("doomed").topicId();
        KafkaProducer<String, String> producer = tester.producer();
        producer.send(new ProducerRecord<>("doomed", "key", "value")).get();
        producer.close(Duration.ofSeconds(5));

        admin.deleteTopics(List.of("doomed")).all().get();

        assertFalse(admin.listTopics().names().get().contains("doomed"), "deleted topic still listed");
        assertInstanceOf(UnknownTopicOrPartitionException.class,
                failure(admin.describeTopics(List.of("doomed")).allTopicNames()));
        assertInstanceOf(UnknownTopicOrPartitionException.class,
                failure(admin.deleteTopics(List.of("doomed")).all()));
        Await.until(Duration.ofSeconds(20), "the deleted partition's directory is gone",
                () -> !Files.exists(SegmentFiles.partitionDir(dataDir, "doomed", 0)));

        admin.createTopics(List.of(new NewTopic("doomed", 1, (short) 1))).all().get();
        assertNotEquals(firstId, describe("doomed").topicId(), "a recreated topic gets a new id");
        TopicPartition partition = new TopicPartition("doomed", 0);
        assertEquals(0L, admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition).get()
                .offset(), "end offset of the recreated topic");
    }

    @Test
    void shouldIncreasePartitionsAndRejectDecreasingThem() throws Exception {
        admin.createTopics(List.of(new NewTopic("growing", 2, (short) 1))).all().get();

        admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(6)),
                new CreatePartitionsOptions().validateOnly(true)).all().get();
        assertEquals(2, describe("growing").partitions().size(), "partitions after a validate-only increase");

        admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(5))).all().get();
        assertEquals(5, describe("growing").partitions().size(), "partitions after the increase");
        KafkaProducer<String, String> producer = tester.producer();
        RecordMetadata onNewPartition = producer.send(new ProducerRecord<>("growing", 4, "key", "value")).get();
        assertEquals(4, onNewPartition.partition(), "partition written");
        assertEquals(0, onNewPartition.offset(), "first offset of a new partition");

        assertInstanceOf(InvalidPartitionsException.class,
                failure(admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(3))).all()));
        assertInstanceOf(InvalidPartitionsException.class,
                failure(admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(5))).all()));
        assertInstanceOf(UnknownTopicOrPartitionException.class,
                failure(admin.createPartitions(Map.of("never-created", NewPartitions.increaseTo(5))).all()));
        assertEquals(5, describe("growing").partitions().size(), "partitions after the rejected decrease");
    }

    @Test
    void shouldDescribeDefaultAndOverriddenTopicConfigsWithTheirSources() throws Exception {
        admin.createTopics(List.of(new NewTopic("plain", 1, (short) 1),
                new NewTopic("configured", 1, (short) 1).configs(Map.of("retention.ms", "3600000")))).all().get();

        Config plain = describeConfigs("plain");
        ConfigEntry defaultRetention = plain.get("retention.ms");
        assertEquals(DEFAULT_RETENTION_MS, defaultRetention.value(), "default retention.ms");
        assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, defaultRetention.source(), "source of the default");
        assertTrue(defaultRetention.isDefault(), "retention.ms is the default");
        assertEquals("delete", plain.get("cleanup.policy").value(), "default cleanup.policy");
        assertEquals("1048588", plain.get("max.message.bytes").value(), "default max.message.bytes");
        assertEquals("1073741824", plain.get("segment.bytes").value(), "default segment.bytes");

        ConfigEntry overridden = describeConfigs("configured").get("retention.ms");
        assertEquals("3600000", overridden.value(), "overridden retention.ms");
        assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, overridden.source(), "source of the override");
        assertFalse(overridden.isDefault(), "an override is not the default");

        assertInstanceOf(UnknownTopicOrPartitionException.class,
                failure(admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "unknown")))
                        .all()));
        Node broker = single(admin.describeCluster().nodes().get());
        ConfigResource brokerResource = new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(broker.id()));
        Config brokerConfig = admin.describeConfigs(List.of(brokerResource)).all().get().get(brokerResource);
        assertEquals("2", brokerConfig.get("num.partitions").value(), "broker's num.partitions");
    }

    @Test
    void shouldSetAndDeleteTopicConfigsIncrementally() throws Exception {
        admin.createTopics(List.of(new NewTopic("tuned", 1, (short) 1))).all().get();
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "tuned");

        alter(resource, new AlterConfigOp(new ConfigEntry("retention.ms", "7200000"), AlterConfigOp.OpType.SET));
        ConfigEntry set = describeConfigs("tuned").get("retention.ms");
        assertEquals("7200000", set.value(), "retention.ms after SET");
        assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, set.source(), "source after SET");

        alter(resource, new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"),
                AlterConfigOp.OpType.APPEND));
        assertEquals("delete,compact", describeConfigs("tuned").get("cleanup.policy").value(),
                "cleanup.policy after APPEND");

        alter(resource, new AlterConfigOp(new ConfigEntry("retention.ms", ""), AlterConfigOp.OpType.DELETE));
        ConfigEntry deleted = describeConfigs("tuned").get("retention.ms");
        assertEquals(DEFAULT_RETENTION_MS, deleted.value(), "retention.ms after DELETE");
        assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, deleted.source(), "source after DELETE");

        assertInstanceOf(InvalidConfigurationException.class, failure(admin.incrementalAlterConfigs(Map.of(resource,
                List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "-5"), AlterConfigOp.OpType.SET))))
                .all()));
        assertInstanceOf(InvalidConfigurationException.class, failure(admin.incrementalAlterConfigs(Map.of(resource,
                List.of(new AlterConfigOp(new ConfigEntry("no.such.config", "1"), AlterConfigOp.OpType.SET))))
                .all()));
        assertEquals(DEFAULT_RETENTION_MS, describeConfigs("tuned").get("retention.ms").value(),
                "retention.ms after rejected changes");
    }

    @Test
    void shouldDeleteOldSegmentsOnceRetentionIsLoweredAtRuntime() throws Exception {
        String topic = "shrinking";
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                .configs(Map.of("internal.segment.bytes", "1024")))).all().get();
        List<String> values = produceOneBatchPerRecord(topic, 60);
        TopicPartition partition = new TopicPartition(topic, 0);
        assertTrue(SegmentFiles.segments(dataDir, topic, 0).size() > 3, "precondition: several segments");
        assertEquals(0L, earliestOffset(partition), "log start before retention is lowered");

        alter(new ConfigResource(ConfigResource.Type.TOPIC, topic),
                new AlterConfigOp(new ConfigEntry("retention.ms", "1"), AlterConfigOp.OpType.SET));

        Await.until(Duration.ofSeconds(30), "retention moves the log start of " + partition,
                () -> earliestOffset(partition) > 0);
        Path firstSegment = SegmentFiles.partitionDir(dataDir, topic, 0).resolve("00000000000000000000.log");
        Await.until(Duration.ofSeconds(10), "the first segment file is deleted", () -> !Files.exists(firstSegment));
        long logStart = earliestOffset(partition);
        assertTrue(logStart <= values.size(), "log start " + logStart + " beyond the log end");
        assertEquals(values.size(), latestOffset(partition), "end offset is unchanged by retention");
    }

    @Test
    void shouldDeleteRecordsAndResetConsumersPositionedBelowTheNewLogStart() throws Exception {
        String topic = "trimmed";
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        TopicPartition partition = new TopicPartition(topic, 0);
        List<String> values = produceOneBatchPerRecord(topic, 100);

        long lowWatermark = admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(40)))
                .lowWatermarks().get(partition).get().lowWatermark();
        assertEquals(40, lowWatermark, "low watermark returned by deleteRecords");
        assertEquals(40, earliestOffset(partition), "log start after deleteRecords");
        assertEquals(100, latestOffset(partition), "log end after deleteRecords");
        assertInstanceOf(org.apache.kafka.common.errors.OffsetOutOfRangeException.class,
                failure(admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(101))).all()));

        KafkaConsumer<String, String> earliest = consumerAt(partition, 10, "earliest");
        List<ConsumerRecord<String, String>> fromStart = ConsumerPolls.pollAtLeast(earliest, 60, READ_TIMEOUT);
        assertEquals(40, fromStart.get(0).offset(), "first offset after an earliest reset");
        assertEquals(values.subList(40, 100), fromStart.stream().map(ConsumerRecord::value).toList(),
                "records after an earliest reset");

        KafkaConsumer<String, String> latest = consumerAt(partition, 10, "latest");
        Await.until(READ_TIMEOUT, "a latest reset moves the consumer to the log end", () -> {
            latest.poll(Duration.ofMillis(100));
            return latest.position(partition) != 10;
        });
        assertEquals(100, latest.position(partition), "position after a latest reset");

        KafkaConsumer<String, String> strict = consumerAt(partition, 10, "none");
        OffsetOutOfRangeException outOfRange = assertThrows(OffsetOutOfRangeException.class, () -> {
            for (int i = 0; i < 100; i++) {
                strict.poll(Duration.ofMillis(200));
            }
        });
        assertEquals(Map.of(partition, 10L), outOfRange.offsetOutOfRangePartitions(), "out-of-range positions");
    }

    private static List<String> produceOneBatchPerRecord(String topic, int count) throws Exception {
        KafkaProducer<String, String> producer = tester.producer(Map.of(ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1));
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String value = topic + "-" + i + "-" + "x".repeat(100);
            values.add(value);
            Future<RecordMetadata> ack = producer.send(new ProducerRecord<>(topic, 0, "key-" + i, value));
            assertEquals(i, ack.get().offset(), "offset of record " + i);
        }
        producer.close(Duration.ofSeconds(5));
        return values;
    }

    private static KafkaConsumer<String, String> consumerAt(TopicPartition partition, long offset, String reset) {
        KafkaConsumer<String, String> consumer = tester.consumer(Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                reset));
        consumer.assign(List.of(partition));
        consumer.seek(partition, offset);
        return consumer;
    }

    private static long earliestOffset(TopicPartition partition) {
        return offset(partition, OffsetSpec.earliest());
    }

    private static long latestOffset(TopicPartition partition) {
        return offset(partition, OffsetSpec.latest());
    }

    private static long offset(TopicPartition partition, OffsetSpec spec) {
        try {
            return admin.listOffsets(Map.of(partition, spec)).partitionResult(partition).get().offset();
        } catch (ExecutionException e) {
            throw new AssertionError("listOffsets failed for " + partition, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static TopicDescription describe(String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
    }

    private static Config describeConfigs(String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource);
    }

    private static void alter(ConfigResource resource, AlterConfigOp op) throws Exception {
        admin.incrementalAlterConfigs(Map.of(resource, List.of(op))).all().get();
    }

    private static <T> T single(Collection<T> items) {
        assertEquals(1, items.size(), "items: " + items);
        return items.iterator().next();
    }

    /** The exception a future failed with; fails the test when it completed normally. */
    private static Throwable failure(KafkaFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, future::get);
        return e.getCause();
    }
}
