package dev.ferry.broker.auth;

import dev.ferry.broker.tenant.Principal;
import dev.ferry.broker.tenant.ScramMechanism;
import dev.ferry.broker.tenant.TenantRegistry;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.SaslAuthenticateRequestData;
import dev.ferry.protocol.message.SaslAuthenticateResponseData;
import dev.ferry.protocol.message.SaslHandshakeRequestData;
import dev.ferry.protocol.message.SaslHandshakeResponseData;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of one connection's SASL authentication: a SaslHandshake (v1) naming the mechanism, then
 * SaslAuthenticate requests carrying the mechanism's messages until the client has authenticated or failed. Answers
 * as Kafka's broker does:
 * <ul>
 *   <li>a handshake naming an enabled mechanism (exactly, case included): {@code NONE} and the enabled mechanisms;
 *       any other mechanism: {@code UNSUPPORTED_SASL_MECHANISM} and the enabled mechanisms;</li>
 *   <li>a second handshake: {@code ILLEGAL_SASL_STATE} and no mechanisms;</li>
 *   <li>a SaslAuthenticate before the handshake: {@code ILLEGAL_SASL_STATE};</li>
 *   <li>a SaslAuthenticate during the exchange: {@code NONE} with the mechanism's challenge, or with its final message
 *       once the client has authenticated ({@code session_lifetime_ms} 0: no re-authentication is required), or
 *       {@code SASL_AUTHENTICATION_FAILED} with a message that never holds a key;</li>
 *   <li>a SaslAuthenticate after success: {@code ILLEGAL_SASL_STATE}.</li>
 * </ul>
 *
 * <p><b>The caller's part.</b> It sends each answer, and then, when {@link #failed()}, closes the connection, as
 * Kafka's broker does after every answer above but those to requests after success. Once {@link #complete()}, later
 * requests are the {@link #principal()}'s. Handshake v0 (raw SASL tokens without SaslAuthenticate) is not handled
 * here.
 *
 * <p><b>Thread-safety:</b> not thread-safe: one session per connection, used on one thread at a time. The registry
 * calls it makes neither block nor touch the disk, so it may run on a network event loop.
 */
public final class SaslSession {

    /** SASL PLAIN (RFC 4616): the application id and a key in the clear; for TLS connections. */
    public static final String PLAIN = "PLAIN";

    /** SCRAM with SHA-256 (RFC 7677): the key never crosses the wire. */
    public static final String SCRAM_SHA_256 = ScramMechanism.SCRAM_SHA_256.mechanismName();

    /** SCRAM with SHA-512. */
    public static final String SCRAM_SHA_512 = ScramMechanism.SCRAM_SHA_512.mechanismName();

    /** Every mechanism a session can offer. */
    public static final List<String> SUPPORTED_MECHANISMS = List.of(PLAIN, SCRAM_SHA_256, SCRAM_SHA_512);

    private static final Logger LOG = LoggerFactory.getLogger(SaslSession.class);

    private enum State { AWAITING_HANDSHAKE, AUTHENTICATING, COMPLETE, FAILED }

    private final TenantRegistry registry;
    private final List<String> enabledMechanisms;
    private State state = State.AWAITING_HANDSHAKE;
    private String mechanism;
    private SaslMechanismServer server;

    /**
     * A session offering {@code enabledMechanisms}, in that order.
     *
     * @throws IllegalArgumentException when a mechanism is not one of {@link #SUPPORTED_MECHANISMS}
     */
    public SaslSession(TenantRegistry registry, List<String> enabledMechanisms) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.enabledMechanisms = List.copyOf(enabledMechanisms);
        for (String enabled : this.enabledMechanisms) {
            if (!SUPPORTED_MECHANISMS.contains(enabled)) {
                throw new IllegalArgumentException("Unsupported SASL mechanism " + enabled + "; supported: "
                        + SUPPORTED_MECHANISMS);
            }
        }
    }

    /** Answers a SaslHandshake request. */
    public SaslHandshakeResponseData handshake(SaslHandshakeRequestData request) {
        if (state != State.AWAITING_HANDSHAKE) {
            // Kafka's broker closes the connection when a handshake interrupts an exchange, not after success
            if (state != State.COMPLETE) {
                state = State.FAILED;
            }
            return new SaslHandshakeResponseData().setErrorCode(Errors.ILLEGAL_SASL_STATE.code());
        }
        String requested = request.mechanism();
        if (requested == null || !enabledMechanisms.contains(requested)) {
            state = State.FAILED;
            return new SaslHandshakeResponseData().setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code())
                    .setMechanisms(enabledMechanisms);
        }
        mechanism = requested;
        server = requested.equals(PLAIN) ? new PlainSaslServer(registry)
                : new ScramSaslServer(registry, ScramMechanism.forName(requested).orElseThrow(),
                        ScramDecoyCredentials.PROCESS);
        state = State.AUTHENTICATING;
        return new SaslHandshakeResponseData().setErrorCode(Errors.NONE.code()).setMechanisms(enabledMechanisms);
    }

    /** Answers a SaslAuthenticate request. */
    public SaslAuthenticateResponseData authenticate(SaslAuthenticateRequestData request) {
        switch (state) {
            case AWAITING_HANDSHAKE -> {
                state = State.FAILED;
                return illegalState("Unexpected Kafka request of type SASL_AUTHENTICATE during SASL handshake.");
            }
            case COMPLETE -> {
                return illegalState("SaslAuthenticate request received after successful authentication");
            }
            case FAILED -> {
                return illegalState("SaslAuthenticate request received after failed authentication");
            }
            default -> {
                return evaluate(request.authBytes() == null ? new byte[0] : request.authBytes());
            }
        }
    }

    /** Who the client authenticated as, once {@link #complete()}; empty before, and after a failure. */
    public Optional<Principal> principal() {
        return state == State.COMPLETE ? server.principal() : Optional.empty();
    }

    /**
     * Whether the last answer ended the session in failure: the caller closes the connection once it is sent. Set by
     * a failed authentication, and also by an unsupported mechanism or a request out of order before success.
     */
    public boolean failed() {
        return state == State.FAILED;
    }

    /** Whether the client has authenticated. */
    public boolean complete() {
        return state == State.COMPLETE;
    }

    /** The mechanism the handshake settled on, or null before a successful handshake. */
    public String mechanism() {
        return mechanism;
    }

    private SaslAuthenticateResponseData evaluate(byte[] authBytes) {
        byte[] answer;
        try {
            answer = server.evaluate(authBytes);
        } catch (SaslAuthenticationFailure failure) {
            state = State.FAILED;
            LOG.debug("SASL {} authentication failed: {}", mechanism, failure.detail());
            return new SaslAuthenticateResponseData().setErrorCode(Errors.SASL_AUTHENTICATION_FAILED.code())
                    .setErrorMessage(failure.getMessage());
        }
        if (server.complete()) {
            state = State.COMPLETE;
        }
        return new SaslAuthenticateResponseData().setErrorCode(Errors.NONE.code()).setAuthBytes(answer)
                .setSessionLifetimeMs(0L);
    }

    private static SaslAuthenticateResponseData illegalState(String message) {
        return new SaslAuthenticateResponseData().setErrorCode(Errors.ILLEGAL_SASL_STATE.code())
                .setErrorMessage(message);
    }
}
