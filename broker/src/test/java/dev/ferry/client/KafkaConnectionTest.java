package dev.ferry.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.ApiVersionsRequestData;
import dev.ferry.protocol.message.ApiVersionsResponseData;
import dev.ferry.protocol.message.ApiVersionsResponseData.ApiVersion;
import dev.ferry.protocol.message.MetadataRequestData;
import dev.ferry.protocol.message.MetadataResponseData;
import dev.ferry.protocol.message.RequestHeaderData;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class KafkaConnectionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static ClientSettings settings(FakeBroker broker) {
        return ClientSettings.to(broker.address()).withClientId("app-key-1")
                .withTimeouts(TIMEOUT, TIMEOUT).withSoftware("ferry", "1.2.3");
    }

    /** Answers ApiVersions with every API and Metadata with no topics. */
    private static FakeBroker.Handler plain(FakeBroker[] self) {
        return (header, request) -> {
            if (request instanceof ApiVersionsRequestData) {
                return FakeBroker.Reply.of(FakeBroker.allApiVersions());
            }
            if (request instanceof MetadataRequestData metadata) {
                return FakeBroker.Reply.of(self[0].metadata(metadata, Map.of()));
            }
            throw new AssertionError("unexpected " + request);
        };
    }

    @Test
    void shouldSendTheClientIdInEveryRequestHeader() {
        FakeBroker[] self = new FakeBroker[1];
        try (FakeBroker broker = FakeBroker.start(() -> plain(self))) {
            self[0] = broker;
            try (KafkaConnection connection = KafkaConnection.open(broker.address(), settings(broker))) {
                MetadataResponseData response = connection.send(ApiMessageType.METADATA,
                        version -> new MetadataRequestData());
                assertEquals(FakeBroker.NODE_ID, response.brokers().get(0).nodeId());
            }
            List<RequestHeaderData> headers = broker.received();
            assertEquals(List.of(ApiMessageType.API_VERSIONS, ApiMessageType.METADATA), broker.receivedApis());
            headers.forEach(header -> assertEquals("app-key-1", header.clientId()));
            assertEquals(List.of(0, 1), headers.stream().map(RequestHeaderData::correlationId).toList());
        }
    }

    @Test
    void shouldUseTheHighestVersionBothSidesSupport() {
        try (FakeBroker broker = FakeBroker.start(() -> (header, request) -> {
            ApiVersionsResponseData versions = FakeBroker.allApiVersions();
            for (ApiVersion api : versions.apiKeys()) {
                if (api.apiKey_() == ApiMessageType.METADATA.apiKey()) {
                    api.setMinVersion((short) 1).setMaxVersion((short) 4);
                }
            }
            return FakeBroker.Reply.of(versions);
        })) {
            try (KafkaConnection connection = KafkaConnection.open(broker.address(), settings(broker))) {
                assertEquals(4, connection.versions().version(ApiMessageType.METADATA));
                assertEquals(ApiMessageType.FETCH.highestStableVersion(),
                        connection.versions().version(ApiMessageType.FETCH));
            }
            assertEquals(ApiMessageType.API_VERSIONS.highestStableVersion(), broker.received().get(0)
                    .requestApiVersion());
        }
    }

    @Test
    void shouldAskForApiVersionsAgainAtTheBrokersVersionWhenItRejectsOurs() {
        try (FakeBroker broker = FakeBroker.start(() -> (header, request) -> {
            if (header.requestApiVersion() > 2) {
                // KIP-511: an old broker answers at version 0 with its ApiVersions range only
                ApiVersionsResponseData rejection = new ApiVersionsResponseData()
                        .setErrorCode(Errors.UNSUPPORTED_VERSION.code());
                rejection.apiKeys().add(new ApiVersion().setApiKey(ApiMessageType.API_VERSIONS.apiKey())
                        .setMinVersion((short) 0).setMaxVersion((short) 2));
                return new FakeBroker.Reply(rejection, (short) 0);
            }
            return FakeBroker.Reply.of(FakeBroker.allApiVersions());
        })) {
            try (KafkaConnection connection = KafkaConnection.open(broker.address(), settings(broker))) {
                assertTrue(connection.versions().supports(ApiMessageType.PRODUCE));
            }
            assertEquals(List.of((short) 4, (short) 2),
                    broker.received().stream().map(RequestHeaderData::requestApiVersion).toList());
        }
    }

    @Test
    void shouldNameTheApiWhenTheBrokerDoesNotSupportIt() {
        try (FakeBroker broker = FakeBroker.start(() -> (header, request) -> {
            ApiVersionsResponseData versions = FakeBroker.allApiVersions();
            versions.apiKeys().removeIf(api -> api.apiKey_() == ApiMessageType.CREATE_TOPICS.apiKey());
            return FakeBroker.Reply.of(versions);
        });
             KafkaConnection connection = KafkaConnection.open(broker.address(), settings(broker))) {
            KafkaClientException e = assertThrows(KafkaClientException.class,
                    () -> connection.send(ApiMessageType.CREATE_TOPICS, version -> null));
            assertEquals("the broker does not support CreateTopics requests", e.getMessage());
        }
    }

    @Test
    void shouldReportARefusedConnectionWithTheAddress() throws IOException {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        HostPort address = new HostPort("127.0.0.1", port);
        ConnectionFailedException e = assertThrows(ConnectionFailedException.class,
                () -> KafkaConnection.open(address, ClientSettings.to(address)));
        assertTrue(e.getMessage().startsWith("cannot connect to 127.0.0.1:" + port + ": Connection refused"),
                e.getMessage());
    }

    @Test
    void shouldRejectAnAnswerThatIsNotAKafkaResponse() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread notKafka = new Thread(() -> {
                try (Socket socket = server.accept()) {
                    OutputStream out = socket.getOutputStream();
                    // what an HTTP server might say: the first four bytes read as a size of about 1.2 GB
                    out.write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    socket.getInputStream().read();
                } catch (IOException e) {
                    // the client hung up
                }
            });
            notKafka.start();
            HostPort address = new HostPort("127.0.0.1", server.getLocalPort());
            KafkaClientException e = assertThrows(KafkaClientException.class,
                    () -> KafkaConnection.open(address, ClientSettings.to(address).withTimeouts(TIMEOUT, TIMEOUT)));
            assertEquals("the answer from " + address + " is not a Kafka response (is it a TLS listener?)",
                    e.getMessage());
            notKafka.join(5_000);
        }
    }

    @Test
    void shouldTimeOutAndCloseTheConnectionWhenTheBrokerDoesNotAnswer() {
        try (FakeBroker broker = FakeBroker.start(() -> (header, request) -> {
            if (request instanceof ApiVersionsRequestData) {
                return FakeBroker.Reply.of(FakeBroker.allApiVersions());
            }
            return null;
        })) {
            ClientSettings quick = settings(broker).withTimeouts(TIMEOUT, Duration.ofMillis(300));
            try (KafkaConnection connection = KafkaConnection.open(broker.address(), quick)) {
                ClientTimeoutException e = assertThrows(ClientTimeoutException.class,
                        () -> connection.send(ApiMessageType.METADATA, version -> new MetadataRequestData()));
                assertEquals("no response from " + broker.address() + " to Metadata within 300 ms", e.getMessage());
                assertTrue(!connection.isOpen(), "a connection whose response may still come is not reused");
            }
        }
    }

    @Test
    void shouldFailABlockedRequestWhenClosedFromAnotherThread() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        try (FakeBroker broker = FakeBroker.start(() -> (header, request) -> {
            if (request instanceof ApiVersionsRequestData) {
                return FakeBroker.Reply.of(FakeBroker.allApiVersions());
            }
            // the request has arrived, so the client is waiting for its answer
            waiting.countDown();
            return null;
        });
             KafkaConnection connection = KafkaConnection.open(broker.address(), settings(broker))) {
            Thread closer = new Thread(() -> {
                try {
                    waiting.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                connection.close();
            });
            closer.start();
            ConnectionFailedException e = assertThrows(ConnectionFailedException.class,
                    () -> connection.send(ApiMessageType.METADATA, (short) 12, Duration.ofSeconds(20),
                            version -> new MetadataRequestData()));
            assertEquals("the connection to " + broker.address() + " was closed", e.getMessage());
            closer.join();
        }
    }
}
