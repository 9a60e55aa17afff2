package dev.ferry.protocol.record.compression;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;

/**
 * The heap buffer a codec decompresses into. It grows on demand but never past a cap, so that a small batch
 * claiming a huge content cannot exhaust the heap: a codec asks for room before writing, and asking beyond the cap
 * raises {@link DecompressionException}.
 * <p>
 * Owns its buffer until {@link #take()} hands it over; {@link #close()} releases it otherwise. Not thread-safe.
 */
final class DecompressedOutput implements AutoCloseable {
    /** Bytes asked of a decompressing stream per read. */
    private static final int READ_CHUNK = 16 * 1024;
    private static final int MIN_INITIAL_CAPACITY = 256;

    private final int maxBytes;
    private ByteBuf buffer;

    /**
     * Creates an empty output.
     *
     * @param allocator     where the heap buffer comes from
     * @param expectedBytes a guess at the decompressed size, used as the initial capacity
     * @param maxBytes      the most bytes the output may hold
     */
    DecompressedOutput(ByteBufAllocator allocator, int expectedBytes, int maxBytes) {
        this.maxBytes = maxBytes;
        this.buffer = allocator.heapBuffer(Math.min(Math.max(expectedBytes, MIN_INITIAL_CAPACITY), maxBytes),
                maxBytes);
    }

    /**
     * Makes room for {@code length} more bytes, which the caller then writes into {@link #array()} from the returned
     * index before calling {@link #advance(int)}.
     *
     * @param length the bytes about to be written
     * @return the index in {@link #array()} where they go
     * @throws DecompressionException if the output would pass its cap
     */
    int reserve(int length) {
        if (length < 0 || length > maxBytes - buffer.writerIndex()) {
            throw new DecompressionException("Records decompress to more than " + maxBytes + " bytes", null);
        }
        buffer.ensureWritable(length);
        return buffer.arrayOffset() + buffer.writerIndex();
    }

    /**
     * Returns the array backing the output; valid until the next {@link #reserve(int)}, which may replace it.
     *
     * @return the backing array
     */
    byte[] array() {
        return buffer.array();
    }

    /**
     * Counts bytes written into {@link #array()} after {@link #reserve(int)} as part of the output.
     *
     * @param length the bytes written, at most the room reserved
     */
    void advance(int length) {
        buffer.writerIndex(buffer.writerIndex() + length);
    }

    /**
     * Appends bytes.
     *
     * @throws DecompressionException if the output would pass its cap
     */
    void write(byte[] source, int offset, int length) {
        reserve(length);
        buffer.writeBytes(source, offset, length);
    }

    /**
     * Appends everything a decompressing stream yields, up to its end.
     *
     * @param in the stream, left open
     * @throws IOException            if the stream fails, e.g. on corrupt input
     * @throws DecompressionException if the stream yields more than the cap
     */
    void writeAll(InputStream in) throws IOException {
        while (true) {
            final int room = maxBytes - buffer.writerIndex();
            if (room == 0) {
                if (in.read() < 0) {
                    return;
                }
                reserve(1);
            }
            final int length = Math.min(READ_CHUNK, room);
            final int index = reserve(length);
            final int read = in.read(buffer.array(), index, length);
            if (read < 0) {
                return;
            }
            advance(read);
        }
    }

    /**
     * Hands the decompressed bytes over; the output is unusable afterwards.
     *
     * @return the buffer, its readable bytes the output; the caller releases it
     */
    ByteBuf take() {
        final ByteBuf taken = buffer;
        buffer = null;
        return taken;
    }

    /** Releases the buffer unless it was taken. */
    @Override
    public void close() {
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
    }
}
