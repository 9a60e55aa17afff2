package dev.ferry.protocol;

/**
 * Thrown when bytes on the wire do not form a valid message at the given version, or when a message cannot be
 * written at a version (a null in a non-nullable field, a non-default value in a field the version lacks).
 */
public class ProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
