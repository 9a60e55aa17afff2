package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.it.fixture.BrokerTester;
import dev.ferry.it.fixture.ConsumerPolls;
import dev.ferry.it.fixture.SelfSignedKeyStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TLS listener ({@code listeners=SSL://...}) with a self-signed certificate generated for the test: real clients
 * produce and fetch over TLS, fetched records larger than one batch arrive intact (they are copied rather than sent
 * with {@code sendfile}, which TLS cannot carry), and a plaintext client gets nowhere.
 */
@Timeout(120)
class TlsListenerIT {

    private static final String TOPIC = "secured";
    private static final int RECORDS = 3_000;
    private static final int VALUE_BYTES = 1_000;

    @TempDir
    Path dataDir;

    @TempDir
    Path keyDir;

    @Test
    void shouldProduceAndConsumeOverTlsIncludingFetchesOfManyBatches() throws Exception {
        SelfSignedKeyStore keyStore = SelfSignedKeyStore.generate(keyDir);
        try (var tester = BrokerTester.start(dataDir, brokerSettings(keyStore), keyStore.clientSettings("SSL"))) {
            tester.createTopic(TOPIC, 1);
            KafkaProducer<String, String> producer = tester.producer(Map.of(
                    // small batches, so that one fetch response carries many of them
                    ProducerConfig.BATCH_SIZE_CONFIG, 16_384,
                    ProducerConfig.LINGER_MS_CONFIG, 5));
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(TOPIC, "key-" + i, value(i)));
            }
            producer.flush();

            KafkaConsumer<String, String> consumer = tester.consumer(Map.of(
                    ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1_048_576,
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG, RECORDS));
            consumer.assign(List.of(new TopicPartition(TOPIC, 0)));
            List<ConsumerRecord<String, String>> records =
                    ConsumerPolls.pollAtLeast(consumer, RECORDS, Duration.ofSeconds(60));

            assertEquals(RECORDS, records.size());
            for (int i = 0; i < RECORDS; i++) {
                ConsumerRecord<String, String> record = records.get(i);
                assertEquals(i, record.offset());
                assertEquals("key-" + i, record.key());
                assertEquals(value(i), record.value());
            }
        }
    }

    @Test
    void shouldNotServePlaintextClientOnTlsListener() throws Exception {
        SelfSignedKeyStore keyStore = SelfSignedKeyStore.generate(keyDir);
        try (var tester = BrokerTester.start(dataDir, brokerSettings(keyStore), keyStore.clientSettings("SSL"))) {
            Admin plaintext = tester.admin(Map.of(
                    CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT",
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000));

            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> plaintext.describeCluster().nodes().get(10, TimeUnit.SECONDS));

            assertInstanceOf(TimeoutException.class, failure.getCause());
            // the same broker still serves a TLS client
            assertEquals(1, tester.admin().describeCluster().nodes().get(10, TimeUnit.SECONDS).size());
        }
    }

    private static Map<String, String> brokerSettings(SelfSignedKeyStore keyStore) {
        Map<String, String> settings = new HashMap<>(keyStore.brokerSettings());
        settings.put("listeners", "SSL://127.0.0.1:0");
        return settings;
    }

    private static String value(int index) {
        String prefix = "value-" + index + "-";
        return prefix + "x".repeat(VALUE_BYTES - prefix.length());
    }
}
