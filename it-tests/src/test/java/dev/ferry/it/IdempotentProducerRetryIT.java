package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.it.fixture.BrokerTester;
import dev.ferry.it.fixture.ConsumerPolls;
import dev.ferry.it.fixture.ResponseDroppingProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java client's default producer is idempotent: when a connection dies after the broker appended a batch but
 * before the client saw the response, the client sends the batch again, and the broker must recognise it and
 * answer with the original offsets instead of appending it twice.
 */
@Timeout(120)
class IdempotentProducerRetryIT {

    private static final String TOPIC = "exactly-once-per-sequence";
    private static final int PARTITIONS = 2;
    private static final int RECORDS = 3_000;
    private static final int DROP_EVERY = 5;
    private static final int DROPS = 4;

    @TempDir
    Path dataDir;

    @Test
    void shouldStoreEachRecordOnceWhenAppendedBatchesAreRetried() throws Exception {
        try (var proxy = ResponseDroppingProxy.open(DROP_EVERY, DROPS);
             var tester = BrokerTester.start(dataDir, Map.of(
                     "advertised.listeners", "PLAINTEXT://127.0.0.1:" + proxy.port()))) {
            proxy.forwardTo(tester.port());
            tester.createTopic(TOPIC, PARTITIONS);
            String viaProxy = "127.0.0.1:" + proxy.port();
            KafkaProducer<String, String> producer = tester.producer(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, viaProxy,
                    // small batches, so that there are many produce requests to lose responses of
                    ProducerConfig.BATCH_SIZE_CONFIG, 1024,
                    ProducerConfig.LINGER_MS_CONFIG, 1,
                    ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 10));

            List<Future<RecordMetadata>> acks = new ArrayList<>(RECORDS);
            for (int sequence = 0; sequence < RECORDS; sequence++) {
                acks.add(producer.send(new ProducerRecord<>(TOPIC, sequence % PARTITIONS, "key-" + sequence,
                        Integer.toString(sequence))));
            }
            producer.flush();
            for (int sequence = 0; sequence < RECORDS; sequence++) {
                RecordMetadata ack = acks.get(sequence).get();
                assertEquals(sequence % PARTITIONS, ack.partition(), "partition of record " + sequence);
                // a retried batch that was already appended must be acked with the offsets it got the first time
                assertEquals(sequence / PARTITIONS, ack.offset(), "offset acked for record " + sequence);
            }
            assertEquals(DROPS, proxy.droppedResponses(), "produce responses lost on the way back");

            KafkaConsumer<String, String> consumer = tester.consumer(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, viaProxy));
            List<TopicPartition> partitions = List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, String>> records = ConsumerPolls.pollAtLeast(consumer, RECORDS,
                    Duration.ofSeconds(30));

            assertEquals(RECORDS, records.size(), "records stored");
            Map<TopicPartition, Long> endOffsets = consumer.endOffsets(partitions);
            assertEquals(Map.of(partitions.get(0), (long) RECORDS / PARTITIONS,
                    partitions.get(1), (long) RECORDS / PARTITIONS), endOffsets, "end offsets");
            int[] nextSequence = {0, 1};
            for (ConsumerRecord<String, String> record : records) {
                int sequence = Integer.parseInt(record.value());
                assertEquals(nextSequence[record.partition()], sequence,
                        "sequence at offset " + record.offset() + " of partition " + record.partition());
                assertEquals(sequence / PARTITIONS, record.offset(), "offset of sequence " + sequence);
                assertEquals("key-" + sequence, record.key(), "key of sequence " + sequence);
                nextSequence[record.partition()] += PARTITIONS;
            }
        }
    }
}
