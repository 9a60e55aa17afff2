package dev.ferry.client;

/** A request or an operation did not complete within its time limit. */
public class ClientTimeoutException extends KafkaClientException {
    private static final long serialVersionUID = 1L;

    public ClientTimeoutException(String message) {
        super(message);
    }

    public ClientTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
