package dev.ferry.protocol;

/**
 * The value of a {@code records} field: a run of record batches whose bytes are opaque to the message codec.
 * How the bytes reach the wire is decided by the {@link RecordsWriter} given to {@link Message#write}.
 */
public interface Records {
    /** The number of bytes these records occupy on the wire, excluding the length prefix. */
    int sizeInBytes();
}
