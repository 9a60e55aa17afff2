package dev.ferry.protocol;

import io.netty.buffer.ByteBuf;

/**
 * A protocol message or one of its nested structures, readable and writable at any of its supported versions.
 *
 * <p>Implementations are mutable and not thread-safe. A message read from a buffer may refer to slices of that
 * buffer (its records fields); the caller keeps the buffer alive, unreleased, for as long as the message is used.
 */
public interface Message {
    /**
     * Reads this message's fields from {@code in} at {@code version}, advancing its reader index past them.
     *
     * @throws ProtocolException if the bytes are truncated or malformed, or the version is unsupported
     */
    void read(ByteBuf in, short version);

    /**
     * Writes this message at {@code version}; each non-null records field is written by {@code recordsWriter}, once,
     * in wire order, after its length prefix.
     *
     * @throws ProtocolException if a field's value cannot be represented at this version
     */
    void write(ByteBuf out, short version, RecordsWriter recordsWriter);

    /** Writes this message at {@code version}, copying the bytes of its records fields. */
    default void write(ByteBuf out, short version) {
        write(out, version, RecordsWriter.COPYING);
    }

    /** The exact number of bytes {@link #write} produces at this version, records counted by their size. */
    int size(short version);

    short lowestSupportedVersion();

    short highestSupportedVersion();
}
