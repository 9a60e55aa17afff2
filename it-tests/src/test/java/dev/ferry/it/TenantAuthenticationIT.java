package dev.ferry.it;

import static dev.ferry.it.fixture.Refusals.assertPollRefused;
import static dev.ferry.it.fixture.Refusals.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.broker.tenant.Role;
import dev.ferry.it.fixture.BrokerTester;
import dev.ferry.it.fixture.RawKafkaConnection;
import dev.ferry.it.fixture.RequestBytes;
import dev.ferry.it.fixture.TenantFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authentication by key as client id, and the roles of keys: an unknown key gets no further than ApiVersions, a
 * connection may not switch keys, a revoked key's open connections are closed, a produce-only key cannot fetch or
 * commit, and a consume-only key cannot produce or create topics.
 */
@Timeout(60)
class TenantAuthenticationIT {

    private static final short API_VERSIONS = 18;
    private static final short METADATA = 3;
    private static final String APPLICATION = "acme";
    private static final String TOPIC = "acme.data";
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @TempDir
    static Path dataDir;

    private static TenantFixture tenants;
    private static BrokerTester tester;
    private static String allKey;
    private static String otherKey;
    private static String revokedKey;
    private static String produceKey;
    private static String consumeKey;

    @BeforeAll
    static void startBrokerWithKeysOfEveryRole() throws Exception {
        tenants = TenantFixture.open(dataDir);
        allKey = tenants.createApplication(APPLICATION);
        otherKey = tenants.createKey(APPLICATION, "other", Role.ALL);
        revokedKey = tenants.createKey(APPLICATION, "doomed", Role.ALL);
        produceKey = tenants.createKey(APPLICATION, "writer", Role.PRODUCE);
        consumeKey = tenants.createKey(APPLICATION, "reader", Role.CONSUME);
        tester = BrokerTester.start(dataDir, TenantFixture.tenantMode(Map.of("group.initial.rebalance.delay.ms", "0")));
        tester.producer(TenantFixture.clientId(allKey)).send(new ProducerRecord<>(TOPIC, "k", "v")).get();
    }

    @AfterAll
    static void stopBroker() {
        if (tester != null) {
            tester.close();
        }
    }

    @Test
    void shouldTimeOutAdminRequestsOfClientWithWrongKey() {
        Admin admin = tester.admin(Map.of(
                AdminClientConfig.CLIENT_ID_CONFIG, TenantFixture.withWrongSecret(allKey),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000));

        assertRefused(TimeoutException.class, () -> admin.listTopics().names().get());
        // it would keep reconnecting, and failing, until the end of the class otherwise
        admin.close(Duration.ofSeconds(1));
    }

    @Test
    void shouldAnswerApiVersionsButCloseConnectionOnNextRequestOfWrongKey() {
        try (RawKafkaConnection connection = RawKafkaConnection.open(tester.port())) {
            String wrongKey = TenantFixture.withWrongSecret(allKey);
            assertAnswered(connection, apiVersions(1, wrongKey), 1);

            connection.sendFrame(metadata(2, wrongKey));

            connection.assertClosedByBroker();
        }
    }

    @Test
    void shouldCloseConnectionThatSwitchesToAnotherClientId() {
        try (RawKafkaConnection connection = RawKafkaConnection.open(tester.port())) {
            assertAnswered(connection, apiVersions(1, allKey), 1);
            assertAnswered(connection, metadata(2, allKey), 2);

            // a valid key of the same application: the switch alone is what is refused
            connection.sendFrame(metadata(3, otherKey));

            connection.assertClosedByBroker();
        }
    }

    @Test
    void shouldCloseOpenConnectionOfRevokedKeyAndRefuseItAfterwards() {
        try (RawKafkaConnection connection = RawKafkaConnection.open(tester.port());
             RawKafkaConnection bystander = RawKafkaConnection.open(tester.port())) {
            assertAnswered(connection, apiVersions(1, revokedKey), 1);
            assertAnswered(connection, metadata(2, revokedKey), 2);
            assertAnswered(bystander, metadata(1, otherKey), 1);

            tenants.revokeKey(APPLICATION, "doomed");

            // the broker closes it within the connection's read timeout, with no request pending
            connection.assertClosedByBroker();
            assertAnswered(bystander, metadata(2, otherKey), 2);
        }
        try (RawKafkaConnection connection = RawKafkaConnection.open(tester.port())) {
            assertAnswered(connection, apiVersions(1, revokedKey), 1);

            connection.sendFrame(metadata(2, revokedKey));

            connection.assertClosedByBroker();
        }
    }

    @Test
    void shouldRefuseFetchToProduceOnlyKey() {
        KafkaConsumer<String, String> consumer = tester.consumer(TenantFixture.clientId(produceKey));
        consumer.assign(List.of(new TopicPartition(TOPIC, 0)));

        assertPollRefused(TopicAuthorizationException.class, consumer, TIMEOUT);
    }

    @Test
    void shouldRefuseOffsetCommitToProduceOnlyKey() {
        Map<String, Object> settings = new HashMap<>(TenantFixture.clientId(produceKey));
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, "acme.writers");
        KafkaConsumer<String, String> consumer = tester.consumer(settings);
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        consumer.assign(List.of(partition));

        assertRefused(GroupAuthorizationException.class,
                () -> consumer.commitSync(Map.of(partition, new OffsetAndMetadata(1)), TIMEOUT));
    }

    @Test
    void shouldRefuseProduceToConsumeOnlyKey() {
        KafkaProducer<String, String> producer = tester.producer(consumeKeyProducer(false));

        assertRefused(TopicAuthorizationException.class,
                () -> producer.send(new ProducerRecord<>(TOPIC, "k", "v")).get());
    }

    @Test
    void shouldRefuseProducerIdToIdempotentProducerWithConsumeOnlyKey() {
        KafkaProducer<String, String> producer = tester.producer(consumeKeyProducer(true));

        assertRefused(ClusterAuthorizationException.class,
                () -> producer.send(new ProducerRecord<>(TOPIC, "k", "v")).get());
    }

    @Test
    void shouldRefuseTopicCreationToConsumeOnlyKey() {
        Admin admin = tester.admin(TenantFixture.clientId(consumeKey));

        assertRefused(TopicAuthorizationException.class, () -> admin.createTopics(List.of(
                new NewTopic("acme.created", Optional.of(1), Optional.empty()))).all().get());
    }

    private static Map<String, Object> consumeKeyProducer(boolean idempotent) {
        Map<String, Object> settings = new HashMap<>(TenantFixture.clientId(consumeKey));
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, idempotent);
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        return settings;
    }

    /** ApiVersions v0: a header and no body. */
    private static RequestBytes apiVersions(int correlationId, String clientId) {
        return RequestBytes.header(API_VERSIONS, 0, correlationId, clientId);
    }

    /** Metadata v1 for every topic (a null topic array). */
    private static RequestBytes metadata(int correlationId, String clientId) {
        return RequestBytes.header(METADATA, 1, correlationId, clientId).int32(-1);
    }

    private static void assertAnswered(RawKafkaConnection connection, RequestBytes request, int correlationId) {
        connection.sendFrame(request);
        assertEquals(correlationId, connection.readFrame().getInt(0), "correlation id of the answer");
    }
}
