package dev.ferry.broker.auth;

/**
 * A SASL exchange that must end in {@code SASL_AUTHENTICATION_FAILED}. Its message is what the client is told, so it
 * never holds a key, nor anything that tells an unknown application from a wrong key; {@link #detail()} says more, for
 * the broker's own debug log, and holds no secret either.
 */
final class SaslAuthenticationFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final String detail;

    /** A failure whose client message says all there is to say. */
    SaslAuthenticationFailure(String clientMessage) {
        this(clientMessage, clientMessage);
    }

    SaslAuthenticationFailure(String clientMessage, String detail) {
        super(clientMessage, null, false, false);
        this.detail = detail;
    }

    /**
     * The message Kafka's broker gives for a failure it does not explain to the client, so as to reveal nothing of
     * which users exist: {@code Authentication failed during authentication due to invalid credentials with SASL
     * mechanism SCRAM-SHA-256}.
     */
    static SaslAuthenticationFailure invalidCredentials(String mechanism, String detail) {
        return new SaslAuthenticationFailure("Authentication failed during authentication due to invalid credentials "
                + "with SASL mechanism " + mechanism, detail);
    }

    /** Why the exchange failed, for the broker's log; never sent to the client. */
    String detail() {
        return detail;
    }
}
