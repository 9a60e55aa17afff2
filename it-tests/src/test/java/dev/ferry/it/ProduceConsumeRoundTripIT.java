package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ferry.it.fixture.BrokerTester;
import dev.ferry.it.fixture.ConsumerPolls;
import dev.ferry.it.fixture.SegmentFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main data path end to end: many keyed records, in batches of every compression codec, produced concurrently
 * and read back record for record.
 */
@Timeout(180)
class ProduceConsumeRoundTripIT {

    private static final String TOPIC = "round-trip";
    private static final int PARTITIONS = 6;
    /** Kafka's codec names, in the order of their ids in the batch attributes (0 to 4). */
    private static final List<String> CODECS = List.of("none", "gzip", "snappy", "lz4", "zstd");
    private static final int RECORDS_PER_CODEC = 20_000;
    private static final int KEYS_PER_CODEC = 50;
    private static final int TOTAL_RECORDS = CODECS.size() * RECORDS_PER_CODEC;

    @TempDir
    Path dataDir;

    @Test
    void shouldReadBackEveryRecordInOrderWithItsKeyValueHeadersAndTimestampForEveryCodec() throws Exception {
        try (var tester = BrokerTester.start(dataDir, Map.of())) {
            tester.createTopic(TOPIC, PARTITIONS);
            long baseTimestamp = System.currentTimeMillis();

            Map<TopicPartition, Map<Long, ProducerRecord<String, String>>> sent = produceConcurrently(tester,
                    baseTimestamp);

            KafkaConsumer<String, String> consumer = tester.consumer();
            List<TopicPartition> partitions = IntStream.range(0, PARTITIONS)
                    .mapToObj(p -> new TopicPartition(TOPIC, p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, String>> received = ConsumerPolls.pollAtLeast(consumer, TOTAL_RECORDS,
                    Duration.ofSeconds(90));

            assertEquals(TOTAL_RECORDS, received.size(), "records read back");
            Map<TopicPartition, Long> endOffsets = consumer.endOffsets(partitions);
            for (TopicPartition partition : partitions) {
                assertEquals(sent.get(partition).size(), endOffsets.get(partition), "end offset of " + partition);
            }
            assertEachRecordIsTheOneAcknowledgedAtItsOffset(received, sent);
            assertOffsetsContiguousAndSequencesIncreasingPerKey(received);
            assertStoredBatchesUseEveryCodec();
        }
    }

    /** One producer per codec, all sending at once; returns every record by the partition and offset acked. */
    private static Map<TopicPartition, Map<Long, ProducerRecord<String, String>>> produceConcurrently(
            BrokerTester tester, long baseTimestamp) throws Exception {
        List<KafkaProducer<String, String>> producers = new ArrayList<>();
        for (String codec : CODECS) {
            producers.add(tester.producer(Map.of(
                    ProducerConfig.COMPRESSION_TYPE_CONFIG, codec,
                    ProducerConfig.LINGER_MS_CONFIG, 5,
                    ProducerConfig.CLIENT_ID_CONFIG, "round-trip-" + codec)));
        }
        ExecutorService senders = Executors.newFixedThreadPool(CODECS.size());
        try {
            List<Future<List<Sent>>> results = new ArrayList<>();
            for (int c = 0; c < CODECS.size(); c++) {
                String codec = CODECS.get(c);
                KafkaProducer<String, String> producer = producers.get(c);
                results.add(senders.submit(() -> sendAll(producer, codec, baseTimestamp)));
            }
            Map<TopicPartition, Map<Long, ProducerRecord<String, String>>> byOffset = new HashMap<>();
            for (Future<List<Sent>> result : results) {
                for (Sent sent : result.get()) {
                    RecordMetadata metadata = sent.ack().get();
                    TopicPartition partition = new TopicPartition(metadata.topic(), metadata.partition());
                    ProducerRecord<String, String> previous = byOffset.computeIfAbsent(partition, p -> new HashMap<>())
                            .put(metadata.offset(), sent.record());
                    assertNull(previous, "two records acknowledged at offset " + metadata.offset()
                            + " of " + partition);
                }
            }
            return byOffset;
        } finally {
            senders.shutdownNow();
        }
    }

    private static List<Sent> sendAll(KafkaProducer<String, String> producer, String codec, long baseTimestamp) {
        List<Sent> sent = new ArrayList<>(RECORDS_PER_CODEC);
        for (int i = 0; i < RECORDS_PER_CODEC; i++) {
            ProducerRecord<String, String> record = record(codec, i, baseTimestamp);
            sent.add(new Sent(record, producer.send(record)));
        }
        producer.flush();
        return sent;
    }

    /** Record {@code i} of a codec: its key, its sequence number among that key's records, a varying payload. */
    private static ProducerRecord<String, String> record(String codec, int i, long baseTimestamp) {
        String key = codec + "-key-" + (i % KEYS_PER_CODEC);
        int sequence = i / KEYS_PER_CODEC;
        String value = key + "|" + sequence + "|" + "payload-".repeat(i % 9);
        RecordHeaders headers = new RecordHeaders();
        headers.add("codec", codec.getBytes(StandardCharsets.UTF_8));
        headers.add("index", Integer.toString(i).getBytes(StandardCharsets.UTF_8));
        if (i % 10 == 0) {
            headers.add("absent", null);
        }
        return new ProducerRecord<>(TOPIC, null, baseTimestamp + i, key, value, headers);
    }

    private static void assertEachRecordIsTheOneAcknowledgedAtItsOffset(
            List<ConsumerRecord<String, String>> received,
            Map<TopicPartition, Map<Long, ProducerRecord<String, String>>> sent) {
        for (ConsumerRecord<String, String> record : received) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            ProducerRecord<String, String> expected = sent.get(partition).get(record.offset());
            String where = partition + "@" + record.offset();
            assertNotNull(expected, "no record was acknowledged at " + where);
            assertEquals(expected.key(), record.key(), "key at " + where);
            assertEquals(expected.value(), record.value(), "value at " + where);
            assertEquals(expected.timestamp(), record.timestamp(), "timestamp at " + where);
            assertEquals(TimestampType.CREATE_TIME, record.timestampType(), "timestamp type at " + where);
            Header[] expectedHeaders = expected.headers().toArray();
            Header[] actualHeaders = record.headers().toArray();
            assertEquals(expectedHeaders.length, actualHeaders.length, "header count at " + where);
            for (int h = 0; h < expectedHeaders.length; h++) {
                assertEquals(expectedHeaders[h].key(), actualHeaders[h].key(), "header " + h + " key at " + where);
                assertArrayEquals(expectedHeaders[h].value(), actualHeaders[h].value(),
                        "header " + h + " value at " + where);
            }
        }
    }

    private static void assertOffsetsContiguousAndSequencesIncreasingPerKey(
            List<ConsumerRecord<String, String>> received) {
        Map<Integer, Long> nextOffset = new HashMap<>();
        Map<String, Integer> nextSequence = new HashMap<>();
        Map<String, Integer> partitionOfKey = new HashMap<>();
        for (ConsumerRecord<String, String> record : received) {
            long expectedOffset = nextOffset.getOrDefault(record.partition(), 0L);
            assertEquals(expectedOffset, record.offset(), "offset in partition " + record.partition());
            nextOffset.put(record.partition(), expectedOffset + 1);

            Integer partition = partitionOfKey.putIfAbsent(record.key(), record.partition());
            assertEquals(partition == null ? record.partition() : partition, record.partition(),
                    "partition of key " + record.key());
            int sequence = Integer.parseInt(record.value().split("\\|")[1]);
            int expectedSequence = nextSequence.getOrDefault(record.key(), 0);
            assertEquals(expectedSequence, sequence, "sequence of key " + record.key() + " at offset "
                    + record.offset());
            nextSequence.put(record.key(), sequence + 1);
        }
        assertEquals(CODECS.size() * KEYS_PER_CODEC, nextSequence.size(), "distinct keys");
        nextSequence.forEach((key, next) -> assertEquals(RECORDS_PER_CODEC / KEYS_PER_CODEC, next,
                "records of key " + key));
    }

    /** The broker keeps batches as producers compressed them, so every codec must be found on disk. */
    private void assertStoredBatchesUseEveryCodec() {
        Set<Integer> codecs = new TreeSet<>();
        int storedRecords = 0;
        for (int partition = 0; partition < PARTITIONS; partition++) {
            for (SegmentFiles.Batch batch : SegmentFiles.batches(dataDir, TOPIC, partition)) {
                codecs.add(batch.compression());
                storedRecords += batch.recordCount();
            }
        }
        assertEquals(IntStream.range(0, CODECS.size()).boxed().collect(Collectors.toCollection(TreeSet::new)), codecs,
                "compression codecs of the stored batches");
        assertEquals(TOTAL_RECORDS, storedRecords, "records in the stored batches");
    }

    private record Sent(ProducerRecord<String, String> record, Future<RecordMetadata> ack) {
    }
}
