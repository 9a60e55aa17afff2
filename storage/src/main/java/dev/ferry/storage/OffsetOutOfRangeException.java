package dev.ferry.storage;

/** An offset below the log start offset or above the log end offset. */
public final class OffsetOutOfRangeException extends RuntimeException {

    public OffsetOutOfRangeException(String message) {
        super(message);
    }
}
