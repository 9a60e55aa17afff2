package dev.ferry.it;

import static dev.ferry.it.fixture.Refusals.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.it.fixture.BrokerTester;
import dev.ferry.it.fixture.ConsumerPolls;
import dev.ferry.it.fixture.TenantFixture;
import dev.ferry.it.fixture.TopicPartitions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage quotas of an application: {@code max.partitions} refuses topic creation and partition increases that
 * would pass it, and {@code max.stored.bytes} refuses produce once the application's topics hold that much. Both
 * refuse with POLICY_VIOLATION and a message naming the limit, and keep everything stored before.
 */
@Timeout(60)
class TenantStorageQuotaIT {

    private static final int MAX_PARTITIONS = 4;
    private static final int MAX_STORED_BYTES = 1024 * 1024;
    private static final int VALUE_BYTES = 4 * 1024;
    /** Twice as many records as fit under the storage quota: the produce loop's bound. */
    private static final int MAX_ATTEMPTS = 2 * MAX_STORED_BYTES / VALUE_BYTES;
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dataDir;

    private TenantFixture tenants;
    private String acmeKey;
    private String globexKey;

    @BeforeEach
    void createApplications() {
        tenants = TenantFixture.open(dataDir);
        acmeKey = tenants.createApplication("acme");
        globexKey = tenants.createApplication("globex");
    }

    @Test
    void shouldRefuseTopicsAndPartitionsPastMaxPartitionsAndKeepExistingOnes() throws Exception {
        tenants.setSetting("acme", "max.partitions", String.valueOf(MAX_PARTITIONS));
        try (var tester = BrokerTester.start(dataDir, TenantFixture.tenantMode(Map.of()))) {
            Admin admin = tester.admin(TenantFixture.clientId(acmeKey));
            admin.createTopics(List.of(topic("acme.first", 3))).all().get();
            List<String> stored = produce(tester.producer(TenantFixture.clientId(acmeKey)), "acme.first", 30);

            PolicyViolationException newTopic = assertRefused(PolicyViolationException.class,
                    () -> admin.createTopics(List.of(topic("acme.second", 2))).all().get());
            PolicyViolationException morePartitions = assertRefused(PolicyViolationException.class,
                    () -> admin.createPartitions(Map.of("acme.first", NewPartitions.increaseTo(5))).all().get());

            assertNamesLimit(newTopic, MAX_PARTITIONS, "partition");
            assertNamesLimit(morePartitions, MAX_PARTITIONS, "partition");
            assertEquals(3, admin.describeTopics(List.of("acme.first")).allTopicNames().get().get("acme.first")
                    .partitions().size());
            assertEquals(List.of("acme.first"), admin.listTopics().names().get().stream().sorted().toList());
            assertEquals(stored, readAll(tester, acmeKey, "acme.first"));
        }
    }

    @Test
    void shouldRefuseProducePastMaxStoredBytesAndKeepEveryAcknowledgedRecord() throws Exception {
        tenants.setSetting("acme", "max.stored.bytes", String.valueOf(MAX_STORED_BYTES));
        try (var tester = BrokerTester.start(dataDir, TenantFixture.tenantMode(Map.of()))) {
            KafkaProducer<String, String> producer = tester.producer(TenantFixture.clientId(acmeKey));
            List<String> acknowledged = new ArrayList<>();
            PolicyViolationException refusal = null;
            for (int i = 0; i < MAX_ATTEMPTS && refusal == null; i++) {
                String value = value(i);
                try {
                    RecordMetadata metadata = producer.send(new ProducerRecord<>("acme.big", key(i), value)).get();
                    acknowledged.add(entry(metadata.partition(), metadata.offset(), key(i), value));
                } catch (ExecutionException e) {
                    refusal = assertInstanceOf(PolicyViolationException.class, e.getCause());
                }
            }

            assertTrue(refusal != null, "no produce refused after " + MAX_ATTEMPTS + " records of " + VALUE_BYTES
                    + " bytes");
            assertNamesLimit(refusal, MAX_STORED_BYTES, "bytes");
            assertTrue(acknowledged.size() >= MAX_STORED_BYTES / VALUE_BYTES / 2,
                    "only " + acknowledged.size() + " records stored before the refusal");
            assertEquals(acknowledged.stream().sorted().toList(), readAll(tester, acmeKey, "acme.big"));
            List<String> globexStored = produce(tester.producer(TenantFixture.clientId(globexKey)), "globex.small", 5);
            assertEquals(globexStored, readAll(tester, globexKey, "globex.small"));
        }
    }

    /** Produces {@code count} records one by one and returns them as {@link #entry} reads them back. */
    private static List<String> produce(KafkaProducer<String, String> producer, String topic, int count)
            throws Exception {
        List<String> stored = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RecordMetadata metadata = producer.send(new ProducerRecord<>(topic, key(i), value(i))).get();
            stored.add(entry(metadata.partition(), metadata.offset(), key(i), value(i)));
        }
        return stored.stream().sorted().toList();
    }

    /** Every record of the topic from the start of its log, sorted by partition and offset. */
    private static List<String> readAll(BrokerTester tester, String key, String topic) {
        KafkaConsumer<String, String> consumer = tester.consumer(TenantFixture.clientId(key));
        List<TopicPartition> all = TopicPartitions.of(topic, consumer.partitionsFor(topic).size());
        consumer.assign(all);
        long total = consumer.endOffsets(all).values().stream().mapToLong(Long::longValue).sum()
                - consumer.beginningOffsets(all).values().stream().mapToLong(Long::longValue).sum();
        List<String> records = new ArrayList<>();
        for (ConsumerRecord<String, String> record : ConsumerPolls.pollAtLeast(consumer, (int) total, TIMEOUT)) {
            records.add(entry(record.partition(), record.offset(), record.key(), record.value()));
        }
        return records.stream().sorted().toList();
    }

    /** A record as compared: partition and offset zero-padded so that entries sort in log order. */
    private static String entry(int partition, long offset, String key, String value) {
        return String.format("%03d/%012d %s=%s", partition, offset, key, value);
    }

    private static NewTopic topic(String name, int partitions) {
        return new NewTopic(name, Optional.of(partitions), Optional.empty());
    }

    private static String key(int index) {
        return "key-" + index;
    }

    /** {@value #VALUE_BYTES} characters that differ from record to record throughout. */
    private static String value(int index) {
        StringBuilder value = new StringBuilder(VALUE_BYTES);
        long state = index * 0x9E3779B97F4A7C15L + 1;
        while (value.length() < VALUE_BYTES) {
            state ^= state << 13;
            state ^= state >>> 7;
            state ^= state << 17;
            value.append((char) ('a' + Math.floorMod(state, 26)));
        }
        return value.toString();
    }

    /** The refusal's message states the limit as configured, and what it limits. */
    private static void assertNamesLimit(PolicyViolationException refusal, long limit, String unit) {
        String message = String.valueOf(refusal.getMessage());
        assertTrue(Pattern.compile("\\b" + limit + "\\b").matcher(message).find()
                        && message.toLowerCase(Locale.ROOT).contains(unit),
                "the message should state the limit of " + limit + " " + unit + ": " + message);
    }
}
