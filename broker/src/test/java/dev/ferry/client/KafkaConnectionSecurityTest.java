package dev.ferry.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.ApiVersionsRequestData;
import dev.ferry.protocol.message.MetadataRequestData;
import dev.ferry.protocol.message.MetadataResponseData;
import dev.ferry.protocol.message.SaslAuthenticateRequestData;
import dev.ferry.protocol.message.SaslAuthenticateResponseData;
import dev.ferry.protocol.message.SaslHandshakeRequestData;
import dev.ferry.protocol.message.SaslHandshakeResponseData;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.apache.kafka.common.security.plain.PlainAuthenticateCallback;
import org.apache.kafka.common.security.plain.internals.PlainSaslServer;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.ScramCredentialCallback;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramSaslServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS and SASL on a connection, against Kafka's own SASL servers (from kafka-clients, test scope) running inside a
 * fake broker, and a TLS listener with a certificate made for the test.
 */
@Timeout(60)
class KafkaConnectionSecurityTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String USER = "alice";
    private static final String PASSWORD = "alice-secret";

    @TempDir
    Path dir;

    /** A broker that authenticates with a Kafka SASL server made per connection, then answers Metadata. */
    private static FakeBroker.Handler saslBroker(String mechanism, SaslServer server, FakeBroker[] self) {
        return (header, request) -> {
            if (request instanceof ApiVersionsRequestData) {
                return FakeBroker.Reply.of(FakeBroker.allApiVersions());
            }
            if (request instanceof SaslHandshakeRequestData handshake) {
                Errors error = mechanism.equals(handshake.mechanism()) ? Errors.NONE
                        : Errors.UNSUPPORTED_SASL_MECHANISM;
                return FakeBroker.Reply.of(new SaslHandshakeResponseData().setErrorCode(error.code())
                        .setMechanisms(List.of(mechanism)));
            }
            if (request instanceof SaslAuthenticateRequestData authenticate) {
                try {
                    byte[] challenge = server.evaluateResponse(authenticate.authBytes());
                    return FakeBroker.Reply.of(new SaslAuthenticateResponseData()
                            .setAuthBytes(challenge == null ? new byte[0] : challenge));
                } catch (SaslException e) {
                    return FakeBroker.Reply.of(new SaslAuthenticateResponseData()
                            .setErrorCode(Errors.SASL_AUTHENTICATION_FAILED.code())
                            .setErrorMessage("Authentication failed during authentication due to invalid "
                                    + "credentials with SASL mechanism " + mechanism));
                }
            }
            if (request instanceof MetadataRequestData metadata && server.isComplete()) {
                return FakeBroker.Reply.of(self[0].metadata(metadata, Map.of()));
            }
            throw new AssertionError("unexpected " + request + " (authenticated: " + server.isComplete() + ")");
        };
    }

    private static SaslServer scramServer(ScramMechanism mechanism) throws Exception {
        ScramCredential credential = new ScramFormatter(mechanism).generateCredential(PASSWORD, 4096);
        CallbackHandler credentials = callbacks -> {
            String user = null;
            for (Callback callback : callbacks) {
                if (callback instanceof NameCallback name) {
                    user = name.getDefaultName();
                } else if (callback instanceof ScramCredentialCallback scram && USER.equals(user)) {
                    scram.scramCredential(credential);
                }
            }
        };
        return new ScramSaslServer(mechanism, Map.of(), credentials);
    }

    private static SaslServer plainServer() {
        return new PlainSaslServer(callbacks -> {
            String user = null;
            for (Callback callback : callbacks) {
                if (callback instanceof NameCallback name) {
                    user = name.getDefaultName();
                } else if (callback instanceof PlainAuthenticateCallback plain) {
                    plain.authenticated(USER.equals(user) && PASSWORD.equals(new String(plain.password())));
                }
            }
        });
    }

    private static KafkaConnection open(FakeBroker broker, SaslMechanism mechanism, String password) {
        ClientSettings settings = ClientSettings.to(broker.address()).withTimeouts(TIMEOUT, TIMEOUT)
                .withSasl(new SaslSettings(mechanism, USER, password));
        return KafkaConnection.open(broker.address(), settings);
    }

    private static void assertAuthenticatesAndServes(String kafkaName, SaslMechanism mechanism,
                                                     ThrowingSupplier<SaslServer> server) {
        FakeBroker[] self = new FakeBroker[1];
        try (FakeBroker broker = FakeBroker.start(() -> saslBroker(kafkaName, unchecked(server), self))) {
            self[0] = broker;
            try (KafkaConnection connection = open(broker, mechanism, PASSWORD)) {
                MetadataResponseData metadata = connection.send(ApiMessageType.METADATA,
                        version -> new MetadataRequestData());
                assertEquals("fake", metadata.clusterId());
            }
            assertEquals(ApiMessageType.API_VERSIONS, broker.receivedApis().get(0));
            assertEquals(ApiMessageType.SASL_HANDSHAKE, broker.receivedApis().get(1));
        }
    }

    @FunctionalInterface
    private interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    private static <T> T unchecked(ThrowingSupplier<T> supplier) {
        try {
            return supplier.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldAuthenticateWithScramSha512AgainstKafkasScramServer() {
        assertAuthenticatesAndServes("SCRAM-SHA-512", SaslMechanism.SCRAM_SHA_512,
                () -> scramServer(ScramMechanism.SCRAM_SHA_512));
    }

    @Test
    void shouldAuthenticateWithScramSha256AgainstKafkasScramServer() {
        assertAuthenticatesAndServes("SCRAM-SHA-256", SaslMechanism.SCRAM_SHA_256,
                () -> scramServer(ScramMechanism.SCRAM_SHA_256));
    }

    @Test
    void shouldAuthenticateWithPlainAgainstKafkasPlainServer() {
        assertAuthenticatesAndServes("PLAIN", SaslMechanism.PLAIN, KafkaConnectionSecurityTest::plainServer);
    }

    @Test
    void shouldReportAWrongPasswordAsAuthenticationFailure() {
        FakeBroker[] self = new FakeBroker[1];
        try (FakeBroker broker = FakeBroker.start(() -> saslBroker("SCRAM-SHA-256",
                unchecked(() -> scramServer(ScramMechanism.SCRAM_SHA_256)), self))) {
            self[0] = broker;
            AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class,
                    () -> open(broker, SaslMechanism.SCRAM_SHA_256, "wrong"));
            assertEquals("authentication failed for user 'alice': Authentication failed during authentication due "
                    + "to invalid credentials with SASL mechanism SCRAM-SHA-256", e.getMessage());
        }
    }

    @Test
    void shouldNameTheMechanismsTheBrokerOffersWhenItRefusesOurs() {
        FakeBroker[] self = new FakeBroker[1];
        try (FakeBroker broker = FakeBroker.start(() -> saslBroker("PLAIN", plainServer(), self))) {
            self[0] = broker;
            AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class,
                    () -> open(broker, SaslMechanism.SCRAM_SHA_512, PASSWORD));
            assertEquals("authentication failed: the broker at " + broker.address()
                    + " does not offer SCRAM-SHA-512 (it offers PLAIN)", e.getMessage());
        }
    }

    @Test
    void shouldFailSaslAgainstABrokerWithoutSasl() {
        try (FakeBroker broker = FakeBroker.start(() -> (header, request) -> {
            var versions = FakeBroker.allApiVersions();
            versions.apiKeys().removeIf(api -> api.apiKey_() == ApiMessageType.SASL_HANDSHAKE.apiKey());
            return FakeBroker.Reply.of(versions);
        })) {
            AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class,
                    () -> open(broker, SaslMechanism.PLAIN, PASSWORD));
            assertEquals("authentication failed: the broker at " + broker.address()
                    + " does not offer SASL authentication", e.getMessage());
        }
    }

    @Test
    void shouldConnectOverTlsTrustingTheCaFileAndRefuseWithoutIt() throws Exception {
        Path keyStore = dir.resolve("broker.p12");
        Path caPem = dir.resolve("ca.pem");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-keystore",
                keyStore.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
        keytool("-exportcert", "-alias", "broker", "-rfc", "-keystore", keyStore.toString(), "-storepass",
                "changeit", "-file", caPem.toString());
        SSLServerSocket server = (SSLServerSocket) serverContext(keyStore).getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        FakeBroker[] self = new FakeBroker[1];
        try (FakeBroker broker = FakeBroker.start(server, () -> (header, request) -> request
                instanceof ApiVersionsRequestData ? FakeBroker.Reply.of(FakeBroker.allApiVersions())
                : FakeBroker.Reply.of(self[0].metadata((MetadataRequestData) request, Map.of())))) {
            self[0] = broker;
            ClientSettings settings = ClientSettings.to(broker.address()).withTimeouts(TIMEOUT, TIMEOUT);
            try (KafkaConnection connection = KafkaConnection.open(broker.address(),
                    settings.withTls(new TlsSettings(caPem)))) {
                MetadataResponseData metadata = connection.send(ApiMessageType.METADATA,
                        version -> new MetadataRequestData());
                assertEquals(FakeBroker.NODE_ID, metadata.controllerId());
            }
            AuthenticationFailedException untrusted = assertThrows(AuthenticationFailedException.class,
                    () -> KafkaConnection.open(broker.address(), settings.withTls(TlsSettings.defaultTrust())));
            assertTrue(untrusted.getMessage().startsWith("TLS handshake with " + broker.address() + " failed: "),
                    untrusted.getMessage());
        }
        KafkaClientException missing = assertThrows(KafkaClientException.class,
                () -> new TlsSettings(dir.resolve("absent.pem")).socketFactory());
        assertEquals("TLS CA file " + dir.resolve("absent.pem") + " does not exist", missing.getMessage());
    }

    private static SSLContext serverContext(Path keyStore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static void keytool(String... args) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        String[] command = new String[args.length + 1];
        command[0] = keytool.toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "keytool did not finish");
        assertEquals(0, process.exitValue(), output);
    }
}
