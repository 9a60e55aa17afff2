package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.it.fixture.BrokerTester;
import dev.ferry.it.fixture.ConsumerPolls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offsets committed by consumers that assign their partitions themselves (a group id, no membership): they are kept
 * across a broker restart, and a consumer of the same group starts exactly where the last one committed.
 */
@Timeout(120)
class CommittedOffsetsIT {

    private static final String TOPIC = "ledger";
    private static final String GROUP = "ledger-readers";
    private static final int PARTITIONS = 3;
    private static final int RECORDS_PER_PARTITION = 10;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    @Test
    void shouldResumeAtTheCommittedOffsetsAfterABrokerRestart() throws Exception {
        try (var tester = BrokerTester.start(dataDir, Map.of())) {
            tester.createTopic(TOPIC, PARTITIONS);
            produce(tester);
            List<TopicPartition> partitions = List.of(partition(0), partition(1), partition(2));
            Map<TopicPartition, OffsetAndMetadata> commits = Map.of(
                    partition(0), new OffsetAndMetadata(3, Optional.of(0), "zero"),
                    partition(1), new OffsetAndMetadata(5, Optional.of(0), "one"),
                    partition(2), new OffsetAndMetadata(RECORDS_PER_PARTITION, Optional.empty(), ""));

            KafkaConsumer<String, String> first = groupConsumer(tester, "earliest");
            first.assign(partitions);
            ConsumerPolls.pollAtLeast(first, PARTITIONS * RECORDS_PER_PARTITION, READ_TIMEOUT);
            first.commitSync(commits);
            first.close();

            tester.restart();

            KafkaConsumer<String, String> second = groupConsumer(tester, "earliest");
            second.assign(partitions);
            for (TopicPartition partition : partitions) {
                assertEquals(commits.get(partition).offset(), second.position(partition), "position of " + partition);
            }
            assertEquals(commits, second.committed(Set.copyOf(partitions)));
            List<ConsumerRecord<String, String>> rest = ConsumerPolls.pollAtLeast(second,
                    (RECORDS_PER_PARTITION - 3) + (RECORDS_PER_PARTITION - 5), READ_TIMEOUT);
            Map<Integer, Long> firstOffsetRead = new HashMap<>();
            rest.forEach(record -> firstOffsetRead.putIfAbsent(record.partition(), record.offset()));
            assertEquals(Map.of(0, 3L, 1, 5L), firstOffsetRead);
            assertEquals(RECORDS_PER_PARTITION - 3 + RECORDS_PER_PARTITION - 5, rest.size());

            assertEquals(commits,
                    tester.admin().listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get());
        }
    }

    @Test
    void shouldApplyTheResetPolicyToPartitionsWithoutACommit() throws Exception {
        try (var tester = BrokerTester.start(dataDir, Map.of())) {
            tester.createTopic(TOPIC, PARTITIONS);
            produce(tester);
            KafkaConsumer<String, String> committing = groupConsumer(tester, "earliest");
            committing.assign(List.of(partition(0)));
            committing.commitSync(Map.of(partition(0), new OffsetAndMetadata(4)));

            KafkaConsumer<String, String> consumer = groupConsumer(tester, "latest");
            consumer.assign(List.of(partition(0), partition(1)));

            assertEquals(4, consumer.position(partition(0)));
            assertEquals(RECORDS_PER_PARTITION, consumer.position(partition(1)));
        }
    }

    private static void produce(BrokerTester tester) throws ExecutionException, InterruptedException {
        KafkaProducer<String, String> producer = tester.producer();
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            for (int i = 0; i < RECORDS_PER_PARTITION; i++) {
                sends.add(producer.send(new ProducerRecord<>(TOPIC, p, "key-" + i, "value-" + p + "-" + i)));
            }
        }
        for (Future<RecordMetadata> send : sends) {
            send.get();
        }
        producer.close();
    }

    private static KafkaConsumer<String, String> groupConsumer(BrokerTester tester, String resetPolicy) {
        return tester.consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG, GROUP,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, resetPolicy));
    }

    private static TopicPartition partition(int index) {
        return new TopicPartition(TOPIC, index);
    }
}
