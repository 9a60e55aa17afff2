package dev.ferry.protocol.record;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;

/**
 * Reads bytes and Kafka's zig-zag varints at absolute indexes of a {@link ByteBuf}, up to a limit, without moving
 * the buffer's indexes.
 * <p>
 * Untrusted input never makes it throw: reading past the limit, a varint longer than its type allows, or skipping a
 * negative or too long run marks the cursor as overrun, after which reads return zero and the position stays put.
 * A walk over a record therefore checks {@link #overrun()} once, at its end.
 * <p>
 * When the range sits in one memory region, bytes are read through one NIO view of it, made at {@link #reset}: a
 * {@code ByteBuf.getByte} per byte would check the buffer's reference count every time, which profiles showed as a
 * tenth of the produce path.
 * <p>
 * Not thread-safe; reused through {@link #reset}.
 */
final class ByteBufCursor {
    private static final int MAX_VARINT_BYTES = 5;
    private static final int MAX_VARLONG_BYTES = 10;

    private ByteBuf buffer;
    /** A view of the buffer from {@link #viewBase}, or null when the buffer is not one memory region. */
    private ByteBuffer view;
    private int viewBase;
    private int position;
    private int limit;
    private boolean overrun;

    ByteBufCursor reset(ByteBuf buffer, int position, int limit) {
        this.buffer = buffer;
        if (limit > position && buffer.nioBufferCount() == 1) {
            this.view = buffer.nioBuffer(position, limit - position);
            this.viewBase = position - view.position();
        } else {
            this.view = null;
        }
        this.position = position;
        this.limit = limit;
        this.overrun = false;
        return this;
    }

    int position() {
        return position;
    }

    int limit() {
        return limit;
    }

    /**
     * Moves the limit, e.g. to the end of one record inside a batch; never past the limit given to {@link #reset}.
     *
     * @param limit the absolute index reads must stay below
     */
    void limit(int limit) {
        this.limit = limit;
    }

    int remaining() {
        return limit - position;
    }

    boolean overrun() {
        return overrun;
    }

    byte readByte() {
        if (overrun || position >= limit) {
            overrun = true;
            return 0;
        }
        final int index = position++;
        return view != null ? view.get(index - viewBase) : buffer.getByte(index);
    }

    /**
     * Reads a zig-zag varint of at most five bytes.
     *
     * @return the value, or 0 once overrun
     */
    int readVarint() {
        int raw = 0;
        for (int i = 0; i < MAX_VARINT_BYTES; i++) {
            final int b = readByte();
            raw |= (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                return overrun ? 0 : (raw >>> 1) ^ -(raw & 1);
            }
        }
        overrun = true;
        return 0;
    }

    /**
     * Reads a zig-zag varlong of at most ten bytes.
     *
     * @return the value, or 0 once overrun
     */
    long readVarlong() {
        long raw = 0;
        for (int i = 0; i < MAX_VARLONG_BYTES; i++) {
            final int b = readByte();
            raw |= (long) (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                return overrun ? 0 : (raw >>> 1) ^ -(raw & 1);
            }
        }
        overrun = true;
        return 0;
    }

    /**
     * Copies bytes out of the buffer; not for hot paths.
     *
     * @param length the bytes to copy
     * @return a new array, empty once overrun
     */
    byte[] readBytes(int length) {
        if (overrun || length < 0 || length > limit - position) {
            overrun = true;
            return new byte[0];
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(position, bytes);
        position += length;
        return bytes;
    }

    /**
     * Skips bytes, such as a key or value whose length was just read.
     *
     * @param length the bytes to skip
     */
    void skip(int length) {
        if (overrun || length < 0 || length > limit - position) {
            overrun = true;
            return;
        }
        position += length;
    }
}
