package dev.ferry.storage.internal;

import static dev.ferry.storage.internal.BatchHeaderDescriptor.ATTRIBUTES_OFFSET;
import static dev.ferry.storage.internal.BatchHeaderDescriptor.HEADER_LENGTH;
import static dev.ferry.storage.internal.BatchHeaderDescriptor.MAGIC_V2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads batch headers, and whole batches when their CRC must be checked, from a segment file by position.
 *
 * <p><b>Not thread-safe:</b> each thread uses its own through {@link #forThread()}; its buffers are reused from
 * read to read, so a header read stays valid only until the next read.
 */
final class FileBatchReader {

    private static final ThreadLocal<FileBatchReader> READERS = ThreadLocal.withInitial(FileBatchReader::new);
    /** Larger batches are read into a buffer that is not kept, so one huge batch does not pin memory per thread. */
    private static final int MAX_RETAINED_BATCH_BUFFER = 1 << 20;

    private final ByteBuffer headerBytes = ByteBuffer.allocateDirect(HEADER_LENGTH).order(ByteOrder.BIG_ENDIAN);
    private final BatchHeaderFlyweight header = new BatchHeaderFlyweight()
            .wrap(new UnsafeBuffer(headerBytes), 0);
    private final CRC32C crc = new CRC32C();
    private ByteBuffer batchBytes = ByteBuffer.allocateDirect(64 * 1024);

    static FileBatchReader forThread() {
        return READERS.get();
    }

    /** The header last read by {@link #readHeader}. */
    BatchHeaderFlyweight header() {
        return header;
    }

    /**
     * Reads the header of the batch at {@code position}.
     *
     * @param end the position reads must not go past (the segment's committed size)
     * @return false when fewer than a header's bytes lie before {@code end}
     */
    boolean readHeader(final FileChannel channel, final long position, final long end) throws IOException {
        if (end - position < HEADER_LENGTH) {
            return false;
        }
        headerBytes.clear();
        return readFully(channel, headerBytes, position);
    }

    /**
     * True when the header last read describes a batch that fits before {@code end}, has magic 2 and a sane
     * length and offset delta. Checks what can be checked without the batch body.
     */
    boolean headerIsSane(final long position, final long end) {
        final long total = header.totalLength();
        return header.magic() == MAGIC_V2 && total >= HEADER_LENGTH && position + total <= end
                && header.lastOffsetDelta() >= 0;
    }

    /** Reads the whole batch whose header was last read and checks its CRC-32C. */
    boolean crcIsValid(final FileChannel channel, final long position) throws IOException {
        final int expected = header.crc();
        final ByteBuffer batch = bufferFor((int) header.totalLength());
        if (!readFully(channel, batch, position)) {
            return false;
        }
        batch.position(ATTRIBUTES_OFFSET);
        crc.reset();
        crc.update(batch);
        return (int) crc.getValue() == expected;
    }

    /**
     * Reads the whole batch at {@code position} (its header last read) into a reused buffer, for record-level scans.
     * The returned buffer is valid until the next call; it is flipped to the batch's bytes.
     */
    ByteBuffer readBatch(final FileChannel channel, final long position) throws IOException {
        final ByteBuffer batch = bufferFor((int) header.totalLength());
        if (!readFully(channel, batch, position)) {
            throw new IOException("batch at position " + position + " is shorter than its length");
        }
        return batch.flip();
    }

    private ByteBuffer bufferFor(final int total) {
        if (total > MAX_RETAINED_BATCH_BUFFER) {
            return ByteBuffer.allocate(total);
        }
        if (batchBytes.capacity() < total) {
            batchBytes = ByteBuffer.allocateDirect(Math.min(MAX_RETAINED_BATCH_BUFFER,
                    Math.max(total, batchBytes.capacity() * 2)));
        }
        return batchBytes.clear().limit(total);
    }

    private static boolean readFully(final FileChannel channel, final ByteBuffer target, final long position)
            throws IOException {
        long at = position;
        while (target.hasRemaining()) {
            final int read = channel.read(target, at);
            if (read < 0) {
                return false;
            }
            at += read;
        }
        return true;
    }
}
