package dev.ferry.broker.network;

/** A request the broker cannot serve and answers by closing the connection, as Kafka does. */
final class InvalidRequestException extends RuntimeException {

    InvalidRequestException(String message) {
        super(message);
    }

    InvalidRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
