package dev.ferry.it;

import static dev.ferry.it.fixture.Refusals.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.it.fixture.BrokerTester;
import dev.ferry.it.fixture.ConsumerPolls;
import dev.ferry.it.fixture.GroupOffsets;
import dev.ferry.it.fixture.SelfSignedKeyStore;
import dev.ferry.it.fixture.TenantFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hosted mode over every way a client can present its key: SASL/PLAIN and SASL/SCRAM-SHA-512 on a SASL_PLAINTEXT
 * listener, SCRAM-SHA-256 on a SASL_SSL listener, and the key as client id on an SSL listener. Each time the
 * application creates a topic, produces, consumes in a group and commits, and is refused another application's
 * topic; a wrong password fails the SASL exchange.
 */
@Timeout(60)
class TenantSaslIT {

    private static final String APPLICATION = "acme";
    private static final String TOPIC = "acme.events";
    private static final String GROUP = "acme.readers";
    private static final String OTHER_TOPIC = "globex.events";
    private static final int RECORDS = 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final Map<String, String> NO_REBALANCE_DELAY = Map.of("group.initial.rebalance.delay.ms", "0");

    @TempDir
    Path dataDir;

    @TempDir
    Path keyDir;

    private String acmeKey;

    @BeforeEach
    void createApplications() {
        TenantFixture tenants = TenantFixture.open(dataDir);
        acmeKey = tenants.createApplication(APPLICATION);
        tenants.createApplication("globex");
    }

    @Test
    void shouldServeApplicationAuthenticatedWithSaslPlain() throws Exception {
        try (var tester = BrokerTester.start(dataDir, TenantFixture.tenantMode(NO_REBALANCE_DELAY, "SASL_PLAINTEXT"),
                Map.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT"))) {
            assertProducesConsumesAndIsIsolated(tester, TenantFixture.sasl("PLAIN", APPLICATION, acmeKey));
        }
    }

    @Test
    void shouldServeApplicationAuthenticatedWithScramSha512() throws Exception {
        try (var tester = BrokerTester.start(dataDir, TenantFixture.tenantMode(NO_REBALANCE_DELAY, "SASL_PLAINTEXT"),
                Map.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT"))) {
            assertProducesConsumesAndIsIsolated(tester, TenantFixture.sasl("SCRAM-SHA-512", APPLICATION, acmeKey));
        }
    }

    @Test
    void shouldServeApplicationAuthenticatedWithScramSha256OverTls() throws Exception {
        SelfSignedKeyStore keyStore = SelfSignedKeyStore.generate(keyDir);
        try (var tester = BrokerTester.start(dataDir,
                TenantFixture.tenantMode(withoutRebalanceDelay(keyStore), "SASL_SSL"),
                keyStore.clientSettings("SASL_SSL"))) {
            assertProducesConsumesAndIsIsolated(tester, TenantFixture.sasl("SCRAM-SHA-256", APPLICATION, acmeKey));
        }
    }

    @Test
    void shouldServeApplicationAuthenticatedWithClientIdOverTls() throws Exception {
        SelfSignedKeyStore keyStore = SelfSignedKeyStore.generate(keyDir);
        try (var tester = BrokerTester.start(dataDir, TenantFixture.tenantMode(withoutRebalanceDelay(keyStore), "SSL"),
                keyStore.clientSettings("SSL"))) {
            assertProducesConsumesAndIsIsolated(tester, TenantFixture.clientId(acmeKey));
        }
    }

    @Test
    void shouldFailSaslPlainWithWrongPassword() {
        try (var tester = BrokerTester.start(dataDir, TenantFixture.tenantMode(NO_REBALANCE_DELAY, "SASL_PLAINTEXT"),
                Map.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT"))) {
            Admin admin = tester.admin(withShortTimeouts(
                    TenantFixture.sasl("PLAIN", APPLICATION, TenantFixture.withWrongSecret(acmeKey))));

            assertRefused(SaslAuthenticationException.class, () -> admin.listTopics().names().get());
        }
    }

    @Test
    void shouldFailScramWithWrongPassword() {
        try (var tester = BrokerTester.start(dataDir, TenantFixture.tenantMode(NO_REBALANCE_DELAY, "SASL_PLAINTEXT"),
                Map.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT"))) {
            Admin admin = tester.admin(withShortTimeouts(
                    TenantFixture.sasl("SCRAM-SHA-512", APPLICATION, TenantFixture.withWrongSecret(acmeKey))));

            assertRefused(SaslAuthenticationException.class, () -> admin.listTopics().names().get());
        }
    }

    /**
     * Creates a topic, produces, consumes in a group and commits as acme with {@code authentication}, then tries to
     * produce to globex's topic.
     */
    private static void assertProducesConsumesAndIsIsolated(BrokerTester tester, Map<String, Object> authentication)
            throws Exception {
        Admin admin = tester.admin(authentication);
        admin.createTopics(List.of(new NewTopic(TOPIC, Optional.of(1), Optional.empty()))).all().get();
        KafkaProducer<String, String> producer = tester.producer(with(authentication, Map.of()));
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            String value = "event-" + i;
            producer.send(new ProducerRecord<>(TOPIC, value, value)).get();
            sent.add(value);
        }
        KafkaConsumer<String, String> consumer = tester.consumer(with(authentication,
                Map.of(ConsumerConfig.GROUP_ID_CONFIG, GROUP)));
        consumer.subscribe(List.of(TOPIC));
        List<String> received = ConsumerPolls.pollAtLeast(consumer, RECORDS, TIMEOUT).stream()
                .map(ConsumerRecord::value).toList();
        consumer.commitSync();

        assertEquals(sent, received);
        assertEquals(Map.of(new TopicPartition(TOPIC, 0), (long) RECORDS), GroupOffsets.committed(admin, GROUP));
        KafkaProducer<String, String> intruder = tester.producer(with(authentication,
                Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000)));
        assertRefused(TopicAuthorizationException.class,
                () -> intruder.send(new ProducerRecord<>(OTHER_TOPIC, "intruder", "intruder")).get());
    }

    private static Map<String, String> withoutRebalanceDelay(SelfSignedKeyStore keyStore) {
        Map<String, String> settings = new HashMap<>(keyStore.brokerSettings());
        settings.putAll(NO_REBALANCE_DELAY);
        return settings;
    }

    private static Map<String, Object> withShortTimeouts(Map<String, Object> authentication) {
        return with(authentication, Map.of(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000));
    }

    private static Map<String, Object> with(Map<String, Object> authentication, Map<String, Object> more) {
        Map<String, Object> settings = new HashMap<>(authentication);
        settings.putAll(more);
        return settings;
    }
}
