package dev.ferry.protocol.record.compression;

/**
 * A compressed batch whose records cannot be recovered: the compressed bytes are corrupt or truncated, or they
 * decompress to more than the allowed size.
 */
public final class DecompressionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, naming the codec and the batch
     * @param cause   the codec's own exception, or null
     */
    public DecompressionException(String message, Throwable cause) {
        super(message, cause);
    }
}
