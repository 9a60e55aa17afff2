package dev.ferry.broker.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.broker.tenant.IssuedKey;
import dev.ferry.broker.tenant.Principal;
import dev.ferry.broker.tenant.Role;
import dev.ferry.broker.tenant.TenantRegistry;
import dev.ferry.broker.tenant.TenantStore;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.SaslAuthenticateRequestData;
import dev.ferry.protocol.message.SaslAuthenticateResponseData;
import dev.ferry.protocol.message.SaslHandshakeRequestData;
import dev.ferry.protocol.message.SaslHandshakeResponseData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import org.apache.kafka.common.security.scram.ScramExtensionsCallback;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ClientFinalMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ClientFirstMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ServerFirstMessage;
import org.apache.kafka.common.security.scram.internals.ScramSaslClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SaslSession against a real tenant registry, with kafka-clients' own SCRAM client on the other side. */
class SaslSessionTest {

    private static final Pattern SERVER_FIRST = Pattern.compile("r=([\\x21-\\x2B\\x2D-\\x7E]+),s=([A-Za-z0-9+/=]+),"
            + "i=([0-9]+)");

    @TempDir
    Path dir;

    private TenantStore store;
    private TenantRegistry registry;
    private IssuedKey acmeKey;
    private IssuedKey betaKey;

    @BeforeEach
    void createTenants() {
        store = TenantStore.open(dir);
        store.createApplication("acme");
        acmeKey = store.createKey("acme", "ci", Role.PRODUCE);
        store.createApplication("beta");
        betaKey = store.createKey("beta", "ci", Role.ALL);
        store.createApplication("empty");
        registry = TenantRegistry.open(dir);
    }

    @AfterEach
    void closeRegistry() {
        registry.close();
    }

    // ---- handshake and state

