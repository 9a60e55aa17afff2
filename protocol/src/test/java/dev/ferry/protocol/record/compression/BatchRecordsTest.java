package dev.ferry.protocol.record.compression;

import static dev.ferry.protocol.record.compression.KafkaCompressedBatches.array;
import static dev.ferry.protocol.record.compression.KafkaCompressedBatches.build;
import static dev.ferry.protocol.record.compression.KafkaCompressedBatches.kafkaRecords;
import static dev.ferry.protocol.record.compression.KafkaCompressedBatches.sampleRecords;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.protocol.record.Record;
import dev.ferry.protocol.record.RecordBatch;
import dev.ferry.protocol.record.RecordBatchDescriptor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.CompressionType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BatchRecordsTest {

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void shouldReadTheRecordsKafkaReadsFromEveryCodec(CompressionType type) {
        byte[] batch = build(type, TimestampType.CREATE_TIME, sampleRecords(50));

        List<Record> records = BatchRecords.readAll(new RecordBatch().wrap(Unpooled.wrappedBuffer(batch), 0));

        assertSameRecords(kafkaRecords(batch), records);
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void shouldReadABatchLargerThanOneCompressionBlock(CompressionType type) {
        // about 1.5 MiB of records: several lz4 blocks, snappy chunks and zstd/gzip buffers
        byte[] batch = build(type, TimestampType.CREATE_TIME, sampleRecords(6_000));

        List<Record> records = BatchRecords.readAll(new RecordBatch().wrap(Unpooled.wrappedBuffer(batch), 0));

        assertEquals(6_000, records.size());
        assertSameRecords(kafkaRecords(batch), records);
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void shouldGiveEveryRecordOfACompressedBatchTheLogAppendTime(CompressionType type) {
        byte[] batch = build(type, TimestampType.LOG_APPEND_TIME, sampleRecords(5));

        List<Record> records = BatchRecords.readAll(new RecordBatch().wrap(Unpooled.wrappedBuffer(batch), 0));

        long appendTime = KafkaCompressedBatches.FIRST_TIMESTAMP + 99_999;
        assertEquals(List.of(appendTime, appendTime, appendTime, appendTime, appendTime),
                records.stream().map(Record::timestamp).toList());
        assertEquals(List.of(1_000L, 1_001L, 1_002L, 1_003L, 1_004L), records.stream().map(Record::offset).toList());
    }

    @Test
    void shouldReleaseTheDecompressedRecordsOnClose() {
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.heapBuffer();
        buffer.writeBytes(build(CompressionType.ZSTD, TimestampType.CREATE_TIME, sampleRecords(3)));
        try {
            BatchRecords records = BatchRecords.open(new RecordBatch().wrap(buffer, 0), PooledByteBufAllocator.DEFAULT);
            Record first = records.next();
            records.close();
            records.close();

            assertEquals(1_000L, first.offset());
            assertEquals(1, buffer.refCnt());
        } finally {
            buffer.release();
        }
    }

    @Test
    void shouldRefuseRecordsThatDoNotMatchTheDeclaredCount() {
        byte[] batch = build(CompressionType.LZ4, TimestampType.CREATE_TIME, sampleRecords(4));
        Unpooled.wrappedBuffer(batch).setInt(RecordBatchDescriptor.RECORDS_COUNT_OFFSET, 5);

        try (BatchRecords records = BatchRecords.open(new RecordBatch().wrap(Unpooled.wrappedBuffer(batch), 0),
                PooledByteBufAllocator.DEFAULT)) {
            for (int i = 0; i < 4; i++) {
                records.next();
            }
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, records::next);
            assertEquals("Record 4 of the batch is malformed: its length runs past the end of the batch",
                    error.getMessage());
        }
    }

    @Test
    void shouldRefuseAnUnknownCodec() {
        byte[] batch = build(CompressionType.GZIP, TimestampType.CREATE_TIME, sampleRecords(2));
        ByteBuf buffer = Unpooled.wrappedBuffer(batch);
        buffer.setShort(RecordBatchDescriptor.ATTRIBUTES_OFFSET, 5);

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> BatchRecords.readAll(new RecordBatch().wrap(buffer, 0)));
        assertEquals("Unknown compression codec id 5", error.getMessage());
    }

    static void assertSameRecords(List<org.apache.kafka.common.record.internal.Record> expected,
                                  List<Record> actual) {
        assertEquals(expected.size(), actual.size(), "record count");
        for (int i = 0; i < expected.size(); i++) {
            org.apache.kafka.common.record.internal.Record kafka = expected.get(i);
            Record record = actual.get(i);
            String at = "record " + i;
            assertEquals(kafka.offset(), record.offset(), at);
            assertEquals(kafka.timestamp(), record.timestamp(), at);
            assertArrayEquals(array(kafka.key()), record.key(), at);
            assertArrayEquals(array(kafka.value()), record.value(), at);
            assertEquals(kafka.headers().length, record.headers().size(), at);
            for (int h = 0; h < kafka.headers().length; h++) {
                assertEquals(kafka.headers()[h].key(), record.headers().get(h).key(), at);
                assertArrayEquals(kafka.headers()[h].value(), record.headers().get(h).value(), at);
            }
        }
        assertFalse(actual.isEmpty(), "the batch holds records");
    }
}
