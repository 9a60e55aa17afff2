package dev.ferry.broker.auth;

import dev.ferry.broker.tenant.Principal;
import dev.ferry.broker.tenant.TenantRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * SASL PLAIN (RFC 4616) against the tenant registry: the client sends {@code [authzid] NUL authcid NUL passwd} in one
 * message, where the authentication id is the application id and the password one of its keys. An authorization id,
 * when given, must be the authentication id, as Kafka's broker requires. Answers and failure messages are Kafka's.
 *
 * <p><b>Thread-safety:</b> not thread-safe; used by one {@link SaslSession}.
 */
final class PlainSaslServer implements SaslMechanismServer {

    private static final char NUL = '\u0000';
    private static final int TOKENS = 3;

    private final TenantRegistry registry;
    private Principal principal;

    PlainSaslServer(TenantRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public byte[] evaluate(byte[] response) throws SaslAuthenticationFailure {
        if (principal != null) {
            throw new IllegalStateException("the PLAIN exchange is complete");
        }
        List<String> tokens = tokens(new String(response, StandardCharsets.UTF_8));
        String authorizationId = tokens.get(0);
        String username = tokens.get(1);
        String password = tokens.get(2);
        if (username.isEmpty()) {
            throw new SaslAuthenticationFailure("Authentication failed: username not specified");
        }
        if (password.isEmpty()) {
            throw new SaslAuthenticationFailure("Authentication failed: password not specified");
        }
        Optional<Principal> authenticated = registry.authenticatePlain(username, password);
        if (authenticated.isEmpty()) {
            throw new SaslAuthenticationFailure("Authentication failed: Invalid username or password");
        }
        // checked after the credentials, as Kafka does: a wrong key is reported as such whatever the authzid
        if (!authorizationId.isEmpty() && !authorizationId.equals(username)) {
            throw new SaslAuthenticationFailure(
                    "Authentication failed: Client requested an authorization id that is different from username");
        }
        principal = authenticated.get();
        return new byte[0];
    }

    @Override
    public boolean complete() {
        return principal != null;
    }

    @Override
    public Optional<Principal> principal() {
        return Optional.ofNullable(principal);
    }

    /** The message's NUL-separated parts, which must be exactly three; a NUL in the password makes a fourth. */
    private static List<String> tokens(String message) throws SaslAuthenticationFailure {
        List<String> tokens = new ArrayList<>(TOKENS);
        int start = 0;
        while (tokens.size() <= TOKENS) {
            int end = message.indexOf(NUL, start);
            if (end < 0) {
                tokens.add(message.substring(start));
                break;
            }
            tokens.add(message.substring(start, end));
            start = end + 1;
        }
        if (tokens.size() != TOKENS) {
            // counted only up to four, as Kafka's broker does
            throw new SaslAuthenticationFailure("Invalid SASL/PLAIN response: expected 3 tokens, got "
                    + tokens.size());
        }
        return tokens;
    }
}