    @Test
    void shouldAcceptAnEnabledMechanismAndListTheEnabledOnesInOrder() {
        SaslSession session = new SaslSession(registry, List.of(SaslSession.SCRAM_SHA_512, SaslSession.PLAIN));

        SaslHandshakeResponseData response = session.handshake(handshakeFor("PLAIN"));

        assertEquals(Errors.NONE.code(), response.errorCode());
        assertEquals(List.of("SCRAM-SHA-512", "PLAIN"), response.mechanisms());
        assertEquals("PLAIN", session.mechanism());
        assertFalse(session.failed());
        assertFalse(session.complete());
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "SCRAM-SHA-256", "GSSAPI", "OAUTHBEARER", ""})
    void shouldRefuseAMechanismThatIsNotEnabledExactlyAndListTheEnabledOnes(String mechanism) {
        SaslSession session = new SaslSession(registry, List.of(SaslSession.PLAIN, SaslSession.SCRAM_SHA_512));

        SaslHandshakeResponseData response = session.handshake(handshakeFor(mechanism));

        assertEquals(Errors.UNSUPPORTED_SASL_MECHANISM.code(), response.errorCode());
        assertEquals(List.of("PLAIN", "SCRAM-SHA-512"), response.mechanisms());
        assertNull(session.mechanism());
        assertTrue(session.failed());
    }

    @Test
    void shouldRefuseASecondHandshakeDuringTheExchangeAndFail() {
        SaslSession session = session();
        handshake(session, SaslSession.SCRAM_SHA_256);

        SaslHandshakeResponseData response = session.handshake(handshakeFor(SaslSession.PLAIN));

        assertEquals(Errors.ILLEGAL_SASL_STATE.code(), response.errorCode());
        assertEquals(List.of(), response.mechanisms());
        assertTrue(session.failed());
        assertEquals(SaslSession.SCRAM_SHA_256, session.mechanism());
    }

    @Test
    void shouldRefuseAHandshakeAfterSuccessButStayAuthenticated() {
        SaslSession session = plainSession("acme", acmeKey.key());

        SaslHandshakeResponseData response = session.handshake(handshakeFor(SaslSession.PLAIN));

        assertEquals(Errors.ILLEGAL_SASL_STATE.code(), response.errorCode());
        assertFalse(session.failed());
        assertTrue(session.complete());
        assertEquals(Optional.of(acmePrincipal()), session.principal());
    }

    @Test
    void shouldRefuseSaslAuthenticateBeforeTheHandshakeAndFail() {
        SaslSession session = session();

        SaslAuthenticateResponseData response = authenticate(session, plain("", "acme", acmeKey.key()));

        assertEquals(Errors.ILLEGAL_SASL_STATE.code(), response.errorCode());
        assertEquals("Unexpected Kafka request of type SASL_AUTHENTICATE during SASL handshake.",
                response.errorMessage());
        assertTrue(session.failed());
        assertEquals(Optional.empty(), session.principal());
    }

    @Test
    void shouldRefuseSaslAuthenticateAfterSuccessButStayAuthenticated() {
        SaslSession session = plainSession("acme", acmeKey.key());

        SaslAuthenticateResponseData response = authenticate(session, plain("", "acme", acmeKey.key()));

        assertEquals(Errors.ILLEGAL_SASL_STATE.code(), response.errorCode());
        assertEquals("SaslAuthenticate request received after successful authentication", response.errorMessage());
        assertTrue(session.complete());
        assertFalse(session.failed());
    }

    @Test
    void shouldRefuseSaslAuthenticateAfterAFailure() {
        SaslSession session = plainSession("acme", "not-a-key");
        assertTrue(session.failed());

        SaslAuthenticateResponseData response = authenticate(session, plain("", "acme", acmeKey.key()));

        assertEquals(Errors.ILLEGAL_SASL_STATE.code(), response.errorCode());
        assertTrue(session.failed());
        assertEquals(Optional.empty(), session.principal());
    }

    @Test
    void shouldRefuseToOfferAMechanismItCannotServe() {
        assertThrows(IllegalArgumentException.class, () -> new SaslSession(registry, List.of("PLAIN", "GSSAPI")));
        assertEquals(List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"), SaslSession.SUPPORTED_MECHANISMS);
    }

    // ---- PLAIN

    @Test
    void shouldAuthenticatePlainWithAKeyOfTheApplication() {
        SaslSession session = session();
        handshake(session, SaslSession.PLAIN);

        SaslAuthenticateResponseData response = authenticate(session, plain("", "acme", acmeKey.key()));

        assertEquals(Errors.NONE.code(), response.errorCode());
        assertArrayEquals(new byte[0], response.authBytes());
        assertEquals(0L, response.sessionLifetimeMs());
        assertTrue(session.complete());
        assertFalse(session.failed());
        assertEquals(Optional.of(acmePrincipal()), session.principal());
    }

    @Test
    void shouldAuthenticatePlainWithAnAuthorizationIdEqualToTheUser() {
        SaslSession session = plainSession("acme", "acme", acmeKey.key());

        assertTrue(session.complete());
        assertEquals(Optional.of(acmePrincipal()), session.principal());
    }

    @Test
    void shouldFailPlainWithAWrongKeyWithoutEchoingIt() {
        String wrongKey = alteredSecret(acmeKey.key());
        SaslSession session = session();
        handshake(session, SaslSession.PLAIN);

        SaslAuthenticateResponseData response = authenticate(session, plain("", "acme", wrongKey));

        assertPlainFailure(session, response, "Authentication failed: Invalid username or password");
        assertFalse(response.errorMessage().contains(wrongKey));
    }

    @Test
    void shouldFailPlainWithAnotherApplicationsKey() {
        SaslSession session = session();
        handshake(session, SaslSession.PLAIN);

        SaslAuthenticateResponseData response = authenticate(session, plain("", "acme", betaKey.key()));

        assertPlainFailure(session, response, "Authentication failed: Invalid username or password");
    }

    @Test
    void shouldFailPlainWhenTheAuthorizationIdIsAnotherUser() {
        SaslSession session = session();
        handshake(session, SaslSession.PLAIN);

        SaslAuthenticateResponseData response = authenticate(session, plain("beta", "acme", acmeKey.key()));

        assertPlainFailure(session, response,
                "Authentication failed: Client requested an authorization id that is different from username");
    }

    @Test
    void shouldFailMalformedPlainMessagesWithKafkasMessages() {
        String key = acmeKey.key();
        Map<String, String> expected = Map.of(
                "acme", "Invalid SASL/PLAIN response: expected 3 tokens, got 1",
                "\u0000acme", "Invalid SASL/PLAIN response: expected 3 tokens, got 2",
                "\u0000acme\u0000" + key + "\u0000x", "Invalid SASL/PLAIN response: expected 3 tokens, got 4",
                "\u0000acme\u0000" + key + "\u0000x\u0000y", "Invalid SASL/PLAIN response: expected 3 tokens, got 4",
                "\u0000\u0000" + key, "Authentication failed: username not specified",
                "\u0000acme\u0000", "Authentication failed: password not specified");
        expected.forEach((message, error) -> {
            SaslSession session = session();
            handshake(session, SaslSession.PLAIN);

            SaslAuthenticateResponseData response = authenticate(session, message.getBytes(StandardCharsets.UTF_8));

            assertPlainFailure(session, response, error);
        });
    }

    @Test
    void shouldFailPlainWithARevokedKey() {
        store.revokeKey("acme", "ci");
        registry.reloadIfChanged();
        SaslSession session = session();
        handshake(session, SaslSession.PLAIN);

        SaslAuthenticateResponseData response = authenticate(session, plain("", "acme", acmeKey.key()));

        assertPlainFailure(session, response, "Authentication failed: Invalid username or password");
    }

    // ---- SCRAM with kafka-clients' client

    @ParameterizedTest
    @ValueSource(strings = {"SCRAM-SHA-256", "SCRAM-SHA-512"})
    void shouldAuthenticateScramWithKafkasClientWhichChecksTheServerSignature(String mechanism) throws Exception {
        SaslSession session = session();
        handshake(session, mechanism);
        ScramSaslClient client = kafkaClient(mechanism, "beta", betaKey.key(), Map.of());

        SaslAuthenticateResponseData serverFirst = authenticate(session, client.evaluateChallenge(new byte[0]));
        assertEquals(Errors.NONE.code(), serverFirst.errorCode());
        assertFalse(session.complete());
        SaslAuthenticateResponseData serverFinal = authenticate(session, client.evaluateChallenge(
                serverFirst.authBytes()));

        assertEquals(Errors.NONE.code(), serverFinal.errorCode());
        assertEquals(0L, serverFinal.sessionLifetimeMs());
        assertTrue(new String(serverFinal.authBytes(), StandardCharsets.UTF_8).startsWith("v="));
        // Kafka's client verifies v= and throws when the server signature is wrong
        assertNull(client.evaluateChallenge(serverFinal.authBytes()));
        assertTrue(client.isComplete());
        assertTrue(session.complete());
        assertEquals(Optional.of(new Principal("beta", "ci", betaKey.apiKey().keyId(), Role.ALL)),
                session.principal());
        assertEquals(mechanism, session.mechanism());
    }

    @Test
    void shouldAnswerAServerFirstMessageWithTheApplicationsSaltAndAFreshNonce() throws Exception {
        byte[] salt = registry.scramCredential("acme", "SCRAM-SHA-256").orElseThrow().salt();
        int iterations = registry.scramCredential("acme", "SCRAM-SHA-256").orElseThrow().iterations();

        Matcher first = serverFirst(startScram("SCRAM-SHA-256", "n,,n=acme,r=clientnonce"));
        Matcher second = serverFirst(startScram("SCRAM-SHA-256", "n,,n=acme,r=clientnonce"));

        assertArrayEquals(salt, Base64.getDecoder().decode(first.group(2)));
        assertEquals(Integer.toString(iterations), first.group(3));
        assertTrue(first.group(1).startsWith("clientnonce"));
        String serverNonce = first.group(1).substring("clientnonce".length());
        assertTrue(serverNonce.length() >= 22, "at least 128 bits of base64: " + serverNonce);
        assertFalse(first.group(1).equals(second.group(1)), "server nonces must differ");
    }

    @Test
    void shouldFailScramWithAWrongKeyAtTheClientFinalMessage() throws Exception {
        assertScramFailsAtTheEnd("SCRAM-SHA-256", "acme", alteredSecret(acmeKey.key()));
    }

    @Test
    void shouldFailScramWithAnotherApplicationsKey() throws Exception {
        assertScramFailsAtTheEnd("SCRAM-SHA-512", "acme", betaKey.key());
    }

    @Test
    void shouldNotRevealAnUnknownApplicationBeforeTheClientFinalMessage() throws Exception {
        SaslAuthenticateResponseData wrongKey = assertScramFailsAtTheEnd("SCRAM-SHA-256", "acme", betaKey.key());
        SaslAuthenticateResponseData unknown = assertScramFailsAtTheEnd("SCRAM-SHA-256", "ghost", betaKey.key());
        SaslAuthenticateResponseData keyless = assertScramFailsAtTheEnd("SCRAM-SHA-256", "empty", betaKey.key());

        assertEquals(wrongKey.errorMessage(), unknown.errorMessage());
        assertEquals(wrongKey.errorMessage(), keyless.errorMessage());
    }

    @Test
    void shouldNameAStableDecoySaltShapedLikeARealOneForAnUnknownApplication() {
        int realSaltLength = registry.scramCredential("acme", "SCRAM-SHA-256").orElseThrow().salt().length;

        Matcher ghost256 = serverFirst(startScram("SCRAM-SHA-256", "n,,n=ghost,r=abc"));
        Matcher ghost512 = serverFirst(startScram("SCRAM-SHA-512", "n,,n=ghost,r=abc"));
        Matcher phantom = serverFirst(startScram("SCRAM-SHA-256", "n,,n=phantom,r=abc"));

        assertEquals(realSaltLength, Base64.getDecoder().decode(ghost256.group(2)).length);
        // a real application's salt is the same for both mechanisms, and across exchanges
        assertEquals(ghost256.group(2), ghost512.group(2));
        assertFalse(ghost256.group(2).equals(phantom.group(2)));
        assertEquals("4096", ghost256.group(3));
    }

    @Test
    void shouldFailScramWhenTheClientFinalNonceIsNotTheServersNonce() throws Exception {
        SaslSession session = session();
        handshake(session, "SCRAM-SHA-256");

        // the proof is right for what the client sent: only the nonce check can refuse it
        SaslAuthenticateResponseData response = handDrivenScram(session, "SCRAM-SHA-256", "n,,", "n,,", "X", "acme",
                acmeKey.key());

        assertScramFailure(session, response, "SCRAM-SHA-256");
    }

    @Test
    void shouldAcceptAClientFinalNonceWithTheClientNonceRepeatedInFrontAsLibrdkafkaSendsIt() throws Exception {
        SaslSession session = session();
        handshake(session, "SCRAM-SHA-512");

        SaslAuthenticateResponseData response = handDrivenScram(session, "SCRAM-SHA-512", "n,,", "n,,",
                "handnonce", "", "acme", acmeKey.key());

        assertEquals(Errors.NONE.code(), response.errorCode());
        assertEquals("acme", session.principal().orElseThrow().applicationId());
    }

    @Test
    void shouldFailScramWithAKeyRevokedDuringTheExchange() throws Exception {
        SaslSession session = session();
        handshake(session, "SCRAM-SHA-256");
        ScramSaslClient client = kafkaClient("SCRAM-SHA-256", "acme", acmeKey.key(), Map.of());
        SaslAuthenticateResponseData serverFirst = authenticate(session, client.evaluateChallenge(new byte[0]));
        assertEquals(Errors.NONE.code(), serverFirst.errorCode());

        store.revokeKey("acme", "ci");
        registry.reloadIfChanged();
        SaslAuthenticateResponseData response = authenticate(session,
                client.evaluateChallenge(serverFirst.authBytes()));

        assertScramFailure(session, response, "SCRAM-SHA-256");
    }

    @Test
    void shouldRefuseDelegationTokenAuthentication() throws Exception {
        SaslSession session = session();
        handshake(session, "SCRAM-SHA-256");
        ScramSaslClient client = kafkaClient("SCRAM-SHA-256", "acme", acmeKey.key(), Map.of("tokenauth", "true"));

        SaslAuthenticateResponseData response = authenticate(session, client.evaluateChallenge(new byte[0]));

        assertEquals(Errors.SASL_AUTHENTICATION_FAILED.code(), response.errorCode());
        assertEquals("Authentication failed: delegation tokens are not supported", response.errorMessage());
        assertTrue(session.failed());
    }

    @Test
    void shouldIgnoreExtensionsItDoesNotKnowAsKafkaDoes() throws Exception {
        SaslSession session = session();
        handshake(session, "SCRAM-SHA-512");
        ScramSaslClient client = kafkaClient("SCRAM-SHA-512", "acme", acmeKey.key(),
                Map.of("tokenauth", "false", "traceid", "abc"));

        SaslAuthenticateResponseData serverFirst = authenticate(session, client.evaluateChallenge(new byte[0]));
        SaslAuthenticateResponseData serverFinal = authenticate(session,
                client.evaluateChallenge(serverFirst.authBytes()));

        assertEquals(Errors.NONE.code(), serverFinal.errorCode());
        assertNull(client.evaluateChallenge(serverFinal.authBytes()));
        assertEquals(Optional.of(acmePrincipal()), session.principal());
    }

    // ---- SCRAM driven by hand, to alter what Kafka's client never sends

    @Test
    void shouldRefuseChannelBinding() {
        SaslSession session = session();
        handshake(session, "SCRAM-SHA-256");

        SaslAuthenticateResponseData response = authenticate(session, utf8("p=tls-unique,,n=acme,r=abc"));

        assertEquals(Errors.SASL_AUTHENTICATION_FAILED.code(), response.errorCode());
        assertEquals("Authentication failed: channel binding is not supported", response.errorMessage());
        assertTrue(session.failed());
    }

    @Test
    void shouldRefuseMandatoryExtensions() {
        SaslSession session = session();
        handshake(session, "SCRAM-SHA-256");

        SaslAuthenticateResponseData response = authenticate(session, utf8("n,,m=ext,n=acme,r=abc"));

        assertEquals(Errors.SASL_AUTHENTICATION_FAILED.code(), response.errorCode());
        assertEquals("Authentication failed: mandatory SCRAM extensions are not supported", response.errorMessage());
        assertTrue(session.failed());
    }

    @Test
    void shouldAuthenticateAClientThatSupportsChannelBindingButSeesNoneOffered() throws Exception {
        SaslSession session = session();
        handshake(session, "SCRAM-SHA-256");

        SaslAuthenticateResponseData response = handDrivenScram(session, "SCRAM-SHA-256", "y,,", "y,,", "", "acme",
                acmeKey.key());

        assertEquals(Errors.NONE.code(), response.errorCode());
        assertEquals(Optional.of(acmePrincipal()), session.principal());
    }

    @Test
    void shouldAuthenticateWithAnAuthorizationIdEqualToTheUser() throws Exception {
        SaslSession session = session();
        handshake(session, "SCRAM-SHA-256");

        SaslAuthenticateResponseData response = handDrivenScram(session, "SCRAM-SHA-256", "n,a=acme,", "n,a=acme,", "",
                "acme", acmeKey.key());

        assertEquals(Errors.NONE.code(), response.errorCode());
        assertEquals(Optional.of(acmePrincipal()), session.principal());
    }

    @Test
    void shouldFailWhenTheChannelBindingAttributeDoesNotRepeatTheGs2Header() throws Exception {
        SaslSession session = session();
        handshake(session, "SCRAM-SHA-256");

        // the proof is right for what the client sent: only the c= check can refuse it
        SaslAuthenticateResponseData response = handDrivenScram(session, "SCRAM-SHA-256", "n,,", "y,,", "", "acme",
                acmeKey.key());

        assertScramFailure(session, response, "SCRAM-SHA-256");
    }

    @Test
    void shouldFailScramWhenTheAuthorizationIdIsAnotherUser() {
        SaslSession session = session();
        handshake(session, "SCRAM-SHA-256");

        SaslAuthenticateResponseData response = authenticate(session, utf8("n,a=beta,n=acme,r=abc"));

        assertEquals(Errors.SASL_AUTHENTICATION_FAILED.code(), response.errorCode());
        assertEquals("Authentication failed: Client requested an authorization id that is different from username",
                response.errorMessage());
        assertTrue(session.failed());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "n,,", "x,,n=acme,r=abc", "n,,r=abc,n=acme", "n,,n=acme,r=", "n,,n=,r=abc",
        "n,,n=ac=41me,r=abc", "n,b=acme,n=acme,r=abc", "n,,n=acme,r=a b", "n,,n=acme,r=abc,1=x"})
    void shouldFailAMalformedClientFirstMessageWithKafkasGenericMessage(String message) {
        SaslSession session = session();
        handshake(session, "SCRAM-SHA-256");

        SaslAuthenticateResponseData response = authenticate(session, utf8(message));

        assertScramFailure(session, response, "SCRAM-SHA-256");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "c=biws", "c=biws,r=NONCE", "c=biws,r=NONCE,p=", "c=biws,r=NONCE,p=!!!",
        "r=NONCE,c=biws,p=AAAA", "c=%%%,r=NONCE,p=AAAA"})
    void shouldFailAMalformedClientFinalMessageWithKafkasGenericMessage(String template) {
        SaslSession session = session();
        handshake(session, "SCRAM-SHA-256");
        Matcher serverFirst = serverFirst(authenticate(session, utf8("n,,n=acme,r=abc")));

        SaslAuthenticateResponseData response = authenticate(session,
                utf8(template.replace("NONCE", serverFirst.group(1))));

        assertScramFailure(session, response, "SCRAM-SHA-256");
    }

    // ---- helpers

    private SaslSession session() {
        return new SaslSession(registry, SaslSession.SUPPORTED_MECHANISMS);
    }

    private Principal acmePrincipal() {
        return new Principal("acme", "ci", acmeKey.apiKey().keyId(), Role.PRODUCE);
    }

    private SaslSession plainSession(String user, String password) {
        return plainSession("", user, password);
    }

    private SaslSession plainSession(String authzid, String user, String password) {
        SaslSession session = session();
        handshake(session, SaslSession.PLAIN);
        authenticate(session, plain(authzid, user, password));
        return session;
    }

    private SaslAuthenticateResponseData startScram(String mechanism, String clientFirst) {
        SaslSession session = session();
        handshake(session, mechanism);
        return authenticate(session, utf8(clientFirst));
    }

    /**
     * Runs a SCRAM exchange to the end with Kafka's client, checking that the server-first-message comes back as for
     * any application, and returns the failed answer to the client-final-message.
     */
    private SaslAuthenticateResponseData assertScramFailsAtTheEnd(String mechanism, String user, String password)
            throws Exception {
        SaslSession session = session();
        handshake(session, mechanism);
        ScramSaslClient client = kafkaClient(mechanism, user, password, Map.of());
        SaslAuthenticateResponseData serverFirst = authenticate(session, client.evaluateChallenge(new byte[0]));
        assertEquals(Errors.NONE.code(), serverFirst.errorCode());
        assertFalse(session.failed());

        SaslAuthenticateResponseData response = authenticate(session,
                client.evaluateChallenge(serverFirst.authBytes()));

        assertScramFailure(session, response, mechanism);
        assertFalse(response.errorMessage().contains(password));
        return response;
    }

    /**
     * A SCRAM exchange with a hand-made gs2-header, channel binding attribute and nonce suffix, the proof computed by
     * Kafka's formatter for the messages as sent; returns the answer to the client-final-message.
     */
    private SaslAuthenticateResponseData handDrivenScram(SaslSession session, String mechanism, String gs2Header,
                                                         String channelBinding, String nonceSuffix, String user,
                                                         String password) throws Exception {
        return handDrivenScram(session, mechanism, gs2Header, channelBinding, "", nonceSuffix, user, password);
    }

    /** The same, with text before the nonce in the client-final-message too. */
    private SaslAuthenticateResponseData handDrivenScram(SaslSession session, String mechanism, String gs2Header,
                                                         String channelBinding, String noncePrefix,
                                                         String nonceSuffix, String user, String password)
            throws Exception {
        ScramFormatter formatter = new ScramFormatter(ScramMechanism.forMechanismName(mechanism));
        ClientFirstMessage clientFirst = new ClientFirstMessage(user, "handnonce", Map.of());
        SaslAuthenticateResponseData serverFirstResponse = authenticate(session,
                utf8(gs2Header + clientFirst.clientFirstMessageBare()));
        assertEquals(Errors.NONE.code(), serverFirstResponse.errorCode());
        ServerFirstMessage serverFirst = new ServerFirstMessage(serverFirstResponse.authBytes());
        ClientFinalMessage clientFinal = new ClientFinalMessage(channelBinding.getBytes(StandardCharsets.UTF_8),
                noncePrefix + serverFirst.nonce() + nonceSuffix);
        byte[] saltedPassword = formatter.saltedPassword(password, serverFirst.salt(), serverFirst.iterations());
        clientFinal.proof(formatter.clientProof(saltedPassword, clientFirst, serverFirst, clientFinal));
        return authenticate(session, clientFinal.toBytes());
    }

    private static void assertPlainFailure(SaslSession session, SaslAuthenticateResponseData response,
                                           String message) {
        assertEquals(Errors.SASL_AUTHENTICATION_FAILED.code(), response.errorCode());
        assertEquals(message, response.errorMessage());
        assertTrue(session.failed());
        assertFalse(session.complete());
        assertEquals(Optional.empty(), session.principal());
    }

    private static void assertScramFailure(SaslSession session, SaslAuthenticateResponseData response,
                                           String mechanism) {
        assertEquals(Errors.SASL_AUTHENTICATION_FAILED.code(), response.errorCode());
        assertEquals("Authentication failed during authentication due to invalid credentials with SASL mechanism "
                + mechanism, response.errorMessage());
        assertTrue(session.failed());
        assertFalse(session.complete());
        assertEquals(Optional.empty(), session.principal());
    }

    private static Matcher serverFirst(SaslAuthenticateResponseData response) {
        assertEquals(Errors.NONE.code(), response.errorCode(), response.errorMessage());
        Matcher matcher = SERVER_FIRST.matcher(new String(response.authBytes(), StandardCharsets.UTF_8));
        assertTrue(matcher.matches(), "not a server-first-message");
        return matcher;
    }

    private static void handshake(SaslSession session, String mechanism) {
        assertEquals(Errors.NONE.code(), session.handshake(handshakeFor(mechanism)).errorCode());
    }

    private static SaslHandshakeRequestData handshakeFor(String mechanism) {
        return new SaslHandshakeRequestData().setMechanism(mechanism);
    }

    private static SaslAuthenticateResponseData authenticate(SaslSession session, byte[] authBytes) {
        return session.authenticate(new SaslAuthenticateRequestData().setAuthBytes(authBytes));
    }

    private static byte[] plain(String authzid, String user, String password) {
        return utf8(authzid + "\u0000" + user + "\u0000" + password);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The same key id with another secret of the same shape. */
    private static String alteredSecret(String key) {
        char last = key.charAt(key.length() - 1);
        return key.substring(0, key.length() - 1) + (last == 'A' ? 'B' : 'A');
    }

    private static ScramSaslClient kafkaClient(String mechanism, String user, String password,
                                               Map<String, String> extensions) throws NoSuchAlgorithmException {
        return new ScramSaslClient(ScramMechanism.forMechanismName(mechanism),
                callbacks -> answer(callbacks, user, password, extensions));
    }

    private static void answer(Callback[] callbacks, String user, String password, Map<String, String> extensions)
            throws UnsupportedCallbackException {
        for (Callback callback : callbacks) {
            if (callback instanceof NameCallback name) {
                name.setName(user);
            } else if (callback instanceof PasswordCallback secret) {
                secret.setPassword(password.toCharArray());
            } else if (callback instanceof ScramExtensionsCallback scramExtensions) {
                scramExtensions.extensions(extensions);
            } else {
                throw new UnsupportedCallbackException(callback);
            }
        }
    }
}
