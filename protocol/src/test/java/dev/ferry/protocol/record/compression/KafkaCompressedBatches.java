package dev.ferry.protocol.record.compression;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.SimpleRecord;

/** Compressed batches built and read back by kafka-clients, the reference the decompression tests compare with. */
final class KafkaCompressedBatches {
    static final long BASE_OFFSET = 1_000L;
    static final long FIRST_TIMESTAMP = 1_700_000_000_000L;

    private KafkaCompressedBatches() {
    }

    /** Records with null and present keys and values, headers, out-of-order timestamps and repetitive values. */
    static List<SimpleRecord> sampleRecords(int count) {
        Random random = new Random(count);
        List<SimpleRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] key = i % 5 == 1 ? null : bytes("key-" + i);
            byte[] value = i % 7 == 3 ? null : bytes(("value " + i + " ").repeat(1 + random.nextInt(40)));
            Header[] headers = i % 3 == 0
                    ? new Header[] {new RecordHeader("trace", bytes("t-" + i)), new RecordHeader("nil", null)}
                    : new Header[0];
            long timestamp = FIRST_TIMESTAMP + (i % 4 == 2 ? -i : 10L * i);
            records.add(new SimpleRecord(timestamp, key, value, headers));
        }
        return records;
    }

    /** One v2 batch of the records at {@link #BASE_OFFSET}, compressed by kafka-clients as a producer would. */
    static byte[] build(CompressionType type, TimestampType timestampType, List<SimpleRecord> records) {
        int estimate = records.stream().mapToInt(r -> 64 + size(r.key()) + size(r.value())).sum() + 1024;
        ByteBuffer buffer = ByteBuffer.allocate(estimate);
        MemoryRecordsBuilder builder = MemoryRecords.builder(buffer, (byte) 2, Compression.of(type).build(),
                timestampType, BASE_OFFSET, FIRST_TIMESTAMP + 99_999, -1L, (short) -1, -1, false, -1);
        records.forEach(builder::append);
        ByteBuffer built = builder.build().buffer();
        byte[] bytes = new byte[built.remaining()];
        built.duplicate().get(bytes);
        return bytes;
    }

    /** The records as kafka-clients reads them back, decompressing the batch itself. */
    static List<Record> kafkaRecords(byte[] batch) {
        List<Record> records = new ArrayList<>();
        MemoryRecords.readableRecords(ByteBuffer.wrap(batch)).batches().forEach(b -> b.forEach(records::add));
        return records;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] array(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static int size(ByteBuffer buffer) {
        return buffer == null ? 0 : buffer.remaining();
    }
}
