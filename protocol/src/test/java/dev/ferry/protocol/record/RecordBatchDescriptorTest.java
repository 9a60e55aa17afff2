package dev.ferry.protocol.record;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.junit.jupiter.api.Test;

class RecordBatchDescriptorTest {

    @Test
    void shouldPlaceTheFieldsKafkaExposesWhereKafkaDoes() {
        assertEquals(DefaultRecordBatch.CRC_OFFSET, RecordBatchDescriptor.CRC_OFFSET);
        assertEquals(DefaultRecordBatch.LAST_OFFSET_DELTA_OFFSET, RecordBatchDescriptor.LAST_OFFSET_DELTA_OFFSET);
        assertEquals(DefaultRecordBatch.RECORDS_COUNT_OFFSET, RecordBatchDescriptor.RECORDS_COUNT_OFFSET);
        assertEquals(DefaultRecordBatch.RECORD_BATCH_OVERHEAD, RecordBatchDescriptor.HEADER_SIZE);
        assertEquals(org.apache.kafka.common.record.internal.Records.LOG_OVERHEAD,
                RecordBatchDescriptor.LOG_OVERHEAD);
        assertEquals(org.apache.kafka.common.record.internal.Records.MAGIC_OFFSET, RecordBatchDescriptor.MAGIC_OFFSET);
        assertEquals(org.apache.kafka.common.record.internal.LegacyRecord.RECORD_OVERHEAD_V0,
                RecordBatchDescriptor.MIN_LENGTH_FIELD);
    }

    @Test
    void shouldUseKafkaCompressionCodecIds() {
        for (org.apache.kafka.common.record.internal.CompressionType kafka
                : org.apache.kafka.common.record.internal.CompressionType.values()) {
            assertEquals(kafka.id, CompressionType.valueOf(kafka.name()).id(), kafka.name());
            assertEquals(CompressionType.valueOf(kafka.name()), CompressionType.forId(kafka.id));
        }
        assertEquals(org.apache.kafka.common.record.internal.CompressionType.values().length,
                CompressionType.values().length);
    }
}
