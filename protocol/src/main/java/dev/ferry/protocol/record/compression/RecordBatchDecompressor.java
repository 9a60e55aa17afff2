package dev.ferry.protocol.record.compression;

import static dev.ferry.protocol.record.RecordBatchDescriptor.MAGIC_V2;
import static dev.ferry.protocol.record.RecordBatchDescriptor.RECORDS_OFFSET;

import dev.ferry.protocol.record.CompressionType;
import dev.ferry.protocol.record.RecordBatch;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.util.Locale;

/**
 * Turns the records section of a v2 batch back into the records, one after the other, whatever codec compressed
 * it. Corrupt or truncated input raises {@link DecompressionException}, never a hang; so does input that would
 * decompress beyond a cap, before the memory is taken.
 * <p>
 * Stateless and thread-safe; allocates per call, so it is for tools and rare lookups, not for hot paths.
 */
public final class RecordBatchDecompressor {
    /** The default cap on a batch's decompressed records: far above any batch a default-configured Kafka accepts. */
    public static final int DEFAULT_MAX_RECORDS_BYTES = 64 * 1024 * 1024;

    /** Typical ratio of records to compressed bytes, to size the output once rather than grow it step by step. */
    private static final int EXPECTED_RATIO = 4;

    private RecordBatchDecompressor() {
    }

    /**
     * Decompresses a batch's records, up to {@link #DEFAULT_MAX_RECORDS_BYTES}.
     *
     * @see #decompressedRecords(RecordBatch, ByteBufAllocator, int)
     */
    public static ByteBuf decompressedRecords(RecordBatch batch, ByteBufAllocator allocator) {
        return decompressedRecords(batch, allocator, DEFAULT_MAX_RECORDS_BYTES);
    }

    /**
     * Decompresses a batch's records. For an uncompressed batch this is a retained slice of its records section.
     *
     * @param batch     a flyweight over a v2 batch lying within its buffer's readable bytes; the buffer is read, not
     *                  retained (except through the slice of an uncompressed batch)
     * @param allocator where the heap buffer of decompressed records comes from
     * @param maxBytes  the most bytes the records may decompress to
     * @return the records as the buffer's readable bytes; the caller owns the buffer and must release it
     * @throws IllegalArgumentException if the batch is not v2, does not fit its buffer or names an unknown codec
     * @throws DecompressionException   if the records cannot be decompressed or exceed {@code maxBytes}
     */
    public static ByteBuf decompressedRecords(RecordBatch batch, ByteBufAllocator allocator, int maxBytes) {
        if (batch.magic() != MAGIC_V2) {
            throw new IllegalArgumentException("Cannot decompress a batch with magic v" + batch.magic());
        }
        final ByteBuf buffer = batch.buffer();
        final int size = batch.sizeInBytes();
        if (size < RECORDS_OFFSET || (long) batch.offset() + size > buffer.writerIndex()) {
            throw new IllegalArgumentException("Batch of " + size + " bytes at index " + batch.offset()
                    + " does not fit a buffer of " + buffer.writerIndex() + " bytes");
        }
        final CompressionType type = batch.compressionType();
        final int start = batch.offset() + RECORDS_OFFSET;
        final int length = size - RECORDS_OFFSET;
        if (type == CompressionType.NONE) {
            return buffer.retainedSlice(start, length);
        }
        final byte[] source;
        final int sourceOffset;
        if (buffer.hasArray()) {
            source = buffer.array();
            sourceOffset = buffer.arrayOffset() + start;
        } else {
            source = ByteBufUtil.getBytes(buffer, start, length);
            sourceOffset = 0;
        }
        final int expected = (int) Math.min((long) length * EXPECTED_RATIO, maxBytes);
        try (DecompressedOutput out = new DecompressedOutput(allocator, expected, maxBytes)) {
            decompress(type, source, sourceOffset, length, out);
            return out.take();
        } catch (DecompressionException e) {
            throw new DecompressionException(describe(type, batch) + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new DecompressionException(describe(type, batch) + " are corrupt: " + e, e);
        }
    }

    private static void decompress(CompressionType type, byte[] source, int offset, int length,
                                   DecompressedOutput out) throws IOException {
        switch (type) {
            case GZIP -> GzipDecompressor.decompress(source, offset, length, out);
            case SNAPPY -> SnappyDecompressor.decompress(source, offset, length, out);
            case LZ4 -> Lz4Decompressor.decompress(source, offset, length, out);
            case ZSTD -> ZstdDecompressor.decompress(source, offset, length, out);
            default -> throw new IllegalStateException("No decompressor for " + type);
        }
    }

    private static String describe(CompressionType type, RecordBatch batch) {
        return type.name().toLowerCase(Locale.ROOT) + " records of the batch at base offset "
                + batch.baseOffset();
    }
}
