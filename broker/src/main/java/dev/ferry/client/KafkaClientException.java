package dev.ferry.client;

/**
 * A failure of the client the application cannot fix by retrying at once. Its message is one sentence fit to show
 * a user as is: what failed and, where known, why ("cannot connect to 127.0.0.1:9092: Connection refused").
 */
public class KafkaClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KafkaClientException(String message) {
        super(message);
    }

    public KafkaClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
