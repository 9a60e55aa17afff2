package dev.ferry.broker.metrics;

import static dev.ferry.protocol.record.RecordBatchDescriptor.BATCH_LENGTH_OFFSET;
import static dev.ferry.protocol.record.RecordBatchDescriptor.LOG_OVERHEAD;
import static dev.ferry.protocol.record.RecordBatchDescriptor.RECORDS_COUNT_OFFSET;
import static dev.ferry.protocol.record.RecordBatchDescriptor.RECORDS_OFFSET;

import dev.ferry.storage.FetchSlice;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Counts the records of v2 record batches from their headers' record counts, without reading the records: in a
 * buffer (a Produce request's batches) or in a segment file (a Fetch response's slice). Only whole batches are
 * counted; a truncated one at the end is left out.
 *
 * <p><b>Thread-safety:</b> stateless but for one header buffer per thread.
 */
final class RecordCounts {

    private static final ThreadLocal<ByteBuffer> HEADERS =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(RECORDS_OFFSET).order(ByteOrder.BIG_ENDIAN));

    private RecordCounts() {
    }

    /** The records of the batches in {@code batches}' readable bytes; its indexes are left as they are. */
    static long inBuffer(ByteBuf batches) {
        long records = 0;
        int position = batches.readerIndex();
        final int end = batches.writerIndex();
        while (end - position >= RECORDS_OFFSET) {
            final int length = batches.getInt(position + BATCH_LENGTH_OFFSET);
            if (length < RECORDS_OFFSET - LOG_OVERHEAD || end - position - LOG_OVERHEAD < length) {
                break;
            }
            records += Math.max(0, batches.getInt(position + RECORDS_COUNT_OFFSET));
            position += LOG_OVERHEAD + length;
        }
        return records;
    }

    /**
     * The records of the batches in {@code slice}, reading one header per batch from the file.
     *
     * @throws IOException when the file cannot be read
     */
    static long inSlice(FetchSlice slice) throws IOException {
        FileChannel channel = slice.channel();
        if (channel == null || slice.length() == 0) {
            return 0;
        }
        ByteBuffer header = HEADERS.get();
        long records = 0;
        long position = slice.position();
        final long end = position + slice.length();
        while (end - position >= RECORDS_OFFSET) {
            header.clear();
            if (!readFully(channel, header, position)) {
                break;
            }
            final int length = header.getInt(BATCH_LENGTH_OFFSET);
            if (length < RECORDS_OFFSET - LOG_OVERHEAD || end - position - LOG_OVERHEAD < length) {
                break;
            }
            records += Math.max(0, header.getInt(RECORDS_COUNT_OFFSET));
            position += LOG_OVERHEAD + length;
        }
        return records;
    }

    private static boolean readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, position + buffer.position());
            if (read < 0) {
                return false;
            }
        }
        return true;
    }
}
