package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.it.fixture.Await;
import dev.ferry.it.fixture.BrokerTester;
import dev.ferry.it.fixture.ConsumerPolls;
import dev.ferry.it.fixture.SegmentFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Time-based retention: segments whose newest record is older than {@code retention.ms} are deleted, the log
 * start offset moves past them, and consumers positioned before it are reset as {@code auto.offset.reset} says.
 */
@Timeout(90)
class RetentionIT {

    private static final String TOPIC = "expiring";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final int OLD_RECORDS = 100;
    private static final int FRESH_RECORDS = 20;
    private static final int RECORDS_PER_BATCH = 5;
    private static final long RETENTION_MS = 600_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    @Test
    void shouldDeleteExpiredSegmentsAndResetConsumersBelowTheNewLogStart() throws Exception {
        try (var tester = BrokerTester.start(dataDir, Map.of("log.retention.check.interval.ms", "100"))) {
            tester.createTopic(TOPIC, 1, Map.of(
                    "internal.segment.bytes", "1024",
                    "retention.ms", Long.toString(RETENTION_MS)));
            long now = System.currentTimeMillis();
            // records an hour old are past retention as soon as they are written; fresh ones are well within it
            List<String> values = new ArrayList<>();
            produce(tester, "old", OLD_RECORDS, now - 3_600_000, values);
            produce(tester, "fresh", FRESH_RECORDS, now, values);
            long expectedLogStart = baseOfSegmentHolding(dataDir, OLD_RECORDS);
            assertTrue(expectedLogStart > 0, "precondition: old records fill whole segments, the first fresh "
                    + "record is in the segment at " + expectedLogStart);

            KafkaConsumer<String, String> offsets = tester.consumer();
            Await.until(TIMEOUT, "retention moves the log start to " + expectedLogStart,
                    () -> offsets.beginningOffsets(List.of(PARTITION)).get(PARTITION) == expectedLogStart);

            assertEquals(OLD_RECORDS + FRESH_RECORDS, offsets.endOffsets(List.of(PARTITION)).get(PARTITION),
                    "end offset after retention");
            // the log start is published before the files of the segments below it are unlinked
            Await.until(TIMEOUT, "segments below " + expectedLogStart + " unlinked",
                    () -> SegmentFiles.segments(dataDir, TOPIC, 0).stream()
                            .allMatch(segment -> SegmentFiles.baseOffset(segment) >= expectedLogStart));
            assertFalse(Files.exists(SegmentFiles.partitionDir(dataDir, TOPIC, 0)
                    .resolve("00000000000000000000.log")), "first segment kept");

            KafkaConsumer<String, String> earliest = consumerAt(tester, 0, "earliest");
            int retained = OLD_RECORDS + FRESH_RECORDS - (int) expectedLogStart;
            List<ConsumerRecord<String, String>> records = ConsumerPolls.pollAtLeast(earliest, retained, TIMEOUT);
            assertEquals(expectedLogStart, records.get(0).offset(), "first offset after an earliest reset");
            assertEquals(values.subList((int) expectedLogStart, values.size()),
                    records.stream().map(ConsumerRecord::value).toList(), "records kept by retention");

            KafkaConsumer<String, String> strict = consumerAt(tester, 0, "none");
            OffsetOutOfRangeException outOfRange = assertThrows(OffsetOutOfRangeException.class, () -> {
                for (int i = 0; i < 100; i++) {
                    strict.poll(Duration.ofMillis(200));
                }
            });
            assertEquals(Map.of(PARTITION, 0L), outOfRange.offsetOutOfRangePartitions(), "out-of-range positions");
        }
    }

    /** Sends records with the given timestamp in batches of {@value #RECORDS_PER_BATCH}, appending their values. */
    private static void produce(BrokerTester tester, String prefix, int count, long timestamp, List<String> values)
            throws Exception {
        KafkaProducer<String, String> producer = tester.producer(Map.of(ProducerConfig.LINGER_MS_CONFIG, 30_000));
        for (int i = 0; i < count; i++) {
            String value = prefix + "-" + i + "-" + "x".repeat(40);
            values.add(value);
            producer.send(new ProducerRecord<>(TOPIC, 0, timestamp, "key-" + i, value));
            if ((i + 1) % RECORDS_PER_BATCH == 0) {
                producer.flush();
            }
        }
        producer.flush();
        producer.close(Duration.ofSeconds(5));
    }

    /** The base offset of the segment holding {@code offset}: where the log starts once older segments go. */
    private static long baseOfSegmentHolding(Path dataDir, long offset) {
        long base = -1;
        for (Path segment : SegmentFiles.segments(dataDir, TOPIC, 0)) {
            if (SegmentFiles.baseOffset(segment) <= offset) {
                base = SegmentFiles.baseOffset(segment);
            }
        }
        return base;
    }

    private static KafkaConsumer<String, String> consumerAt(BrokerTester tester, long offset, String reset) {
        KafkaConsumer<String, String> consumer = tester.consumer(Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                reset));
        consumer.assign(List.of(PARTITION));
        consumer.seek(PARTITION, offset);
        return consumer;
    }
}
