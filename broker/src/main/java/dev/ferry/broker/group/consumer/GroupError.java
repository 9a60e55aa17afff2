package dev.ferry.broker.group.consumer;

import dev.ferry.protocol.Errors;

/**
 * A request refused with a Kafka error and message; thrown inside a group operation, before it changes anything,
 * and turned into the error answer by {@link ConsumerGroups}.
 */
final class GroupError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Errors error;

    GroupError(Errors error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    Errors error() {
        return error;
    }
}
