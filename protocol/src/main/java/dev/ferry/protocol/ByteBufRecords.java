package dev.ferry.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * Records held in the readable bytes of a {@link ByteBuf}.
 *
 * <p>Does not take ownership: the buffer is neither retained nor released here, so whoever owns it keeps it alive
 * while these records are in use. Records read from a message are a slice of the input buffer. Equality is by
 * content. Not thread-safe.
 */
public final class ByteBufRecords implements Records {
    private final ByteBuf buffer;

    public ByteBufRecords(ByteBuf buffer) {
        if (buffer == null) {
            throw new NullPointerException("buffer");
        }
        this.buffer = buffer;
    }

    /** The underlying buffer; its readable bytes are the records. */
    public ByteBuf buffer() {
        return buffer;
    }

    @Override
    public int sizeInBytes() {
        return buffer.readableBytes();
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof ByteBufRecords other && ByteBufUtil.equals(buffer, other.buffer);
    }

    @Override
    public int hashCode() {
        return ByteBufUtil.hashCode(buffer);
    }

    @Override
    public String toString() {
        return "ByteBufRecords(" + sizeInBytes() + " bytes)";
    }
}
