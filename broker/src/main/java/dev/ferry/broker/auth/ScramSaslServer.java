package dev.ferry.broker.auth;

import dev.ferry.broker.tenant.Principal;
import dev.ferry.broker.tenant.ScramAuthentication;
import dev.ferry.broker.tenant.ScramCredential;
import dev.ferry.broker.tenant.ScramMechanism;
import dev.ferry.broker.tenant.TenantRegistry;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * SCRAM-SHA-256 and SCRAM-SHA-512 (RFC 5802, RFC 7677) against the tenant registry, without channel binding: the user
 * name is the application id and the password one of its keys.
 * <pre>
 * client: n,,n=acme,r=CLIENTNONCE                              client-first-message
 * server: r=CLIENTNONCESERVERNONCE,s=SALT,i=4096               server-first-message
 * client: c=biws,r=CLIENTNONCESERVERNONCE,p=PROOF              client-final-message
 * server: v=SERVERSIGNATURE                                    server-final-message
 * </pre>
 * An application that does not exist, or has no key, still gets a server-first-message, with a stable decoy salt
 * ({@link ScramDecoyCredentials}) and the default iteration count, and fails at the client-final-message with the same
 * message as a wrong key: the exchange does not tell which applications exist. Delegation tokens ({@code tokenauth}
 * extension) are refused, since this broker issues none.
 *
 * <p><b>Thread-safety:</b> not thread-safe; used by one {@link SaslSession}.
 */
final class ScramSaslServer implements SaslMechanismServer {

    /** Kafka's extension marking a delegation token in place of a password. */
    static final String TOKEN_AUTH_EXTENSION = "tokenauth";

    /** 144 random bits for the server's nonce: 24 characters of base64, none a ',' or padding. */
    private static final int SERVER_NONCE_BYTES = 18;
    private static final SecureRandom RANDOM = new SecureRandom();

    private enum State { CLIENT_FIRST, CLIENT_FINAL, COMPLETE, FAILED }

    private final TenantRegistry registry;
    private final ScramMechanism mechanism;
    private final ScramDecoyCredentials decoys;
    private State state = State.CLIENT_FIRST;
    private ScramClientFirstMessage clientFirst;
    private String serverFirst;
    private String nonce;
    private Principal principal;

    ScramSaslServer(TenantRegistry registry, ScramMechanism mechanism, ScramDecoyCredentials decoys) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.mechanism = Objects.requireNonNull(mechanism, "mechanism");
        this.decoys = Objects.requireNonNull(decoys, "decoys");
    }

    @Override
    public byte[] evaluate(byte[] response) throws SaslAuthenticationFailure {
        State current = state;
        // whatever goes wrong ends the exchange: a client gets no second try within one
        state = State.FAILED;
        byte[] answer = switch (current) {
            case CLIENT_FIRST -> serverFirst(ScramClientFirstMessage.parse(response, name()));
            case CLIENT_FINAL -> serverFinal(ScramClientFinalMessage.parse(response, name()));
            case COMPLETE, FAILED -> throw new IllegalStateException("the SCRAM exchange is over: " + current);
        };
        state = current == State.CLIENT_FIRST ? State.CLIENT_FINAL : State.COMPLETE;
        return answer;
    }

    @Override
    public boolean complete() {
        return state == State.COMPLETE;
    }

    @Override
    public Optional<Principal> principal() {
        return Optional.ofNullable(principal);
    }

    private byte[] serverFirst(ScramClientFirstMessage message) throws SaslAuthenticationFailure {
        if (!message.authorizationId().isEmpty() && !message.authorizationId().equals(message.username())) {
            throw new SaslAuthenticationFailure(
                    "Authentication failed: Client requested an authorization id that is different from username");
        }
        if (Boolean.parseBoolean(message.extensions().get(TOKEN_AUTH_EXTENSION))) {
            throw new SaslAuthenticationFailure("Authentication failed: delegation tokens are not supported");
        }
        byte[] salt;
        int iterations;
        Optional<ScramCredential> credential = registry.scramCredential(message.username(), name());
        if (credential.isPresent()) {
            salt = credential.get().salt();
            iterations = credential.get().iterations();
        } else {
            salt = decoys.salt(message.username());
            iterations = ScramMechanism.DEFAULT_ITERATIONS;
        }
        clientFirst = message;
        nonce = message.nonce() + serverNonce();
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(salt) + ",i=" + iterations;
        return serverFirst.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] serverFinal(ScramClientFinalMessage message) throws SaslAuthenticationFailure {
        // without channel binding, c= carries the gs2-header again, byte for byte
        if (!Arrays.equals(message.channelBinding(), clientFirst.gs2Header().getBytes(StandardCharsets.UTF_8))) {
            throw SaslAuthenticationFailure.invalidCredentials(name(),
                    "SCRAM channel binding does not repeat the gs2-header");
        }
        // Kafka checks only that it ends with the nonce sent: librdkafka repeats its own nonce in front of it
        if (!message.nonce().endsWith(nonce)) {
            throw SaslAuthenticationFailure.invalidCredentials(name(), "SCRAM nonce does not match");
        }
        String authMessage = clientFirst.bare() + "," + serverFirst + "," + message.withoutProof();
        Optional<ScramAuthentication> authentication = registry.verifyScramProof(clientFirst.username(), name(),
                authMessage.getBytes(StandardCharsets.UTF_8), message.proof());
        if (authentication.isEmpty()) {
            throw SaslAuthenticationFailure.invalidCredentials(name(),
                    "SCRAM proof matches no current key of the application");
        }
        principal = authentication.get().principal();
        return ("v=" + Base64.getEncoder().encodeToString(authentication.get().serverSignature()))
                .getBytes(StandardCharsets.UTF_8);
    }

    private String name() {
        return mechanism.mechanismName();
    }

    private static String serverNonce() {
        byte[] bytes = new byte[SERVER_NONCE_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
