package dev.ferry.storage;

/**
 * A log used after it was deleted or the storage closed. Kafka answers such a partition as one that does not exist
 * (UNKNOWN_TOPIC_OR_PARTITION), which clients retry. An {@link IllegalStateException}, as {@link Log} documents.
 */
public final class LogClosedException extends IllegalStateException {

    public LogClosedException(final String message) {
        super(message);
    }
}
