package dev.ferry.protocol.record;

import static dev.ferry.protocol.record.RecordBatchDescriptor.ATTRIBUTES_OFFSET;
import static dev.ferry.protocol.record.RecordBatchDescriptor.BATCH_LENGTH_OFFSET;
import static dev.ferry.protocol.record.RecordBatchDescriptor.CRC_OFFSET;
import static dev.ferry.protocol.record.RecordBatchDescriptor.LAST_OFFSET_DELTA_OFFSET;
import static dev.ferry.protocol.record.RecordBatchDescriptor.MAGIC_OFFSET;
import static dev.ferry.protocol.record.RecordBatchDescriptor.PRODUCER_ID_OFFSET;
import static dev.ferry.protocol.record.RecordBatchDescriptor.RECORDS_COUNT_OFFSET;
import static dev.ferry.protocol.record.RecordBatchDescriptor.RECORDS_OFFSET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.Errors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.utils.Crc32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class RecordBatchValidatorTest {
    /** Kafka's default max.message.bytes. */
    private static final int MAX_BATCH_BYTES = 1_048_588;

    @ParameterizedTest
    @EnumSource(org.apache.kafka.common.record.internal.CompressionType.class)
    void shouldAcceptABatchKafkaBuiltWithEveryCodec(org.apache.kafka.common.record.internal.CompressionType codec) {
        byte[] bytes = KafkaBatches.build(codec, true, KafkaBatches.sampleRecords());

        ValidationResult result = validate(bytes);

        assertEquals(Errors.NONE, result.error());
        assertTrue(result.isValid());
        assertNull(result.errorMessage());
        assertEquals(4, result.recordCount());
        assertEquals(KafkaBatches.FIRST_TIMESTAMP + 1_000, result.maxTimestamp());
    }

    @Test
    void shouldReportTheRecordTimestampRangeOfAnUncompressedBatch() {
        ValidationResult result = validate(KafkaBatches.buildPlain(
                org.apache.kafka.common.record.internal.CompressionType.NONE));

        assertEquals(KafkaBatches.FIRST_TIMESTAMP - 3, result.minTimestamp());
        assertEquals(KafkaBatches.FIRST_TIMESTAMP + 1_000, result.maxTimestamp());
    }

    @Test
    void shouldReportTheHeaderTimestampsOfACompressedBatch() {
        ValidationResult result = validate(KafkaBatches.buildPlain(
                org.apache.kafka.common.record.internal.CompressionType.ZSTD));

        assertEquals(KafkaBatches.FIRST_TIMESTAMP, result.minTimestamp());
        assertEquals(KafkaBatches.FIRST_TIMESTAMP + 1_000, result.maxTimestamp());
    }

    @Test
    void shouldAcceptTheBatchesOurBuilderWrites() {
        ByteBuf batch = new RecordBatchBuilder().producer(5L, (short) 1, 0)
                .add(10L, null, KafkaBatches.bytes("a"))
                .add(20L, KafkaBatches.bytes("k"), null, new Header("h", null))
                .build(UnpooledByteBufAllocator.DEFAULT);
        try {
            ValidationResult result = RecordBatchValidator.validate(batch, MAX_BATCH_BYTES);

            assertEquals(ValidationResult.ok(2, 10L, 20L), result);
        } finally {
            batch.release();
        }
    }

    @Test
    void shouldValidateFromTheReaderIndexWithoutMovingIndexes() {
        byte[] bytes = KafkaBatches.buildPlain(org.apache.kafka.common.record.internal.CompressionType.NONE);
        ByteBuf buffer = Unpooled.buffer();
        try {
            buffer.writeBytes(new byte[] {1, 2, 3}).writeBytes(bytes).readerIndex(3);

            ValidationResult result = RecordBatchValidator.validate(buffer, MAX_BATCH_BYTES);

            assertEquals(Errors.NONE, result.error());
            assertEquals(3, buffer.readerIndex());
            assertEquals(3 + bytes.length, buffer.writerIndex());
        } finally {
            buffer.release();
        }
    }

    @Test
    void shouldRefuseEmptyRecordsAsInvalidRecord() {
        assertEquals(Errors.INVALID_RECORD, validate(new byte[0]).error());
    }

    @Test
    void shouldRefuseABatchCutShortAtEveryPointAsInvalidRecord() {
        byte[] bytes = KafkaBatches.buildPlain(org.apache.kafka.common.record.internal.CompressionType.NONE);

        for (int length = 1; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);

            ValidationResult result = validate(cut);

            assertEquals(Errors.INVALID_RECORD, result.error(), "cut at " + length);
            assertFalse(MemoryRecords.readableRecords(ByteBuffer.wrap(cut)).batches().iterator().hasNext(),
                    "Kafka sees no batch either, cut at " + length);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 1_000, Integer.MAX_VALUE})
    void shouldRefuseALengthRunningPastTheEndAsInvalidRecord(int excess) {
        byte[] bytes = KafkaBatches.buildPlain(org.apache.kafka.common.record.internal.CompressionType.NONE);
        long length = (long) bytes.length - RecordBatchDescriptor.LOG_OVERHEAD + excess;
        ByteBuffer.wrap(bytes).putInt(BATCH_LENGTH_OFFSET, (int) Math.min(length, Integer.MAX_VALUE));

        assertEquals(Errors.INVALID_RECORD, validate(bytes).error());
    }

    @ParameterizedTest
    @ValueSource(ints = {13, 0, -1, Integer.MIN_VALUE})
    void shouldRefuseALengthBelowTheMinimumAsCorrupt(int length) {
        byte[] bytes = KafkaBatches.buildPlain(org.apache.kafka.common.record.internal.CompressionType.NONE);
        ByteBuffer.wrap(bytes).putInt(BATCH_LENGTH_OFFSET, length);

        assertEquals(Errors.CORRUPT_MESSAGE, validate(bytes).error());
        assertThrows(CorruptRecordException.class,
                () -> MemoryRecords.readableRecords(ByteBuffer.wrap(bytes)).batches().iterator().hasNext());
    }

    @Test
    void shouldRefuseAV2BatchShorterThanItsHeaderAsCorrupt() {
        byte[] bytes = new byte[RecordBatchDescriptor.LOG_OVERHEAD + 30];
        ByteBuffer.wrap(bytes).putInt(BATCH_LENGTH_OFFSET, 30).put(MAGIC_OFFSET, (byte) 2);

        ValidationResult result = validate(bytes);

        assertEquals(Errors.CORRUPT_MESSAGE, result.error());
        assertTrue(result.errorMessage().contains("header"), result.errorMessage());
    }

    @ParameterizedTest
    @ValueSource(bytes = {3, 4, 127, -1, -128})
    void shouldRefuseAnUnknownMagicAsCorrupt(byte magic) {
        byte[] bytes = KafkaBatches.buildPlain(org.apache.kafka.common.record.internal.CompressionType.NONE);
        bytes[MAGIC_OFFSET] = magic;

        assertEquals(Errors.CORRUPT_MESSAGE, validate(bytes).error());
    }

    @ParameterizedTest
    @ValueSource(bytes = {0, 1})
    void shouldRefuseLegacyMessageSetsAsInvalidRecord(byte magic) {
        byte[] bytes = legacyMessage(magic, KafkaBatches.bytes("key"), KafkaBatches.bytes("legacy value"));
        MutableRecordBatch kafka = KafkaBatches.onlyBatch(bytes);
        assertEquals(magic, kafka.magic());
        assertTrue(kafka.isValid(), "the test input is a well-formed legacy message");

        ValidationResult result = validate(bytes);

        assertEquals(Errors.INVALID_RECORD, result.error());
        assertTrue(result.errorMessage().contains("magic v" + magic), result.errorMessage());
    }

    @Test
    void shouldRefuseEveryChangedByteUnderTheCrcAsCorrupt() {
        byte[] original = KafkaBatches.buildPlain(org.apache.kafka.common.record.internal.CompressionType.NONE);

        for (int position = CRC_OFFSET; position < original.length; position++) {
            byte[] bytes = original.clone();
            bytes[position] ^= 0x20;

            assertEquals(Errors.CORRUPT_MESSAGE, validate(bytes).error(), "byte " + position);
        }
    }

    @Test
    void shouldRefuseACorruptCompressedBatch() {
        byte[] bytes = KafkaBatches.buildPlain(org.apache.kafka.common.record.internal.CompressionType.GZIP);
        bytes[bytes.length - 5] ^= 0x01;

        assertEquals(Errors.CORRUPT_MESSAGE, validate(bytes).error());
    }

    @Test
    void shouldRefuseABatchLargerThanTheLimit() {
        byte[] bytes = KafkaBatches.buildPlain(org.apache.kafka.common.record.internal.CompressionType.NONE);

        assertEquals(Errors.MESSAGE_TOO_LARGE, validate(bytes, bytes.length - 1).error());
        assertEquals(Errors.NONE, validate(bytes, bytes.length).error());
    }

    @Test
    void shouldRefuseANonZeroBaseOffsetAsInvalidRecord() {
        byte[] bytes = KafkaBatches.buildPlain(org.apache.kafka.common.record.internal.CompressionType.NONE);
        ByteBuffer.wrap(bytes).putLong(0, 17L);

        assertEquals(Errors.INVALID_RECORD, validate(bytes).error());
    }

    @Test
    void shouldRefuseAControlBatchAsInvalidRecord() {
        byte[] bytes = KafkaBatches.toArray(MemoryRecords.withEndTransactionMarker(0L, 1L, -1, 9L, (short) 0,
                new EndTransactionMarker(org.apache.kafka.common.record.internal.ControlRecordType.COMMIT, 0))
                .buffer());
        assertTrue(KafkaBatches.onlyBatch(bytes).isControlBatch());

        ValidationResult result = validate(bytes);

        assertEquals(Errors.INVALID_RECORD, result.error());
        assertTrue(result.errorMessage().contains("control"), result.errorMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 5, Integer.MAX_VALUE})
    void shouldRefuseARecordsCountThatDisagreesWithTheLastOffsetDelta(int count) {
        byte[] bytes = KafkaBatches.buildPlain(org.apache.kafka.common.record.internal.CompressionType.SNAPPY);
        ByteBuffer.wrap(bytes).putInt(RECORDS_COUNT_OFFSET, count);
        rewriteCrc(bytes);

        assertEquals(Errors.INVALID_RECORD, validate(bytes).error());
    }

    @Test
    void shouldRefuseANegativeLastOffsetDelta() {
        byte[] bytes = KafkaBatches.buildPlain(org.apache.kafka.common.record.internal.CompressionType.NONE);
        ByteBuffer.wrap(bytes).putInt(LAST_OFFSET_DELTA_OFFSET, -1).putInt(RECORDS_COUNT_OFFSET, 0);
        rewriteCrc(bytes);

        assertEquals(Errors.INVALID_RECORD, validate(bytes).error());
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 6, 7})
    void shouldRefuseAnUnknownCompressionCodecAsInvalidRecord(int codec) {
        byte[] bytes = KafkaBatches.buildPlain(org.apache.kafka.common.record.internal.CompressionType.NONE);
        ByteBuffer.wrap(bytes).putShort(ATTRIBUTES_OFFSET, (short) codec);
        rewriteCrc(bytes);

        ValidationResult result = validate(bytes);

        assertEquals(Errors.INVALID_RECORD, result.error());
        assertTrue(result.errorMessage().contains("codec id " + codec), result.errorMessage());
    }

    @Test
    void shouldRefuseAProducerIdWithoutSequenceAsInvalidRecord() {
        byte[] bytes = KafkaBatches.buildPlain(org.apache.kafka.common.record.internal.CompressionType.NONE);
        ByteBuffer.wrap(bytes).putLong(PRODUCER_ID_OFFSET, 99L);
        rewriteCrc(bytes);

        assertEquals(Errors.INVALID_RECORD, validate(bytes).error());
    }

    @Test
    void shouldRefuseRecordsLeftOverAfterTheDeclaredCount() {
        byte[] bytes = KafkaBatches.buildPlain(org.apache.kafka.common.record.internal.CompressionType.NONE);
        ByteBuffer.wrap(bytes).putInt(LAST_OFFSET_DELTA_OFFSET, 2).putInt(RECORDS_COUNT_OFFSET, 3);
        rewriteCrc(bytes);

        assertEquals(Errors.INVALID_RECORD, validate(bytes).error());
        assertThrows(InvalidRecordException.class, () -> KafkaBatches.records(bytes));
    }

    @Test
    void shouldRefuseADeclaredCountBeyondTheRecordsPresent() {
        byte[] bytes = KafkaBatches.buildPlain(org.apache.kafka.common.record.internal.CompressionType.NONE);
        ByteBuffer.wrap(bytes).putInt(LAST_OFFSET_DELTA_OFFSET, 4).putInt(RECORDS_COUNT_OFFSET, 5);
        rewriteCrc(bytes);

        assertEquals(Errors.INVALID_RECORD, validate(bytes).error());
        assertThrows(InvalidRecordException.class, () -> KafkaBatches.records(bytes));
    }

    @Test
    void shouldAgreeWithKafkaOnEveryChangedRecordByte() {
        byte[] original = KafkaBatches.build(org.apache.kafka.common.record.internal.CompressionType.NONE, false,
                KafkaBatches.sampleRecords());
        int refused = 0;

        for (int position = RECORDS_OFFSET; position < original.length; position++) {
            for (int mask : new int[] {0x01, 0x08, 0x40, 0x80, 0xff}) {
                byte[] bytes = original.clone();
                bytes[position] ^= (byte) mask;
                rewriteCrc(bytes);

                ValidationResult result = validate(bytes);

                String where = "byte " + position + " xor " + mask;
                assertEquals(kafkaReadsEveryRecord(bytes), result.isValid(), where);
                if (!result.isValid()) {
                    assertEquals(Errors.INVALID_RECORD, result.error(), where);
                    refused++;
                }
            }
        }
        assertTrue(refused > 100, "the changes must exercise the refusals, refused " + refused);
    }

    @Test
    void shouldRefuseSeveralBatchesInOneProducePartitionAsInvalidRecord() {
        byte[] one = KafkaBatches.buildPlain(org.apache.kafka.common.record.internal.CompressionType.NONE);
        byte[] two = KafkaBatches.buildPlain(org.apache.kafka.common.record.internal.CompressionType.LZ4);
        byte[] both = concat(one, two, one);
        int kafkaBatches = 0;
        for (MutableRecordBatch batch : MemoryRecords.readableRecords(ByteBuffer.wrap(both)).batches()) {
            assertTrue(batch.isValid());
            kafkaBatches++;
        }
        assertEquals(3, kafkaBatches);

        ValidationResult result = validate(both);

        assertEquals(Errors.INVALID_RECORD, result.error());
        assertTrue(result.errorMessage().contains("one record batch"), result.errorMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 11, 12, 16, 17, 40})
    void shouldRefuseStrayBytesAfterTheBatchAsCorrupt(int strayBytes) {
        byte[] one = KafkaBatches.buildPlain(org.apache.kafka.common.record.internal.CompressionType.NONE);
        byte[] stray = Arrays.copyOf(one, strayBytes);

        assertEquals(Errors.CORRUPT_MESSAGE, validate(concat(one, stray)).error());
    }

    @Test
    void shouldRefuseAFollowingHeaderWithAnUnknownMagicAsCorrupt() {
        byte[] one = KafkaBatches.buildPlain(org.apache.kafka.common.record.internal.CompressionType.NONE);
        byte[] next = one.clone();
        next[MAGIC_OFFSET] = 9;

        assertEquals(Errors.CORRUPT_MESSAGE, validate(concat(one, next)).error());
    }

    private static ValidationResult validate(byte[] bytes) {
        return validate(bytes, MAX_BATCH_BYTES);
    }

    private static ValidationResult validate(byte[] bytes, int maxBatchBytes) {
        ByteBuf buffer = Unpooled.wrappedBuffer(bytes);
        try {
            return RecordBatchValidator.validate(buffer, maxBatchBytes);
        } finally {
            buffer.release();
        }
    }

    /** Recomputes the CRC with Kafka's implementation, after a test changed a covered field on purpose. */
    private static void rewriteCrc(byte[] bytes) {
        long crc = Crc32C.compute(bytes, ATTRIBUTES_OFFSET, bytes.length - ATTRIBUTES_OFFSET);
        ByteBuffer.wrap(bytes).putInt(CRC_OFFSET, (int) crc);
    }

    private static boolean kafkaReadsEveryRecord(byte[] bytes) {
        try {
            KafkaBatches.records(bytes);
            return true;
        } catch (InvalidRecordException | CorruptRecordException e) {
            return false;
        }
    }

    /** A v0 or v1 message as Kafka 0.10 clients wrote it: offset, size, CRC-32, magic, attributes, [timestamp]. */
    private static byte[] legacyMessage(byte magic, byte[] key, byte[] value) {
        int bodySize = 4 + 1 + 1 + (magic == 1 ? 8 : 0) + 4 + key.length + 4 + value.length;
        ByteBuffer buffer = ByteBuffer.allocate(RecordBatchDescriptor.LOG_OVERHEAD + bodySize);
        buffer.putLong(0L).putInt(bodySize).putInt(0).put(magic).put((byte) 0);
        if (magic == 1) {
            buffer.putLong(KafkaBatches.FIRST_TIMESTAMP);
        }
        buffer.putInt(key.length).put(key).putInt(value.length).put(value);
        byte[] bytes = buffer.array();
        CRC32 crc = new CRC32();
        crc.update(bytes, MAGIC_OFFSET, bytes.length - MAGIC_OFFSET);
        ByteBuffer.wrap(bytes).putInt(RecordBatchDescriptor.LEGACY_CRC_OFFSET, (int) crc.getValue());
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer buffer = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(part -> part.length).sum());
        for (byte[] part : parts) {
            buffer.put(part);
        }
        return buffer.array();
    }
}
