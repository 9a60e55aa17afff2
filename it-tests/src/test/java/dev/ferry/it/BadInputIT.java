package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.it.fixture.BrokerTester;
import dev.ferry.it.fixture.ConsumerPolls;
import dev.ferry.it.fixture.RawKafkaConnection;
import dev.ferry.it.fixture.RequestBytes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input no Kafka client would send, written on raw sockets. As in Kafka, a connection carrying a malformed frame
 * or request is closed without a response, except an ApiVersions request of a version the broker does not know,
 * which gets an ApiVersions v0 answer so that the client can retry with a version both sides speak. Throughout,
 * a well-behaved producer and consumer on their own connections keep working: after every test a record goes
 * through them.
 */
@Timeout(60)
class BadInputIT {

    private static final int MAX_REQUEST_BYTES = 4096;
    private static final String CANARY_TOPIC = "canary";
    private static final TopicPartition CANARY = new TopicPartition(CANARY_TOPIC, 0);

    private static final int API_VERSIONS = 18;
    private static final int METADATA = 3;
    private static final int PRODUCE = 0;
    private static final int FETCH = 1;
    private static final short UNSUPPORTED_VERSION = 35;

    @TempDir
    static Path dataDir;

    private static BrokerTester tester;
    private static KafkaProducer<String, String> canaryProducer;
    private static KafkaConsumer<String, String> canaryConsumer;
    private static long canaryOffset;

    @BeforeAll
    static void startBrokerAndWellBehavedClients() throws Exception {
        tester = BrokerTester.start(dataDir, Map.of("socket.request.max.bytes", Integer.toString(MAX_REQUEST_BYTES)));
        tester.createTopic(CANARY_TOPIC, 1);
        canaryProducer = tester.producer();
        canaryConsumer = tester.consumer();
        canaryConsumer.assign(List.of(CANARY));
        canaryConsumer.seekToBeginning(List.of(CANARY));
        assertCanaryGetsThrough("start");
    }

    @AfterEach
    void wellBehavedClientsStillWork(TestInfo test) throws Exception {
        assertCanaryGetsThrough(test.getDisplayName());
    }

    @AfterAll
    static void stopBroker() {
        if (tester != null) {
            tester.close();
        }
    }

