package dev.ferry.client;

/** A broker could not be reached, or a connection to it broke before the response arrived. Retriable. */
public class ConnectionFailedException extends KafkaClientException {
    private static final long serialVersionUID = 1L;

    public ConnectionFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    public ConnectionFailedException(String message) {
        super(message);
    }
}
