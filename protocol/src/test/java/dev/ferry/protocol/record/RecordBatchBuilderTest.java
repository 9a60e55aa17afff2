package dev.ferry.protocol.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

class RecordBatchBuilderTest {

    @Test
    void shouldWriteExactlyTheBytesKafkaWritesForTheSameRecords() {
        List<SimpleRecord> records = KafkaBatches.sampleRecords();
        byte[] kafka = KafkaBatches.build(org.apache.kafka.common.record.internal.CompressionType.NONE, true,
                records);
        RecordBatchBuilder builder = new RecordBatchBuilder()
                .producer(KafkaBatches.PRODUCER_ID, KafkaBatches.PRODUCER_EPOCH, KafkaBatches.BASE_SEQUENCE)
                .transactional(true);
        records.forEach(record -> builder.add(record.timestamp(), array(record.key()), array(record.value()),
                headers(record.headers())));

        assertArrayEquals(kafka, build(builder));
        assertEquals(kafka.length, builder.sizeInBytes());
    }

    @Test
    void shouldWriteABatchKafkaParsesWithTheSameRecords() {
        byte[] bytes = build(new RecordBatchBuilder()
                .add(1_000L, KafkaBatches.bytes("k1"), KafkaBatches.bytes("v1"))
                .add(900L, null, null, new Header("h1", KafkaBatches.bytes("x")), new Header("h2", null))
                .add(5_000L, new byte[0], new byte[200]));

        MutableRecordBatch batch = KafkaBatches.onlyBatch(bytes);
        List<org.apache.kafka.common.record.internal.Record> records = KafkaBatches.records(bytes);

        assertTrue(batch.isValid());
        assertEquals(0L, batch.baseOffset());
        assertEquals(2L, batch.lastOffset());
        assertEquals(1_000L, ((DefaultRecordBatch) batch).baseTimestamp());
        assertEquals(5_000L, batch.maxTimestamp());
        assertEquals(-1L, batch.producerId());
        assertFalse(batch.isTransactional());
        assertEquals(org.apache.kafka.common.record.TimestampType.CREATE_TIME, batch.timestampType());
        assertEquals(3, records.size());
        assertEquals(List.of(0L, 1L, 2L), records.stream().map(r -> r.offset()).toList());
        assertEquals(List.of(1_000L, 900L, 5_000L), records.stream().map(r -> r.timestamp()).toList());
        assertArrayEquals(KafkaBatches.bytes("k1"), array(records.get(0).key()));
        assertArrayEquals(KafkaBatches.bytes("v1"), array(records.get(0).value()));
        assertFalse(records.get(1).hasKey());
        assertFalse(records.get(1).hasValue());
        assertEquals("h1", records.get(1).headers()[0].key());
        assertArrayEquals(KafkaBatches.bytes("x"), records.get(1).headers()[0].value());
        assertEquals("h2", records.get(1).headers()[1].key());
        assertNull(records.get(1).headers()[1].value());
        assertArrayEquals(new byte[0], array(records.get(2).key()));
        assertArrayEquals(new byte[200], array(records.get(2).value()));
    }

    @Test
    void shouldAppendAtTheWriterIndex() {
        ByteBuf out = Unpooled.buffer();
        try {
            out.writeBytes(KafkaBatches.bytes("prefix"));
            RecordBatchBuilder builder = new RecordBatchBuilder().add(1L, null, KafkaBatches.bytes("v"));

            builder.writeTo(out);

            assertEquals(6 + builder.sizeInBytes(), out.writerIndex());
            assertTrue(new RecordBatch().wrap(out, 6).isCrcValid());
            assertEquals(1, KafkaBatches.records(ByteBufUtil.getBytes(out, 6, builder.sizeInBytes())).size());
        } finally {
            out.release();
        }
    }

    @Test
    void shouldRefuseToBuildABatchWithoutRecords() {
        RecordBatchBuilder builder = new RecordBatchBuilder();

        assertThrows(IllegalStateException.class, () -> builder.build(UnpooledByteBufAllocator.DEFAULT));
    }

    private static byte[] build(RecordBatchBuilder builder) {
        ByteBuf buffer = builder.build(UnpooledByteBufAllocator.DEFAULT);
        try {
            return ByteBufUtil.getBytes(buffer);
        } finally {
            buffer.release();
        }
    }

    private static byte[] array(ByteBuffer buffer) {
        return buffer == null ? null : KafkaBatches.toArray(buffer);
    }

    private static Header[] headers(org.apache.kafka.common.header.Header[] kafka) {
        List<Header> headers = new ArrayList<>();
        for (org.apache.kafka.common.header.Header header : kafka) {
            headers.add(new Header(header.key(), header.value()));
        }
        return headers.toArray(new Header[0]);
    }
}
