package dev.ferry.bench;

import dev.ferry.protocol.record.RecordBatchBuilder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Record batches as the Java producer of the benchmark workloads sends them: uncompressed v2 batches of records with
 * no key and a value of fixed size, base offset 0, no producer id.
 *
 * <p>Set-up code, not measured. Stateless and thread-safe.
 */
final class RecordBatches {

    /** The record value size of the produce workloads of the side-by-side benchmark. */
    static final int ONE_KIB = 1024;

    /** How many 1 KiB records fill the producer's batch.size of 64 KiB (the rest is batch and record overhead). */
    static final int RECORDS_PER_FULL_BATCH = 63;

    private RecordBatches() {
    }

    /** One batch of {@code records} records whose values are {@code valueBytes} bytes of 'x'. */
    static byte[] batch(int records, int valueBytes) {
        byte[] value = new byte[valueBytes];
        Arrays.fill(value, (byte) 'x');
        long timestamp = System.currentTimeMillis();
        RecordBatchBuilder builder = new RecordBatchBuilder();
        for (int i = 0; i < records; i++) {
            builder.add(timestamp, null, value);
        }
        ByteBuf built = builder.build(UnpooledByteBufAllocator.DEFAULT);
        try {
            byte[] bytes = new byte[built.readableBytes()];
            built.readBytes(bytes);
            return bytes;
        } finally {
            built.release();
        }
    }

    /**
     * The batch in a direct buffer, as the broker hands a produce request's records to the log (a view of the
     * request frame, which Netty reads into direct memory).
     */
    static ByteBuffer directBatch(int records, int valueBytes) {
        byte[] bytes = batch(records, valueBytes);
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length);
        buffer.put(bytes).flip();
        return buffer;
    }
}
