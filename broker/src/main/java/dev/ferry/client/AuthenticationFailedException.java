package dev.ferry.client;

/** The TLS handshake or SASL authentication with a broker failed. Not retriable. */
public class AuthenticationFailedException extends KafkaClientException {
    private static final long serialVersionUID = 1L;

    public AuthenticationFailedException(String message) {
        super(message);
    }

    public AuthenticationFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