    @Test
    void shouldCloseConnectionSendingHttp() {
        try (var connection = RawKafkaConnection.open(tester.port())) {
            // read as a frame size, "GET " is over a gigabyte
            connection.sendRaw("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            connection.assertClosedByBroker();
        }
    }

    @Test
    void shouldCloseConnectionSendingGarbageInAFrame() {
        try (var connection = RawKafkaConnection.open(tester.port())) {
            byte[] garbage = new byte[32];
            for (int i = 0; i < garbage.length; i++) {
                garbage[i] = (byte) (0xA5 ^ i * 37);
            }
            connection.sendFrame(RequestBytes.empty().raw(garbage));
            connection.assertClosedByBroker();
        }
    }

    @Test
    void shouldCloseConnectionDeclaringAFrameOverTheRequestLimitBeforeItsBodyArrives() {
        try (var connection = RawKafkaConnection.open(tester.port())) {
            // only the size is sent: the broker must not wait for a body it will refuse anyway
            connection.sendRaw(ByteBuffer.allocate(Integer.BYTES).putInt(MAX_REQUEST_BYTES + 1).array());
            connection.assertClosedByBroker();
        }
    }

    @Test
    void shouldCloseConnectionSendingAFrameOverTheRequestLimit() {
        try (var connection = RawKafkaConnection.open(tester.port())) {
            connection.sendFrame(RequestBytes.header(METADATA, 1, 1, "oversize")
                    .int32(1).string("x".repeat(MAX_REQUEST_BYTES)));
            connection.assertClosedByBroker();
        }
    }

    @Test
    void shouldCloseConnectionDeclaringANegativeOrEmptyFrame() {
        for (int size : new int[] {-1, Integer.MIN_VALUE, 0}) {
            try (var connection = RawKafkaConnection.open(tester.port())) {
                connection.sendRaw(ByteBuffer.allocate(Integer.BYTES).putInt(size).array());
                connection.assertClosedByBroker();
            }
        }
    }

    @Test
    void shouldCloseConnectionSendingAnUnknownApiKey() {
        try (var connection = RawKafkaConnection.open(tester.port())) {
            connection.sendFrame(RequestBytes.header(999, 0, 7, "unknown-api"));
            connection.assertClosedByBroker();
        }
    }

    @Test
    void shouldCloseConnectionSendingAnUnsupportedVersionOfAKnownApi() {
        try (var connection = RawKafkaConnection.open(tester.port())) {
            connection.sendFrame(RequestBytes.flexibleHeader(METADATA, 999, 7, "future-client")
                    .unsignedVarint(1).unsignedVarint(0));
            connection.assertClosedByBroker();
        }
    }

    @Test
    void shouldCloseConnectionSendingARequestShorterThanItsFields() {
        try (var connection = RawKafkaConnection.open(tester.port())) {
            // Metadata v1 with one topic whose name claims 100 bytes, of which the frame holds 3
            connection.sendFrame(RequestBytes.header(METADATA, 1, 7, "truncated")
                    .int32(1).int16(100).raw("abc".getBytes(StandardCharsets.US_ASCII)));
            connection.assertClosedByBroker();
        }
        try (var connection = RawKafkaConnection.open(tester.port())) {
            // a header cut inside the client id
            connection.sendFrame(RequestBytes.empty().int16(METADATA).int16(1).int32(7).int16(20).int8('a'));
            connection.assertClosedByBroker();
        }
    }

    @Test
    void shouldCloseConnectionSendingArrayCountsBeyondTheFrame() {
        try (var connection = RawKafkaConnection.open(tester.port())) {
            connection.sendFrame(RequestBytes.header(METADATA, 1, 7, "huge-array").int32(Integer.MAX_VALUE));
            connection.assertClosedByBroker();
        }
        try (var connection = RawKafkaConnection.open(tester.port())) {
            // Metadata v12 is flexible: a compact array of 2^31 - 2 topics
            connection.sendFrame(RequestBytes.flexibleHeader(METADATA, 12, 7, "huge-compact-array")
                    .unsignedVarint(Integer.MAX_VALUE));
            connection.assertClosedByBroker();
        }
    }

    @Test
    void shouldAnswerApiVersionsOfAnUnknownVersionWithAVersionZeroErrorResponseAndKeepTheConnection() {
        try (var connection = RawKafkaConnection.open(tester.port())) {
            connection.sendFrame(RequestBytes.flexibleHeader(API_VERSIONS, Short.MAX_VALUE, 41, "future-client")
                    .compactString("future-client").compactString("99.0").unsignedVarint(0));
            ByteBuffer response = connection.readFrame();

            // response header v0 and an ApiVersions v0 body, whatever version was asked for; like Kafka, the
            // list must at least tell the client which ApiVersions versions to retry with
            assertEquals(41, response.getInt(), "correlation id");
            assertEquals(UNSUPPORTED_VERSION, response.getShort(), "error code");
            Map<Integer, short[]> versions = apiVersionsV0(response);
            assertTrue(versions.containsKey(API_VERSIONS), "ApiVersions not listed: " + versions.keySet());
            assertEquals(0, versions.get(API_VERSIONS)[0], "oldest ApiVersions version listed");
            assertTrue(versions.get(API_VERSIONS)[1] >= 3, "newest ApiVersions version listed");

            // the client's fallback: the same connection, version 0
            connection.sendFrame(RequestBytes.header(API_VERSIONS, 0, 42, "future-client"));
            ByteBuffer retry = connection.readFrame();
            assertEquals(42, retry.getInt(), "correlation id of the retry");
            assertEquals(0, retry.getShort(), "error code of the retry");
            Map<Integer, short[]> supported = apiVersionsV0(retry);
            assertTrue(supported.keySet().containsAll(List.of(PRODUCE, FETCH, METADATA, API_VERSIONS)),
                    "APIs listed to the retry: " + supported.keySet());
            assertEquals(0, supported.get(PRODUCE)[0], "oldest Produce version advertised, as Kafka does");
        }
    }

    @Test
    void shouldKeepServingWellBehavedRequestsOnAConnectionAfterTheyWereAnswered() {
        try (var connection = RawKafkaConnection.open(tester.port())) {
            for (int correlationId = 1; correlationId <= 3; correlationId++) {
                connection.sendFrame(RequestBytes.header(API_VERSIONS, 0, correlationId, "raw"));
                ByteBuffer response = connection.readFrame();
                assertEquals(correlationId, response.getInt(), "correlation id");
                assertEquals(0, response.getShort(), "error code");
            }
            // then a malformed request on the same connection closes it
            connection.sendFrame(RequestBytes.header(999, 0, 4, "raw"));
            connection.assertClosedByBroker();
        }
    }

    @Test
    void shouldRejectABatchOverTheTopicsMaxMessageBytesWithRecordTooLarge() throws Exception {
        String topic = "small-records";
        tester.createTopic(topic, 1, Map.of("max.message.bytes", "1024"));
        TopicPartition partition = new TopicPartition(topic, 0);

        ExecutionException rejected = assertThrows(ExecutionException.class,
                () -> canaryProducer.send(new ProducerRecord<>(topic, 0, "big", "x".repeat(2_000))).get());
        assertInstanceOf(RecordTooLargeException.class, rejected.getCause(), "failure of an oversized batch");

        RecordMetadata small = canaryProducer.send(new ProducerRecord<>(topic, 0, "small", "fits")).get();
        assertEquals(0, small.offset(), "offset of the first record that fits: nothing of the rejected one stored");
        assertEquals(1L, canaryConsumer.endOffsets(List.of(partition)).get(partition), "end offset");
    }

    /** Reads the api_keys array of an ApiVersions v0 body: api key to {min version, max version}. */
    private static Map<Integer, short[]> apiVersionsV0(ByteBuffer body) {
        int count = body.getInt();
        Map<Integer, short[]> versions = new HashMap<>();
        for (int i = 0; i < count; i++) {
            int apiKey = body.getShort();
            versions.put(apiKey, new short[] {body.getShort(), body.getShort()});
        }
        assertEquals(0, body.remaining(), "bytes after the api_keys array of a v0 body");
        return versions;
    }

    /** Sends one record through the well-behaved producer and reads it back through the consumer. */
    private static void assertCanaryGetsThrough(String after) throws Exception {
        String value = "after " + after;
        RecordMetadata ack = canaryProducer.send(new ProducerRecord<>(CANARY_TOPIC, 0, "canary", value)).get();
        assertEquals(canaryOffset, ack.offset(), "offset of the canary record after " + after);
        List<ConsumerRecord<String, String>> received = ConsumerPolls.pollAtLeast(canaryConsumer, 1,
                Duration.ofSeconds(20));
        assertEquals(1, received.size(), "canary records received after " + after);
        assertEquals(value, received.get(0).value(), "canary record after " + after);
        assertEquals(canaryOffset, received.get(0).offset(), "canary offset after " + after);
        canaryOffset++;
    }
}
