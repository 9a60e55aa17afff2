package dev.ferry.client;

import java.nio.charset.StandardCharsets;

/**
 * SASL PLAIN (RFC 4616): one message, {@code [authzid] NUL authcid NUL passwd} in UTF-8, with no authorization id.
 * The password travels in the clear, so PLAIN belongs on TLS connections. Not thread-safe.
 */
final class PlainExchange implements SaslExchange {

    private final String username;
    private final String password;
    private boolean sent;

    PlainExchange(String username, String password) {
        this.username = username;
        this.password = password;
    }

    @Override
    public byte[] initialResponse() {
        sent = true;
        return ("\0" + username + "\0" + password).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] evaluate(byte[] challenge) {
        // the server answers PLAIN with an empty message; there is nothing to check
        return null;
    }

    @Override
    public boolean isComplete() {
        return sent;
    }
}
