package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.it.fixture.BrokerTester;
import dev.ferry.it.fixture.ConsumerPolls;
import dev.ferry.it.fixture.SegmentFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What survives a broker restart on the same data directory, and how a damaged log tail is repaired. */
@Timeout(120)
class RestartIT {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    private static final int RECORDS_PER_FLUSH = 15;

    @TempDir
    Path dataDir;

    @Test
    void shouldKeepEveryRecordAndContinueOffsetsAfterRestart() throws Exception {
        String topic = "durable";
        int partitions = 3;
        try (var tester = BrokerTester.start(dataDir, Map.of())) {
            // small segments, so that the restart has several segments and their indexes to load
            tester.createTopic(topic, partitions, Map.of("internal.segment.bytes", "1024"));
            KafkaProducer<String, String> producer = tester.producer(Map.of(ProducerConfig.LINGER_MS_CONFIG, 0));
            Map<Integer, TreeMap<Long, String>> expected = new HashMap<>();
            sendAndRecord(producer, keyedRecords(topic, "before", 600), expected);
            Map<Integer, Long> endOffsetsBefore = new HashMap<>();
            expected.forEach((p, values) -> endOffsetsBefore.put(p, (long) values.size()));
            Uuid topicId = topicId(tester, topic);
            List<Path> segments = SegmentFiles.segments(dataDir, topic, 0);
            assertTrue(segments.size() > 1, "precondition: partition 0 spans several segments, found " + segments);

            tester.restart();

            assertEquals(topicId, topicId(tester, topic), "topic id after restart");
            assertEquals(inOffsetOrder(expected), readAll(tester, topic, partitions, 600), "records after restart");

            // the producer created before the restart carries on with its producer id and next sequence numbers
            Map<Integer, TreeMap<Long, String>> appended = new HashMap<>();
            sendAndRecord(producer, keyedRecords(topic, "after", 300), appended);
            appended.forEach((p, values) -> assertEquals(endOffsetsBefore.getOrDefault(p, 0L), values.firstKey(),
                    "first offset appended to partition " + p + " after the restart"));
            appended.forEach((p, values) -> expected.computeIfAbsent(p, k -> new TreeMap<>()).putAll(values));
            assertEquals(inOffsetOrder(expected), readAll(tester, topic, partitions, 900),
                    "records before and after the restart");
        }
    }

    @Test
    void shouldEndLogAtLastWholeBatchWhenTheLastBatchWasTornWhileStopped() throws Exception {
        String topic = "torn";
        try (var tester = BrokerTester.start(dataDir, Map.of())) {
            tester.createTopic(topic, 1);
            List<String> values = produceInBatches(tester, topic, "first", 8, 25);
            tester.stop();

            long tornBatchBase = tearLastBatch(dataDir, topic);
            assertTrue(tornBatchBase > 0 && tornBatchBase < values.size(),
                    "precondition: the torn batch is one of several, base offset " + tornBatchBase);

            tester.start();
            assertLogEndsAtAndContinuesFrom(tester, topic, tornBatchBase, values.subList(0, (int) tornBatchBase));
        }
    }

    @Test
    void shouldEndLogAtLastWholeBatchWhenACrashLeftATornBatch(@TempDir Path crashImage) throws Exception {
        String topic = "crashed";
        List<String> values;
        try (var tester = BrokerTester.start(dataDir, Map.of())) {
            tester.createTopic(topic, 1);
            values = produceInBatches(tester, topic, "first", 8, 25);
            // files copied while the broker runs are what a crash leaves behind: nothing written by a clean stop
            copyTree(dataDir, crashImage);
        }
        long tornBatchBase = tearLastBatch(crashImage, topic);

        try (var tester = BrokerTester.start(crashImage, Map.of())) {
            assertLogEndsAtAndContinuesFrom(tester, topic, tornBatchBase, values.subList(0, (int) tornBatchBase));
        }
    }

    /** Checks the log's end, that the records before it are intact, and that appends continue from it. */
    private static void assertLogEndsAtAndContinuesFrom(BrokerTester tester, String topic, long endOffset,
                                                        List<String> intactValues) throws Exception {
        TopicPartition partition = new TopicPartition(topic, 0);
        KafkaConsumer<String, String> consumer = tester.consumer();
        consumer.assign(List.of(partition));
        assertEquals(endOffset, consumer.endOffsets(List.of(partition)).get(partition), "end offset after restart");
        consumer.seekToBeginning(List.of(partition));
        List<String> read = ConsumerPolls.pollAtLeast(consumer, intactValues.size(), READ_TIMEOUT).stream()
                .map(ConsumerRecord::value).toList();
        assertEquals(intactValues, read, "records before the torn batch");

        KafkaProducer<String, String> producer = tester.producer();
        RecordMetadata next = producer.send(new ProducerRecord<>(topic, 0, null, "next")).get();
        assertEquals(endOffset, next.offset(), "offset of the first record appended after recovery");
        List<ConsumerRecord<String, String>> appended = ConsumerPolls.pollAtLeast(consumer, 1, READ_TIMEOUT);
        assertEquals(1, appended.size(), "records after the recovered end");
        assertEquals(endOffset, appended.get(0).offset(), "offset of the appended record");
        assertEquals("next", appended.get(0).value(), "value of the appended record");
    }

