package dev.ferry.protocol.record;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;

/**
 * Builds and parses record batches with kafka-clients' own code, the reference the tests compare Ferry against.
 */
final class KafkaBatches {
    static final long PRODUCER_ID = 4_000_000_123L;
    static final short PRODUCER_EPOCH = 7;
    static final int BASE_SEQUENCE = 42;
    static final long FIRST_TIMESTAMP = 1_700_000_000_000L;

    private KafkaBatches() {
    }

    /** A few records with null and non-null keys and values, headers, out-of-order timestamps and a long value. */
    static List<SimpleRecord> sampleRecords() {
        List<SimpleRecord> records = new ArrayList<>();
        records.add(new SimpleRecord(FIRST_TIMESTAMP, bytes("key-0"), bytes("value-0")));
        records.add(new SimpleRecord(FIRST_TIMESTAMP + 5, null, bytes("value without key"),
                new org.apache.kafka.common.header.Header[] {
                    new RecordHeader("trace", bytes("abc")),
                    new RecordHeader("empty", new byte[0]),
                    new RecordHeader("nothing", null)
                }));
        records.add(new SimpleRecord(FIRST_TIMESTAMP - 3, bytes("tombstone"), null));
        records.add(new SimpleRecord(FIRST_TIMESTAMP + 1_000, bytes("key-3"), "x".repeat(300).getBytes(
                StandardCharsets.UTF_8), new org.apache.kafka.common.header.Header[] {
                    new RecordHeader("clé", bytes("ünïcode"))
                }));
        return records;
    }

    /** Builds one v2 batch as an idempotent producer would, with kafka-clients' MemoryRecordsBuilder. */
    static byte[] build(org.apache.kafka.common.record.internal.CompressionType type, boolean transactional,
                        List<SimpleRecord> records) {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        MemoryRecordsBuilder builder = MemoryRecords.builder(buffer, (byte) 2, Compression.of(type).build(),
                org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0L, -1L, PRODUCER_ID, PRODUCER_EPOCH,
                BASE_SEQUENCE, transactional, -1);
        records.forEach(builder::append);
        return toArray(builder.build().buffer());
    }

    /** Builds one plain batch of the sample records, without producer id. */
    static byte[] buildPlain(org.apache.kafka.common.record.internal.CompressionType type) {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        MemoryRecordsBuilder builder = MemoryRecords.builder(buffer, Compression.of(type).build(),
                org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0L);
        sampleRecords().forEach(builder::append);
        return toArray(builder.build().buffer());
    }

    /** Parses bytes that must hold exactly one batch. */
    static MutableRecordBatch onlyBatch(byte[] bytes) {
        Iterator<MutableRecordBatch> batches = MemoryRecords.readableRecords(ByteBuffer.wrap(bytes)).batches()
                .iterator();
        MutableRecordBatch batch = batches.next();
        if (batches.hasNext()) {
            throw new AssertionError("more than one batch");
        }
        return batch;
    }

    /** Reads every record of the only batch, forcing Kafka to parse each one. */
    static List<org.apache.kafka.common.record.internal.Record> records(byte[] bytes) {
        List<org.apache.kafka.common.record.internal.Record> records = new ArrayList<>();
        onlyBatch(bytes).forEach(records::add);
        return records;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] toArray(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
