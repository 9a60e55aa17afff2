package dev.ferry.protocol.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RecordReaderTest {
    private ByteBuf buffer;

    @AfterEach
    void releaseBuffer() {
        if (buffer != null) {
            buffer.release();
        }
    }

    @Test
    void shouldReadTheRecordsKafkaWrote() {
        List<SimpleRecord> expected = KafkaBatches.sampleRecords();
        byte[] bytes = KafkaBatches.build(org.apache.kafka.common.record.internal.CompressionType.NONE, false,
                expected);
        ByteBuffer.wrap(bytes).putLong(0, 500L);

        List<Record> records = RecordReader.readAll(wrap(bytes));

        assertEquals(expected.size(), records.size());
        for (int i = 0; i < expected.size(); i++) {
            SimpleRecord kafka = expected.get(i);
            Record record = records.get(i);
            assertEquals(500L + i, record.offset());
            assertEquals(i, record.offsetDelta());
            assertEquals(kafka.timestamp(), record.timestamp());
            assertEquals(kafka.timestamp() - KafkaBatches.FIRST_TIMESTAMP, record.timestampDelta());
            assertArrayEquals(array(kafka.key()), record.key());
            assertArrayEquals(array(kafka.value()), record.value());
            assertEquals(kafka.headers().length, record.headers().size());
            for (int h = 0; h < kafka.headers().length; h++) {
                assertEquals(kafka.headers()[h].key(), record.headers().get(h).key());
                assertArrayEquals(kafka.headers()[h].value(), record.headers().get(h).value());
            }
        }
    }

    @Test
    void shouldGiveEveryRecordTheLogAppendTime() {
        byte[] bytes = KafkaBatches.buildPlain(org.apache.kafka.common.record.internal.CompressionType.NONE);
        RecordBatch batch = wrap(bytes);
        batch.setMaxTimestampAndType(TimestampType.LOG_APPEND_TIME, 77L);

        List<Record> records = RecordReader.readAll(batch);

        assertEquals(List.of(77L, 77L, 77L, 77L), records.stream().map(Record::timestamp).toList());
    }

    @Test
    void shouldStopAfterTheDeclaredRecords() {
        RecordReader reader = new RecordReader(wrap(KafkaBatches.buildPlain(
                org.apache.kafka.common.record.internal.CompressionType.NONE)));
        for (int i = 0; i < 4; i++) {
            reader.next();
        }

        assertFalse(reader.hasNext());
        assertThrows(NoSuchElementException.class, reader::next);
    }

    @Test
    void shouldRefuseACompressedBatch() {
        RecordBatch batch = wrap(KafkaBatches.buildPlain(
                org.apache.kafka.common.record.internal.CompressionType.GZIP));

        assertThrows(IllegalArgumentException.class, () -> new RecordReader(batch));
    }

    @Test
    void shouldRefuseABatchThatDoesNotFitItsBuffer() {
        byte[] bytes = KafkaBatches.buildPlain(org.apache.kafka.common.record.internal.CompressionType.NONE);
        ByteBuffer.wrap(bytes).putInt(RecordBatchDescriptor.BATCH_LENGTH_OFFSET, bytes.length);

        assertThrows(IllegalArgumentException.class, () -> new RecordReader(wrap(bytes)));
    }

    @Test
    void shouldRefuseAMalformedRecordInsteadOfReadingGarbage() {
        byte[] bytes = KafkaBatches.buildPlain(org.apache.kafka.common.record.internal.CompressionType.NONE);
        bytes[RecordBatchDescriptor.RECORDS_OFFSET] = 0x7e;
        RecordReader reader = new RecordReader(wrap(bytes));

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, reader::next);
        assertEquals("Record 0 of the batch is malformed: its content does not match its length of 63 bytes",
                error.getMessage());
    }

    private RecordBatch wrap(byte[] bytes) {
        buffer = Unpooled.wrappedBuffer(bytes);
        return new RecordBatch().wrap(buffer, 0);
    }

    private static byte[] array(ByteBuffer buffer) {
        return buffer == null ? null : KafkaBatches.toArray(buffer);
    }
}
