package dev.ferry.client;

import dev.ferry.protocol.Errors;

/** A broker answered with an error code the client does not handle by itself. */
public class KafkaErrorException extends KafkaClientException {
    private static final long serialVersionUID = 1L;

    private final transient Errors error;

    public KafkaErrorException(Errors error, String message) {
        super(message);
        this.error = error;
    }

    /** The error code the broker sent. */
    public Errors error() {
        return error;
    }
}
