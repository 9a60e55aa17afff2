package dev.ferry.protocol.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RecordBatchTest {
    private final List<ByteBuf> buffers = new ArrayList<>();

    @AfterEach
    void releaseBuffers() {
        buffers.forEach(ByteBuf::release);
    }

    @ParameterizedTest
    @EnumSource(org.apache.kafka.common.record.internal.CompressionType.class)
    void shouldReadEveryHeaderFieldAsKafkaDoes(org.apache.kafka.common.record.internal.CompressionType codec) {
        byte[] bytes = KafkaBatches.build(codec, true, KafkaBatches.sampleRecords());
        MutableRecordBatch kafka = KafkaBatches.onlyBatch(bytes);

        RecordBatch batch = new RecordBatch().wrap(track(Unpooled.wrappedBuffer(bytes)), 0);

        assertEquals(kafka.baseOffset(), batch.baseOffset());
        assertEquals(kafka.sizeInBytes(), batch.sizeInBytes());
        assertEquals(bytes.length, batch.sizeInBytes());
        assertEquals(bytes.length - RecordBatchDescriptor.LOG_OVERHEAD, batch.batchLength());
        assertEquals(kafka.partitionLeaderEpoch(), batch.partitionLeaderEpoch());
        assertEquals(kafka.magic(), batch.magic());
        assertEquals(kafka.checksum(), batch.crc());
        assertEquals(codec.id, batch.compressionId());
        assertEquals(codec.name(), batch.compressionType().name());
        assertEquals(kafka.timestampType().name(), batch.timestampType().name());
        assertEquals(kafka.isTransactional(), batch.isTransactional());
        assertEquals(kafka.isControlBatch(), batch.isControl());
        assertEquals(kafka.deleteHorizonMs().isPresent(), batch.hasDeleteHorizon());
        assertEquals(kafka.lastOffset(), batch.lastOffset());
        assertEquals(kafka.lastOffset() - kafka.baseOffset(), batch.lastOffsetDelta());
        assertEquals(((DefaultRecordBatch) kafka).baseTimestamp(), batch.baseTimestamp());
        assertEquals(kafka.maxTimestamp(), batch.maxTimestamp());
        assertEquals(kafka.producerId(), batch.producerId());
        assertEquals(kafka.hasProducerId(), batch.hasProducerId());
        assertEquals(kafka.producerEpoch(), batch.producerEpoch());
        assertEquals(kafka.baseSequence(), batch.baseSequence());
        assertEquals(kafka.lastSequence(), batch.lastSequence());
        assertEquals(kafka.countOrNull(), batch.recordCount());
        assertEquals(kafka.checksum(), batch.computeCrc());
        assertTrue(batch.isCrcValid());
    }

    @Test
    void shouldReadTheBatchWhereverItSitsInTheBuffer() {
        byte[] bytes = KafkaBatches.buildPlain(org.apache.kafka.common.record.internal.CompressionType.NONE);
        ByteBuf buffer = track(Unpooled.buffer());
        buffer.writeBytes(new byte[] {9, 9, 9, 9, 9});
        buffer.writeBytes(bytes);

        RecordBatch batch = new RecordBatch().wrap(buffer, 5);

        assertEquals(4, batch.recordCount());
        assertEquals(KafkaBatches.FIRST_TIMESTAMP, batch.baseTimestamp());
        assertTrue(batch.isCrcValid());
        assertEquals(0, buffer.readerIndex());
        assertEquals(5 + bytes.length, buffer.writerIndex());
    }

    @Test
    void shouldWrapSequencesAroundLikeKafka() {
        List<SimpleRecord> records = KafkaBatches.sampleRecords();
        byte[] bytes = KafkaBatches.build(org.apache.kafka.common.record.internal.CompressionType.NONE, false,
                records);
        ByteBuf buffer = track(Unpooled.wrappedBuffer(bytes));
        RecordBatch batch = new RecordBatch().wrap(buffer, 0);

        buffer.setInt(RecordBatchDescriptor.BASE_SEQUENCE_OFFSET, Integer.MAX_VALUE - 1);
        buffer.setInt(RecordBatchDescriptor.CRC_OFFSET, (int) batch.computeCrc());

        assertEquals(1, batch.lastSequence());
        assertEquals(KafkaBatches.onlyBatch(bytes).lastSequence(), batch.lastSequence());
    }

    @Test
    void shouldReportNoLastSequenceWithoutBaseSequence() {
        byte[] bytes = KafkaBatches.buildPlain(org.apache.kafka.common.record.internal.CompressionType.NONE);

        RecordBatch batch = new RecordBatch().wrap(track(Unpooled.wrappedBuffer(bytes)), 0);

        assertFalse(batch.hasProducerId());
        assertEquals(RecordBatchDescriptor.NO_SEQUENCE, batch.lastSequence());
    }

    @Test
    void shouldComputeTheSameCrcOverHeapDirectAndCompositeBuffers() {
        byte[] bytes = KafkaBatches.buildPlain(org.apache.kafka.common.record.internal.CompressionType.GZIP);
        long expected = KafkaBatches.onlyBatch(bytes).checksum();
        ByteBuf direct = track(Unpooled.directBuffer(bytes.length + 3)).writeZero(3).writeBytes(bytes);
        CompositeByteBuf composite = track(Unpooled.compositeBuffer());
        composite.addComponents(true, Unpooled.wrappedBuffer(bytes, 0, 30),
                Unpooled.directBuffer(40).writeBytes(bytes, 30, 40),
                Unpooled.wrappedBuffer(bytes, 70, bytes.length - 70));
        RecordBatch batch = new RecordBatch();

        assertEquals(expected, batch.wrap(track(Unpooled.wrappedBuffer(bytes)), 0).computeCrc());
        assertEquals(expected, batch.wrap(direct, 3).computeCrc());
        assertEquals(expected, batch.wrap(direct.slice(3, bytes.length), 0).computeCrc());
        assertEquals(expected, batch.wrap(composite, 0).computeCrc());
        assertEquals(expected, batch.wrap(track(Unpooled.wrappedBuffer(bytes)).asReadOnly(), 0).computeCrc());
    }

    @Test
    void shouldDetectAChangedByteThroughTheCrc() {
        byte[] bytes = KafkaBatches.buildPlain(org.apache.kafka.common.record.internal.CompressionType.NONE);
        bytes[bytes.length - 10] ^= 0x01;

        RecordBatch batch = new RecordBatch().wrap(track(Unpooled.wrappedBuffer(bytes)), 0);

        assertFalse(batch.isCrcValid());
        assertFalse(KafkaBatches.onlyBatch(bytes).isValid());
    }

    @Test
    void shouldStampLogAppendTimeSoThatKafkaStillAcceptsTheBatch() {
        byte[] bytes = KafkaBatches.build(org.apache.kafka.common.record.internal.CompressionType.NONE, false,
                KafkaBatches.sampleRecords());
        RecordBatch batch = new RecordBatch().wrap(track(Unpooled.wrappedBuffer(bytes)), 0);
        long appendTime = KafkaBatches.FIRST_TIMESTAMP + 60_000;

        batch.setMaxTimestampAndType(TimestampType.LOG_APPEND_TIME, appendTime);

        MutableRecordBatch kafka = KafkaBatches.onlyBatch(bytes);
        assertTrue(kafka.isValid());
        assertEquals(org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME, kafka.timestampType());
        assertEquals(appendTime, kafka.maxTimestamp());
        assertTrue(KafkaBatches.records(bytes).stream().allMatch(record -> record.timestamp() == appendTime));
        assertEquals(TimestampType.LOG_APPEND_TIME, batch.timestampType());
        assertEquals(KafkaBatches.PRODUCER_ID, kafka.producerId());
    }

    @Test
    void shouldRestoreCreateTimeAndKeepTheOtherAttributes() {
        byte[] original = KafkaBatches.build(org.apache.kafka.common.record.internal.CompressionType.LZ4, true,
                KafkaBatches.sampleRecords());
        byte[] bytes = original.clone();
        RecordBatch batch = new RecordBatch().wrap(track(Unpooled.wrappedBuffer(bytes)), 0);
        long maxTimestamp = batch.maxTimestamp();

        batch.setMaxTimestampAndType(TimestampType.LOG_APPEND_TIME, 1L);
        batch.setMaxTimestampAndType(TimestampType.CREATE_TIME, maxTimestamp);

        assertEquals(org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                KafkaBatches.onlyBatch(bytes).timestampType());
        assertTrue(batch.isTransactional());
        assertEquals(CompressionType.LZ4, batch.compressionType());
        assertArrayEquals(original, bytes, "restoring the values restores every byte");
    }

    @Test
    void shouldSetBaseOffsetAndLeaderEpochOutsideTheCrc() {
        byte[] bytes = KafkaBatches.build(org.apache.kafka.common.record.internal.CompressionType.SNAPPY, false,
                KafkaBatches.sampleRecords());
        RecordBatch batch = new RecordBatch().wrap(track(Unpooled.wrappedBuffer(bytes)), 0);

        batch.setBaseOffset(1_234_567L);
        batch.setPartitionLeaderEpoch(9);

        MutableRecordBatch kafka = KafkaBatches.onlyBatch(bytes);
        assertEquals(1_234_567L, kafka.baseOffset());
        assertEquals(1_234_567L + 3, kafka.lastOffset());
        assertEquals(9, kafka.partitionLeaderEpoch());
        assertTrue(kafka.isValid());
        assertTrue(batch.isCrcValid());
    }

    private <T extends ByteBuf> T track(T buffer) {
        buffers.add(buffer);
        return buffer;
    }
}
