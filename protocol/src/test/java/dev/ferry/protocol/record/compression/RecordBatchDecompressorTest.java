package dev.ferry.protocol.record.compression;

import static dev.ferry.protocol.record.RecordBatchDescriptor.ATTRIBUTES_OFFSET;
import static dev.ferry.protocol.record.RecordBatchDescriptor.BATCH_LENGTH_OFFSET;
import static dev.ferry.protocol.record.RecordBatchDescriptor.LOG_OVERHEAD;
import static dev.ferry.protocol.record.RecordBatchDescriptor.RECORDS_OFFSET;
import static dev.ferry.protocol.record.compression.BatchRecordsTest.assertSameRecords;
import static dev.ferry.protocol.record.compression.KafkaCompressedBatches.build;
import static dev.ferry.protocol.record.compression.KafkaCompressedBatches.kafkaRecords;
import static dev.ferry.protocol.record.compression.KafkaCompressedBatches.sampleRecords;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.record.RecordBatch;
import dev.ferry.protocol.record.RecordBatchDescriptor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import net.jpountz.lz4.LZ4FrameOutputStream;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.CompressionType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xerial.snappy.Snappy;
import org.xerial.snappy.SnappyOutputStream;

@Timeout(30)
class RecordBatchDecompressorTest {

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void shouldDecompressToTheRecordsOfTheSameBatchUncompressed(CompressionType type) {
        byte[] compressed = build(type, TimestampType.CREATE_TIME, sampleRecords(40));
        byte[] plain = build(CompressionType.NONE, TimestampType.CREATE_TIME, sampleRecords(40));

        byte[] records = decompress(compressed, RecordBatchDecompressor.DEFAULT_MAX_RECORDS_BYTES);

        assertArrayEquals(Arrays.copyOfRange(plain, RECORDS_OFFSET, plain.length), records);
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void shouldRefuseRecordsDecompressingBeyondTheCap(CompressionType type) {
        byte[] batch = build(type, TimestampType.CREATE_TIME, sampleRecords(2_000));

        DecompressionException error = assertThrows(DecompressionException.class, () -> decompress(batch, 64 * 1024));

        assertTrue(error.getMessage().endsWith("Records decompress to more than 65536 bytes"), error.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void shouldRefuseTruncatedCompressedRecords(CompressionType type) {
        byte[] batch = build(type, TimestampType.CREATE_TIME, sampleRecords(200));
        byte[] truncated = withRecordsSection(batch, Arrays.copyOfRange(batch, RECORDS_OFFSET,
                RECORDS_OFFSET + (batch.length - RECORDS_OFFSET) / 2));

        DecompressionException error = assertThrows(DecompressionException.class,
                () -> decompress(truncated, RecordBatchDecompressor.DEFAULT_MAX_RECORDS_BYTES));

        assertTrue(error.getMessage().startsWith(type.name + " records of the batch at base offset 1000"),
                error.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void shouldRefuseGarbageInsteadOfCompressedRecords(CompressionType type) {
        byte[] batch = build(type, TimestampType.CREATE_TIME, sampleRecords(200));
        byte[] garbage = new byte[batch.length - RECORDS_OFFSET];
        new Random(7).nextBytes(garbage);

        assertThrows(DecompressionException.class, () -> decompress(withRecordsSection(batch, garbage),
                RecordBatchDecompressor.DEFAULT_MAX_RECORDS_BYTES));
    }

    @Test
    void shouldRefuseAnLz4FrameWhoseHeaderChecksumIsWrong() {
        byte[] batch = build(CompressionType.LZ4, TimestampType.CREATE_TIME, sampleRecords(10));
        // magic (4), FLG, BD, then the header checksum
        batch[RECORDS_OFFSET + 6] ^= 0x01;

        DecompressionException error = assertThrows(DecompressionException.class,
                () -> decompress(batch, RecordBatchDecompressor.DEFAULT_MAX_RECORDS_BYTES));

        assertTrue(error.getMessage().contains("LZ4 frame header checksum mismatch"), error.getMessage());
    }

    @Test
    void shouldReadLz4FramesWithContentSizeAndChecksumsAsOtherClientsWriteThem() throws IOException {
        byte[] plain = build(CompressionType.NONE, TimestampType.CREATE_TIME, sampleRecords(500));
        byte[] records = Arrays.copyOfRange(plain, RECORDS_OFFSET, plain.length);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        try (LZ4FrameOutputStream out = new LZ4FrameOutputStream(frame, LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB,
                records.length, LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE,
                LZ4FrameOutputStream.FLG.Bits.BLOCK_CHECKSUM, LZ4FrameOutputStream.FLG.Bits.CONTENT_SIZE,
                LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM)) {
            out.write(records);
        }

        byte[] batch = withCodec(withRecordsSection(plain, frame.toByteArray()), CompressionType.LZ4);

        assertArrayEquals(records, decompress(batch, RecordBatchDecompressor.DEFAULT_MAX_RECORDS_BYTES));
    }

    @Test
    void shouldRefuseAnLz4BlockWhoseChecksumIsWrong() throws IOException {
        byte[] plain = build(CompressionType.NONE, TimestampType.CREATE_TIME, sampleRecords(50));
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        try (LZ4FrameOutputStream out = new LZ4FrameOutputStream(frame, LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB,
                LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE, LZ4FrameOutputStream.FLG.Bits.BLOCK_CHECKSUM)) {
            out.write(plain, RECORDS_OFFSET, plain.length - RECORDS_OFFSET);
        }
        byte[] bytes = frame.toByteArray();
        // the first block's data starts after the 7-byte header and its 4-byte size
        bytes[7 + 4 + 10] ^= 0x20;

        DecompressionException error = assertThrows(DecompressionException.class, () -> decompress(
                withCodec(withRecordsSection(plain, bytes), CompressionType.LZ4),
                RecordBatchDecompressor.DEFAULT_MAX_RECORDS_BYTES));

        assertTrue(error.getMessage().contains("LZ4 block checksum mismatch"), error.getMessage());
    }

    @Test
    void shouldReadARawSnappyBlockAsLibrdkafkaWritesIt() throws IOException {
        byte[] plain = build(CompressionType.NONE, TimestampType.CREATE_TIME, sampleRecords(100));
        byte[] records = Arrays.copyOfRange(plain, RECORDS_OFFSET, plain.length);

        byte[] batch = withCodec(withRecordsSection(plain, Snappy.compress(records)), CompressionType.SNAPPY);

        assertArrayEquals(records, decompress(batch, RecordBatchDecompressor.DEFAULT_MAX_RECORDS_BYTES));
        assertSameRecords(kafkaRecords(batch), BatchRecords.readAll(new RecordBatch().wrap(
                Unpooled.wrappedBuffer(batch), 0)));
    }

    @Test
    void shouldReadConcatenatedSnappyStreams() throws IOException {
        byte[] plain = build(CompressionType.NONE, TimestampType.CREATE_TIME, sampleRecords(100));
        byte[] records = Arrays.copyOfRange(plain, RECORDS_OFFSET, plain.length);
        int half = records.length / 2;
        ByteArrayOutputStream streams = new ByteArrayOutputStream();
        streams.write(snappyStream(Arrays.copyOfRange(records, 0, half)));
        streams.write(snappyStream(Arrays.copyOfRange(records, half, records.length)));

        byte[] batch = withCodec(withRecordsSection(plain, streams.toByteArray()), CompressionType.SNAPPY);

        assertArrayEquals(records, decompress(batch, RecordBatchDecompressor.DEFAULT_MAX_RECORDS_BYTES));
    }

    @Test
    void shouldRefuseASnappyChunkRunningPastTheInput() {
        byte[] batch = build(CompressionType.SNAPPY, TimestampType.CREATE_TIME, sampleRecords(10));
        // the first chunk length follows the 16-byte stream header
        Unpooled.wrappedBuffer(batch).setInt(RECORDS_OFFSET + 16, Integer.MAX_VALUE);

        DecompressionException error = assertThrows(DecompressionException.class,
                () -> decompress(batch, RecordBatchDecompressor.DEFAULT_MAX_RECORDS_BYTES));

        assertTrue(error.getMessage().contains("Snappy chunk of 2147483647 bytes"), error.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void shouldDecompressABatchInADirectBuffer(CompressionType type) {
        byte[] batch = build(type, TimestampType.CREATE_TIME, sampleRecords(30));
        byte[] plain = build(CompressionType.NONE, TimestampType.CREATE_TIME, sampleRecords(30));
        ByteBuf direct = PooledByteBufAllocator.DEFAULT.directBuffer(batch.length + 5);
        try {
            direct.writeZero(5).writeBytes(batch);
            ByteBuf records = RecordBatchDecompressor.decompressedRecords(new RecordBatch().wrap(direct, 5),
                    PooledByteBufAllocator.DEFAULT);
            try {
                assertArrayEquals(Arrays.copyOfRange(plain, RECORDS_OFFSET, plain.length),
                        ByteBufUtil.getBytes(records));
            } finally {
                records.release();
            }
        } finally {
            direct.release();
        }
    }

    @Test
    void shouldSliceTheRecordsOfAnUncompressedBatch() {
        byte[] plain = build(CompressionType.NONE, TimestampType.CREATE_TIME, sampleRecords(3));
        ByteBuf buffer = Unpooled.wrappedBuffer(plain);

        ByteBuf records = RecordBatchDecompressor.decompressedRecords(new RecordBatch().wrap(buffer, 0),
                PooledByteBufAllocator.DEFAULT);

        assertEquals(2, buffer.refCnt());
        assertArrayEquals(Arrays.copyOfRange(plain, RECORDS_OFFSET, plain.length), ByteBufUtil.getBytes(records));
        records.release();
        assertEquals(1, buffer.refCnt());
    }

    private static byte[] decompress(byte[] batch, int maxBytes) {
        ByteBuf records = RecordBatchDecompressor.decompressedRecords(new RecordBatch().wrap(
                Unpooled.wrappedBuffer(batch), 0), PooledByteBufAllocator.DEFAULT, maxBytes);
        try {
            return ByteBufUtil.getBytes(records);
        } finally {
            records.release();
        }
    }

    /** The batch with its records section replaced and its length fixed; the CRC is left stale. */
    private static byte[] withRecordsSection(byte[] batch, byte[] records) {
        byte[] copy = Arrays.copyOf(batch, RECORDS_OFFSET + records.length);
        System.arraycopy(records, 0, copy, RECORDS_OFFSET, records.length);
        Unpooled.wrappedBuffer(copy).setInt(BATCH_LENGTH_OFFSET, copy.length - LOG_OVERHEAD);
        return copy;
    }

    private static byte[] withCodec(byte[] batch, CompressionType type) {
        ByteBuf buffer = Unpooled.wrappedBuffer(batch);
        int attributes = buffer.getShort(ATTRIBUTES_OFFSET) & ~RecordBatchDescriptor.COMPRESSION_CODEC_MASK;
        buffer.setShort(ATTRIBUTES_OFFSET, attributes | type.id);
        return batch;
    }

    private static byte[] snappyStream(byte[] bytes) throws IOException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        try (SnappyOutputStream out = new SnappyOutputStream(stream)) {
            out.write(bytes);
        }
        return stream.toByteArray();
    }
}
