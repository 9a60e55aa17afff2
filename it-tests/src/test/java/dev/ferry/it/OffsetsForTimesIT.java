package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ferry.it.fixture.BrokerTester;
import dev.ferry.it.fixture.SegmentFiles;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Looking offsets up by time: the answer is the first offset, in log order, whose record timestamp is at or after
 * the time asked for, with that record's timestamp; none when every record is older. Records share batches, so
 * the broker must look at the records inside a batch rather than answer with the batch's first offset and its max
 * timestamp; each test runs on uncompressed and on compressed batches.
 */
@Timeout(60)
class OffsetsForTimesIT {

    /** Recent enough that the default retention keeps the records for the whole test. */
    private static final long T = System.currentTimeMillis() - 600_000;
    /**
     * Record timestamps by offset, in three batches: offsets 0-2, 3-5, 6. Offsets 2 and 3 share a timestamp, and
     * the newest record, offset 4, sits inside a batch and is followed by older ones, as producer clocks allow.
     */
    private static final long[] TIMESTAMPS = {T, T + 100, T + 200, T + 200, T + 900, T + 400, T + 500};
    private static final int[] BATCH_ENDS = {3, 6, 7};
    private static final int NEWEST = 4;

    @TempDir
    static Path dataDir;

    private static BrokerTester tester;

    @BeforeAll
    static void produceTimelines() throws Exception {
        tester = BrokerTester.start(dataDir, Map.of());
        for (String codec : List.of("none", "lz4")) {
            produceTimeline(codec);
        }
    }

    /** Writes the timeline to partition 0 of the codec's topic; partition 1 stays empty. */
    private static void produceTimeline(String codec) throws Exception {
        String topic = topic(codec);
        tester.createTopic(topic, 2);
        // a long linger keeps each group in one batch until flush() sends it
        KafkaProducer<String, String> producer = tester.producer(Map.of(
                ProducerConfig.LINGER_MS_CONFIG, 30_000,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, codec));
        int offset = 0;
        for (int batchEnd : BATCH_ENDS) {
            for (; offset < batchEnd; offset++) {
                producer.send(new ProducerRecord<>(topic, 0, TIMESTAMPS[offset], "key", "at-" + offset));
            }
            producer.flush();
        }
        assertEquals(List.of(0L, 3L, 6L), SegmentFiles.batches(dataDir, topic, 0).stream()
                .map(SegmentFiles.Batch::baseOffset).toList(), "precondition: base offsets of the stored batches");
    }

    @AfterAll
    static void stopBroker() {
        if (tester != null) {
            tester.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"none", "lz4"})
    void shouldFindFirstOffsetAtOrAfterEachTime(String codec) {
        Map<Long, Integer> expectedOffsetByTime = new LinkedHashMap<>();
        expectedOffsetByTime.put(T - 1_000, 0);
        expectedOffsetByTime.put(T, 0);
        expectedOffsetByTime.put(T + 100, 1);
        expectedOffsetByTime.put(T + 150, 2);
        expectedOffsetByTime.put(T + 200, 2);
        // offsets 5 and 6 are closer in time, but offset 4 comes first in the log
        expectedOffsetByTime.put(T + 300, NEWEST);
        expectedOffsetByTime.put(T + 450, NEWEST);
        expectedOffsetByTime.put(T + 900, NEWEST);
        TopicPartition written = new TopicPartition(topic(codec), 0);
        KafkaConsumer<String, String> consumer = tester.consumer();

        for (Map.Entry<Long, Integer> expected : expectedOffsetByTime.entrySet()) {
            long time = expected.getKey();
            int offset = expected.getValue();
            OffsetAndTimestamp found = consumer.offsetsForTimes(Map.of(written, time)).get(written);
            String at = "time T" + (time >= T ? "+" : "") + (time - T);
            assertNotNull(found, "nothing found for " + at);
            assertEquals(offset, found.offset(), "offset for " + at);
            assertEquals(TIMESTAMPS[offset], found.timestamp(), "timestamp for " + at);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"none", "lz4"})
    void shouldFindNothingAfterTheNewestRecordOrInAnEmptyPartition(String codec) {
        TopicPartition written = new TopicPartition(topic(codec), 0);
        TopicPartition empty = new TopicPartition(topic(codec), 1);
        KafkaConsumer<String, String> consumer = tester.consumer();
        Map<TopicPartition, Long> query = new HashMap<>();
        query.put(written, TIMESTAMPS[NEWEST] + 1);
        query.put(empty, T);

        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);

        assertEquals(query.keySet(), found.keySet(), "partitions answered");
        assertNull(found.get(written), "after the newest record");
        assertNull(found.get(empty), "in an empty partition");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"none", "lz4"})
    void shouldListEarliestLatestMaxTimestampAndTimeOffsetsThroughAdmin(String codec) throws Exception {
        TopicPartition written = new TopicPartition(topic(codec), 0);
        Admin admin = tester.admin();

        assertEquals(0, listOffset(admin, written, OffsetSpec.earliest()).offset(), "earliest");
        assertEquals(TIMESTAMPS.length, listOffset(admin, written, OffsetSpec.latest()).offset(), "latest");
        ListOffsetsResultInfo max = listOffset(admin, written, OffsetSpec.maxTimestamp());
        assertEquals(NEWEST, max.offset(), "offset of the max timestamp");
        assertEquals(TIMESTAMPS[NEWEST], max.timestamp(), "max timestamp");
        ListOffsetsResultInfo byTime = listOffset(admin, written, OffsetSpec.forTimestamp(T + 300));
        assertEquals(NEWEST, byTime.offset(), "offset for time T+300");
        assertEquals(TIMESTAMPS[NEWEST], byTime.timestamp(), "timestamp for time T+300");
        ListOffsetsResultInfo none = listOffset(admin, written, OffsetSpec.forTimestamp(TIMESTAMPS[NEWEST] + 1));
        assertEquals(-1, none.offset(), "offset after the newest record");
    }

    private static String topic(String codec) {
        return "timeline-" + codec;
    }

    private static ListOffsetsResultInfo listOffset(Admin admin, TopicPartition partition, OffsetSpec spec)
            throws Exception {
        return admin.listOffsets(Map.of(partition, spec)).partitionResult(partition).get();
    }
}