    /** Sends {@code batches} batches of {@code perBatch} records to partition 0, one produce request each. */
    private static List<String> produceInBatches(BrokerTester tester, String topic, String prefix, int batches,
                                                 int perBatch) throws Exception {
        // a long linger keeps each group in one batch until flush() sends it
        KafkaProducer<String, String> producer = tester.producer(Map.of(
                ProducerConfig.LINGER_MS_CONFIG, 30_000,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"));
        List<String> values = new ArrayList<>();
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            for (int r = 0; r < perBatch; r++) {
                String value = prefix + "-" + values.size();
                values.add(value);
                acks.add(producer.send(new ProducerRecord<>(topic, 0, "key-" + r, value)));
            }
            producer.flush();
        }
        for (int i = 0; i < acks.size(); i++) {
            assertEquals(i, acks.get(i).get().offset(), "offset of " + values.get(i));
        }
        return values;
    }

    /**
     * Cuts the last segment of partition 0 in the middle of its last batch.
     *
     * @return the base offset of the torn batch, where the recovered log must end
     */
    private static long tearLastBatch(Path logDir, String topic) throws IOException {
        List<Path> segments = SegmentFiles.segments(logDir, topic, 0);
        Path last = segments.get(segments.size() - 1);
        List<SegmentFiles.Batch> batches = SegmentFiles.batches(last);
        SegmentFiles.Batch torn = batches.get(batches.size() - 1);
        assertTrue(torn.recordCount() > 1, "precondition: the last batch holds several records");
        try (FileChannel file = FileChannel.open(last, StandardOpenOption.WRITE)) {
            file.truncate(torn.position() + torn.sizeInBytes() / 2);
        }
        return torn.baseOffset();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    private static List<ProducerRecord<String, String>> keyedRecords(String topic, String prefix, int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> new ProducerRecord<>(topic, "key-" + (i % 40), prefix + "-" + i))
                .toList();
    }

    /** Sends every record, waits for all acks, and records each value under the partition and offset acked. */
    private static void sendAndRecord(KafkaProducer<String, String> producer,
                                      List<ProducerRecord<String, String>> records,
                                      Map<Integer, TreeMap<Long, String>> acked) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (ProducerRecord<String, String> record : records) {
            acks.add(producer.send(record));
            if (acks.size() % RECORDS_PER_FLUSH == 0) {
                // many small batches, so that the partitions fill several segments
                producer.flush();
            }
        }
        producer.flush();
        for (int i = 0; i < records.size(); i++) {
            RecordMetadata metadata = acks.get(i).get();
            String previous = acked.computeIfAbsent(metadata.partition(), p -> new TreeMap<>())
                    .put(metadata.offset(), records.get(i).value());
            assertNull(previous, "two records acked at offset " + metadata.offset());
        }
    }

    private static Map<Integer, List<String>> inOffsetOrder(Map<Integer, TreeMap<Long, String>> byOffset) {
        Map<Integer, List<String>> values = new HashMap<>();
        byOffset.forEach((partition, offsets) -> {
            assertEquals(offsets.size() - 1L, offsets.lastKey(), "offsets of partition " + partition + " contiguous");
            values.put(partition, new ArrayList<>(offsets.values()));
        });
        return values;
    }

    private static Uuid topicId(BrokerTester tester, String topic) throws Exception {
        Admin admin = tester.admin();
        return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).topicId();
    }

    private static Map<Integer, List<String>> readAll(BrokerTester tester, String topic, int partitions, int count) {
        KafkaConsumer<String, String> consumer = tester.consumer();
        List<TopicPartition> assignment = IntStream.range(0, partitions)
                .mapToObj(p -> new TopicPartition(topic, p)).toList();
        consumer.assign(assignment);
        consumer.seekToBeginning(assignment);
        Map<Integer, List<String>> values = new HashMap<>();
        for (ConsumerRecord<String, String> record : ConsumerPolls.pollAtLeast(consumer, count, READ_TIMEOUT)) {
            List<String> partitionValues = values.computeIfAbsent(record.partition(), p -> new ArrayList<>());
            assertEquals(partitionValues.size(), record.offset(), "offset in partition " + record.partition());
            partitionValues.add(record.value());
        }
        return values;
    }
}
