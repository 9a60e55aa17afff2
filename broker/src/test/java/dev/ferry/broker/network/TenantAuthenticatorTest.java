package dev.ferry.broker.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.broker.auth.AuthenticationFailures;
import dev.ferry.broker.handler.ApiDispatcher;
import dev.ferry.broker.handler.ApiVersionsHandler;
import dev.ferry.broker.quota.TenantQuotas;
import dev.ferry.broker.tenant.Application;
import dev.ferry.broker.tenant.Principal;
import dev.ferry.broker.tenant.Role;
import dev.ferry.broker.tenant.TenantRegistry;
import dev.ferry.broker.tenant.TenantStore;
import dev.ferry.config.FerryConfig;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.MetadataResponseData;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TenantAuthenticatorTest {

    private static final MetadataRequest METADATA = new MetadataRequest.Builder(List.of("acme.t"), false)
            .build((short) 12);
    private static final ApiVersionsRequest API_VERSIONS = new ApiVersionsRequest.Builder(
            new ApiVersionsRequestData().setClientSoftwareName("test").setClientSoftwareVersion("1"), (short) 3,
            (short) 3).build();

    @TempDir
    Path dir;

    private final List<Principal> handledAs = new ArrayList<>();
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private ApiDispatcher dispatcher;
    private TenantRegistry registry;
    private TenantConnections connections;
    private String key;

    @BeforeEach
    void openRegistry() {
        TenantStore store = TenantStore.open(dir);
        store.createApplication("acme");
        key = store.createKey("acme", "ci", Role.ALL).key();
        registry = TenantRegistry.open(dir);
        dispatcher = new ApiDispatcher();
        dispatcher.register(ApiMessageType.API_VERSIONS, new ApiVersionsHandler(dispatcher));
        // the authenticator answers these itself; a handler reached would fail the test by closing the connection
        dispatcher.register(ApiMessageType.SASL_HANDSHAKE, (short) 1, (short) 1,
                (context, request) -> CompletableFuture.failedFuture(new AssertionError("handshake handler")));
        dispatcher.register(ApiMessageType.SASL_AUTHENTICATE,
                (context, request) -> CompletableFuture.failedFuture(new AssertionError("authenticate handler")));
        dispatcher.register(ApiMessageType.METADATA, (context, request) -> {
            handledAs.add(context.principal());
            return CompletableFuture.completedFuture(new MetadataResponseData().setClusterId("c"));
        });
        connections = connectionsWithLimit(null);
    }

    @AfterEach
    void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        registry.close();
    }

    @Test
    void shouldAnswerApiVersionsBeforeAuthenticationAndThenAuthenticateTheKeySentAsClientId() {
        EmbeddedChannel channel = connect(false);

        ApiVersionsResponse versions = (ApiVersionsResponse) send(channel, API_VERSIONS, 1, "any-client");
        assertEquals(Errors.NONE.code(), versions.data().errorCode());
        assertTrue(handledAs.isEmpty());

        send(channel, METADATA, 2, key);
        send(channel, METADATA, 3, key);

        assertEquals(2, handledAs.size());
        assertEquals("acme", handledAs.get(0).applicationId());
        assertEquals("ci", handledAs.get(1).keyName());
        assertTrue(channel.isOpen());
        assertEquals(1, connections.openConnections());
    }

    @Test
    void shouldCloseTheConnectionOfAnUnknownKeyWithoutHandlingItsRequest() {
        EmbeddedChannel channel = connect(false);
        String forged = key.substring(0, key.indexOf('.') + 1) + "not-the-secret";

        channel.writeInbound(KafkaWire.frame(METADATA, 1, forged));
        channel.runPendingTasks();

        assertFalse(channel.isOpen());
        assertNull(channel.readOutbound());
        assertTrue(handledAs.isEmpty());
        assertEquals(0, connections.openConnections());
    }

    @Test
    void shouldCloseAConnectionWhoseClientIdChangesAfterAuthentication() {
        EmbeddedChannel channel = connect(false);
        send(channel, METADATA, 1, key);

        channel.writeInbound(KafkaWire.frame(METADATA, 2, "someone-else"));
        channel.runPendingTasks();

        assertFalse(channel.isOpen());
        assertEquals(1, handledAs.size());
    }

    @Test
    void shouldAuthenticateWithSaslPlainAndThenAcceptAnyClientId() {
        EmbeddedChannel channel = connect(true);

        SaslHandshakeResponse handshake = (SaslHandshakeResponse) send(channel, handshake("PLAIN"), 1, "producer-1");
        assertEquals(Errors.NONE.code(), handshake.data().errorCode());
        assertTrue(handshake.data().mechanisms().contains("SCRAM-SHA-512"));
        SaslAuthenticateResponse authenticated = (SaslAuthenticateResponse) send(channel, plain("acme", key), 2,
                "producer-1");
        assertEquals(Errors.NONE.code(), authenticated.data().errorCode());

        send(channel, METADATA, 3, "producer-1");
        assertEquals("acme", handledAs.get(0).applicationId());
        assertTrue(channel.isOpen());
    }

    @Test
    void shouldAnswerAFailedSaslExchangeThenCloseTheConnection() {
        EmbeddedChannel channel = connect(false);
        send(channel, handshake("PLAIN"), 1, "producer-1");

        SaslAuthenticateResponse refused = (SaslAuthenticateResponse) send(channel, plain("acme", key + "x"), 2,
                "producer-1");

        assertEquals(Errors.SASL_AUTHENTICATION_FAILED.code(), refused.data().errorCode());
        assertFalse(refused.data().errorMessage().contains(key), "the message never repeats the key");
        assertFalse(channel.isOpen());
        assertTrue(handledAs.isEmpty());
    }

    @Test
    void shouldRefuseAnUnknownMechanismAndClose() {
        EmbeddedChannel channel = connect(false);

        SaslHandshakeResponse refused = (SaslHandshakeResponse) send(channel, handshake("GSSAPI"), 1, "c");

        assertEquals(Errors.UNSUPPORTED_SASL_MECHANISM.code(), refused.data().errorCode());
        assertEquals(List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"), refused.data().mechanisms());
        assertFalse(channel.isOpen());
    }

    @Test
    void shouldRefuseAKeySentAsClientIdOnASaslListener() {
        EmbeddedChannel channel = connect(true);

        channel.writeInbound(KafkaWire.frame(METADATA, 1, key));
        channel.runPendingTasks();

        assertFalse(channel.isOpen());
        assertTrue(handledAs.isEmpty());
    }

    @Test
    void shouldCloseEveryConnectionOfARevokedKey() {
        EmbeddedChannel first = connect(false);
        EmbeddedChannel second = connect(false);
        send(first, METADATA, 1, key);
        send(second, METADATA, 1, key);
        assertEquals(2, connections.openConnections());

        connections.closeConnectionsOf(handledAs.get(0));

        assertFalse(first.isOpen());
        assertFalse(second.isOpen());
        assertEquals(0, connections.openConnections());
    }

    @Test
    void shouldCloseConnectionsPastTheApplicationsConnectionLimitAndAdmitAgainOnceOneCloses() {
        connections = connectionsWithLimit("1");
        EmbeddedChannel first = connect(false);
        EmbeddedChannel second = connect(false);
        send(first, METADATA, 1, key);

        second.writeInbound(KafkaWire.frame(METADATA, 1, key));
        second.runPendingTasks();
        assertFalse(second.isOpen(), "over max.connections");
        assertEquals(1, handledAs.size());
        assertEquals(1, connections.refusedAtApplicationLimit());

        first.close();
        EmbeddedChannel third = connect(false);
        send(third, METADATA, 1, key);
        assertTrue(third.isOpen());
        assertEquals(2, handledAs.size());
    }

    private TenantConnections connectionsWithLimit(String maxConnections) {
        Map<String, String> settings = maxConnections == null ? Map.of()
                : Map.of("tenant.max.connections", maxConnections);
        TenantQuotas quotas = new TenantQuotas(FerryConfig.of(settings),
                app -> registry.application(app).map(Application::settings).orElse(Map.of()), clock::get);
        return new TenantConnections(registry, quotas);
    }

    private EmbeddedChannel connect(boolean saslOnly) {
        TenantAuthentication shared = new TenantAuthentication(registry,
                List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"), connections,
                new AuthenticationFailures(clock::get));
        EmbeddedChannel channel = new EmbeddedChannel(new KafkaFrameDecoder(1 << 20),
                new RequestDecoder(dispatcher, "PLAINTEXT"), new ResponseEncoder(),
                shared.newAuthenticator("PLAINTEXT", saslOnly), new RequestProcessor(dispatcher, Runnable::run));
        channels.add(channel);
        return channel;
    }

    private static AbstractResponse send(EmbeddedChannel channel, AbstractRequest request, int correlationId,
                                         String clientId) {
        channel.writeInbound(KafkaWire.frame(request, correlationId, clientId));
        channel.runPendingTasks();
        ByteBuf out = channel.readOutbound();
        assertTrue(out != null, "a response to " + request.apiKey());
        try {
            return KafkaWire.parseResponse(ByteBufUtil.getBytes(out), KafkaWire.header(request, correlationId));
        } finally {
            out.release();
        }
    }

    private static SaslHandshakeRequest handshake(String mechanism) {
        return new SaslHandshakeRequest.Builder(new SaslHandshakeRequestData().setMechanism(mechanism))
                .build((short) 1);
    }

    private static SaslAuthenticateRequest plain(String user, String password) {
        byte[] token = ("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8);
        return new SaslAuthenticateRequest.Builder(new SaslAuthenticateRequestData().setAuthBytes(token))
                .build((short) 2);
    }
}
