package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.it.fixture.BrokerTester;
import dev.ferry.it.fixture.TenantFixture;
import dev.ferry.it.fixture.ThroughputLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Byte-rate quotas per application: acme has a quota of {@value #QUOTA} bytes a second, globex none. Both clients
 * go as fast as they can at the same time for a few seconds. Acme is throttled (its client reports a throttle time)
 * and what gets through to it settles near its quota; globex is neither throttled nor slowed to anything near acme's
 * quota.
 *
 * <p>The broker keeps {@value #QUOTA_WINDOWS} one-second quota samples instead of Kafka's eleven: a client starting
 * from nothing may burst until its rate, averaged over the whole sampled window, reaches the quota, so a shorter
 * window lets the rate settle within a run of a few seconds.
 */
@Timeout(60)
class TenantQuotaIT {

    private static final int QUOTA = 256 * 1024;
    private static final int QUOTA_WINDOWS = 3;
    private static final int VALUE_BYTES = 1024;
    /** How long both clients go as fast as they can. */
    private static final Duration RUN = Duration.ofMillis(4_500);
    /** From when on the rate is measured: past the burst a fresh quota allows. */
    private static final Duration MEASURED_FROM = Duration.ofMillis(2_000);
    private static final double LOWEST_SHARE = 0.5;
    private static final double HIGHEST_SHARE = 1.6;
    /** Globex's rate must be at least this many times acme's quota. */
    private static final double UNTHROTTLED_FACTOR = 3;
    /** Records each topic is filled with before the consumers start: more than acme may read in the run. */
    private static final int PREFILLED_RECORDS = 3 * 1024;
    private static final String ACME_TOPIC = "acme.stream";
    private static final String GLOBEX_TOPIC = "globex.stream";

    @TempDir
    Path dataDir;

    private TenantFixture tenants;
    private String acmeKey;
    private String globexKey;
    private ExecutorService clientThreads;

    @BeforeEach
    void createApplications() {
        tenants = TenantFixture.open(dataDir);
        acmeKey = tenants.createApplication("acme");
        globexKey = tenants.createApplication("globex");
        clientThreads = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void stopClientThreads() throws InterruptedException {
        clientThreads.shutdownNow();
        assertTrue(clientThreads.awaitTermination(20, TimeUnit.SECONDS), "client threads still running");
    }

    @Test
    void shouldThrottleProducerOverItsByteRateWithoutSlowingAnotherApplication() throws Exception {
        tenants.setSetting("acme", "producer.byte.rate", String.valueOf(QUOTA));
        try (var tester = startBroker()) {
            KafkaProducer<String, String> acme = tester.producer(producerSettings(acmeKey));
            KafkaProducer<String, String> globex = tester.producer(producerSettings(globexKey));
            ThroughputLog acmeAcked = ThroughputLog.startingNow();
            ThroughputLog globexAcked = ThroughputLog.startingNow();

            CompletableFuture<Void> acmeRun = CompletableFuture.runAsync(
                    () -> produceUntilRunEnds(acme, ACME_TOPIC, acmeAcked), clientThreads);
            CompletableFuture<Void> globexRun = CompletableFuture.runAsync(
                    () -> produceUntilRunEnds(globex, GLOBEX_TOPIC, globexAcked), clientThreads);
            acmeRun.get(30, TimeUnit.SECONDS);
            globexRun.get(30, TimeUnit.SECONDS);
            double acmeRate = acmeAcked.bytesPerSecond(MEASURED_FROM, RUN);
            double globexRate = globexAcked.bytesPerSecond(MEASURED_FROM, RUN);
            double acmeThrottle = metric(acme.metrics(), "producer-metrics", "produce-throttle-time-max");
            double globexThrottle = metric(globex.metrics(), "producer-metrics", "produce-throttle-time-max");
            // what acme still has buffered would take seconds to get through its quota
            acme.close(Duration.ZERO);

            assertTrue(acmeThrottle > 0, "acme's produce-throttle-time-max: " + acmeThrottle);
            assertNearQuota(acmeRate, "acme's acknowledged bytes per second");
            assertTrue(globexRate > UNTHROTTLED_FACTOR * QUOTA, "globex's acknowledged bytes per second: "
                    + globexRate);
            assertEquals(0.0, globexThrottle, "globex's produce-throttle-time-max");
        }
    }

    @Test
    void shouldThrottleConsumerOverItsByteRateWithoutSlowingAnotherApplication() throws Exception {
        tenants.setSetting("acme", "consumer.byte.rate", String.valueOf(QUOTA));
        try (var tester = startBroker()) {
            fill(tester, acmeKey, ACME_TOPIC);
            fill(tester, globexKey, GLOBEX_TOPIC);
            KafkaConsumer<String, String> acme = tester.consumer(consumerSettings(acmeKey, Map.of(
                    // small fetches, so that throttling can keep the rate even
                    ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024,
                    ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024)));
            KafkaConsumer<String, String> globex = tester.consumer(consumerSettings(globexKey, Map.of()));
            ThroughputLog acmeReceived = ThroughputLog.startingNow();
            ThroughputLog globexReceived = ThroughputLog.startingNow();

            CompletableFuture<Void> acmeRun = CompletableFuture.runAsync(
                    () -> consumeUntilRunEnds(acme, ACME_TOPIC, acmeReceived), clientThreads);
            CompletableFuture<Void> globexRun = CompletableFuture.runAsync(
                    () -> consumeUntilRunEnds(globex, GLOBEX_TOPIC, globexReceived), clientThreads);
            acmeRun.get(30, TimeUnit.SECONDS);
            globexRun.get(30, TimeUnit.SECONDS);
            double acmeRate = acmeReceived.bytesPerSecond(MEASURED_FROM, RUN);
            // globex may read all there is long before the run ends: its rate is over the time it took
            double globexRate = globexReceived.totalBytes() * 1e9 / globexReceived.lastRecorded().toNanos();

            assertTrue(metric(acme.metrics(), "consumer-fetch-manager-metrics", "fetch-throttle-time-max") > 0,
                    "acme's fetch-throttle-time-max");
            assertNearQuota(acmeRate, "acme's received bytes per second");
            assertEquals((long) PREFILLED_RECORDS * (VALUE_BYTES + keyBytes()), globexReceived.totalBytes(),
                    "globex read everything within the run");
            assertTrue(globexRate > UNTHROTTLED_FACTOR * QUOTA, "globex's received bytes per second: " + globexRate);
            assertEquals(0.0, metric(globex.metrics(), "consumer-fetch-manager-metrics", "fetch-throttle-time-max"),
                    "globex's fetch-throttle-time-max");
        }
    }

    private BrokerTester startBroker() {
        return BrokerTester.start(dataDir, TenantFixture.tenantMode(Map.of(
                "quota.window.num", String.valueOf(QUOTA_WINDOWS),
                "quota.window.size.seconds", "1")));
    }

    /** Sends records as fast as the producer takes them until the run ends, logging each acknowledged one. */
    private static void produceUntilRunEnds(KafkaProducer<String, String> producer, String topic,
                                            ThroughputLog acked) {
        String value = "v".repeat(VALUE_BYTES);
        for (int i = 0; acked.elapsed().compareTo(RUN) < 0; i++) {
            String key = key(i);
            long bytes = key.length() + value.length();
            producer.send(new ProducerRecord<>(topic, key, value), (metadata, failure) -> {
                if (failure == null) {
                    acked.record(bytes);
                }
            });
        }
    }

    /** Polls until the run ends, logging the bytes of each record received. */
    private static void consumeUntilRunEnds(KafkaConsumer<String, String> consumer, String topic,
                                            ThroughputLog received) {
        consumer.assign(List.of(new TopicPartition(topic, 0)));
        while (received.elapsed().compareTo(RUN) < 0) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                received.record(record.serializedKeySize() + record.serializedValueSize());
            }
        }
    }

    /** Creates {@code topic} with one partition and fills it with {@value #PREFILLED_RECORDS} records. */
    private static void fill(BrokerTester tester, String key, String topic) throws Exception {
        tester.admin(TenantFixture.clientId(key))
                .createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty()))).all().get();
        KafkaProducer<String, String> producer = tester.producer(TenantFixture.clientId(key));
        String value = "v".repeat(VALUE_BYTES);
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (int i = 0; i < PREFILLED_RECORDS; i++) {
            sends.add(producer.send(new ProducerRecord<>(topic, key(i), value)));
        }
        for (Future<RecordMetadata> send : sends) {
            send.get();
        }
    }

    private static String key(int index) {
        return String.format("%08d", index);
    }

    private static int keyBytes() {
        return key(0).length();
    }

    private static Map<String, Object> producerSettings(String key) {
        Map<String, Object> settings = new HashMap<>(TenantFixture.clientId(key));
        settings.put(ProducerConfig.ACKS_CONFIG, "1");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        settings.put(ProducerConfig.BATCH_SIZE_CONFIG, 16 * 1024);
        // a small buffer, so that send() blocks while throttled instead of queueing seconds of records
        settings.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 256 * 1024);
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        return settings;
    }

    private static Map<String, Object> consumerSettings(String key, Map<String, Object> overrides) {
        Map<String, Object> settings = new HashMap<>(TenantFixture.clientId(key));
        settings.putAll(overrides);
        return settings;
    }

    private static void assertNearQuota(double rate, String what) {
        assertTrue(rate >= LOWEST_SHARE * QUOTA && rate <= HIGHEST_SHARE * QUOTA,
                what + " " + Math.round(rate) + " not within [" + LOWEST_SHARE + ", " + HIGHEST_SHARE
                        + "] x the quota of " + QUOTA);
    }

    private static double metric(Map<MetricName, ? extends Metric> metrics, String group, String name) {
        return metrics.entrySet().stream()
                .filter(entry -> entry.getKey().group().equals(group) && entry.getKey().name().equals(name))
                .map(entry -> ((Number) entry.getValue().metricValue()).doubleValue())
                .findFirst()
                .orElseThrow(() -> new AssertionError("No metric " + group + "/" + name + " in " + metrics.keySet()));
    }
}
