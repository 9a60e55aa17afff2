package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.it.fixture.Await;
import dev.ferry.it.fixture.BrokerTester;
import dev.ferry.it.fixture.ConsumerPolls;
import dev.ferry.it.fixture.GroupOffsets;
import dev.ferry.it.fixture.KafkaWireClient;
import dev.ferry.it.fixture.TmpfsMount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RetriableCommitFailedException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.HeartbeatResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log directory that really runs out of room, seen through Kafka's own clients: the broker's data lives on a small
 * tmpfs the test mounts, a ballast file takes most of it, and a producer fills the rest until the broker refuses.
 * While the disk is full, produce is refused with KAFKA_STORAGE_ERROR and stores nothing, and everything else a client
 * does that needs no new bytes on disk keeps working; once the ballast is deleted, appends resume without a restart.
 * A restart on a disk that is still full serves every acknowledged record.
 *
 * <p>Mounting needs root; elsewhere the tests are skipped (the storage module covers the same ground with a seam that
 * makes allocation fail).
 */
@Timeout(60)
class FullDiskIT {

    private static final long FILE_SYSTEM_BYTES = 16L << 20;
    /** What the ballast leaves for the records: enough for a few hundred, few enough to fill in a second. */
    private static final long ROOM_FOR_RECORDS_BYTES = 3L << 20;
    /** Small segments, so that filling the disk rolls several and the last roll meets the full disk. */
    private static final String SEGMENT_BYTES = String.valueOf(256 * 1024);
    private static final int VALUE_CHARS = 10_000;
    /** More sends than the file system has room for: filling it must end in a refusal before this many. */
    private static final int MAX_SENDS = (int) (FILE_SYSTEM_BYTES / VALUE_CHARS);
    private static final String TOPIC = "fill";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final String GROUP = "readers";
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @TempDir
    Path tmp;

    private TmpfsMount disk;
    private final Random random = new Random(42);

    @BeforeEach
    void mountSmallTmpfs() throws Exception {
        Optional<TmpfsMount> mount = TmpfsMount.tryMount(tmp, "fs", FILE_SYSTEM_BYTES);
        assumeTrue(mount.isPresent(), "mounting a tmpfs needs root and a mount command that may mount one");
        disk = mount.get();
    }

    @AfterEach
    void unmount() {
        if (disk != null) {
            disk.close();
        }
    }

    @Test
    void shouldRefuseProduceButKeepServingWhileFullAndResumeAppendsOnceSpaceReturns() throws Exception {
        try (var tester = BrokerTester.start(disk.path(), Map.of("group.initial.rebalance.delay.ms", "0"))) {
            tester.createTopic(TOPIC, 1, Map.of("internal.segment.bytes", SEGMENT_BYTES));
            List<Acked> acked = new ArrayList<>();
            // an idempotent producer, given its producer id while there is room
            KafkaProducer<String, String> idempotent = tester.producer(Map.of(ProducerConfig.LINGER_MS_CONFIG, 0));
            acked.add(sendAndWait(idempotent, "first"));
            KafkaConsumer<String, String> member = stableMember(tester);
            member.commitSync(Map.of(PARTITION, new OffsetAndMetadata(1)));
            int generation = member.groupMetadata().generationId();
            String memberId = member.groupMetadata().memberId();

            Path ballast = disk.ballast("ballast", disk.usableBytes() - ROOM_FOR_RECORDS_BYTES);
            KafkaProducer<String, String> once = unretriedProducer(tester);
            fillThroughProduce(once, acked);
            assertTrue(disk.usableBytes() < ROOM_FOR_RECORDS_BYTES / 4,
                    "refused only once the disk is nearly full, " + disk.usableBytes() + " bytes usable");
            assertRefused(once.send(record("refused-again")));
            // retried by the client (KAFKA_STORAGE_ERROR is retriable) until there is room again
            ProducerRecord<String, String> retried = record("retried");
            Future<RecordMetadata> pending = idempotent.send(retried);

            Admin admin = tester.admin();
            assertTrue(admin.listTopics().names().get().contains(TOPIC), "topic listed while full");
            TopicDescription described = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC);
            assertEquals(1, described.partitions().size(), "partitions described while full");
            assertEquals(0, described.partitions().get(0).leader().id(), "leader described while full");
            assertReadsEveryAcknowledged(tester, acked);

            try (KafkaWireClient wire = KafkaWireClient.connect(tester.port(), "full-disk-heartbeat")) {
                HeartbeatResponse heartbeat = wire.exchange(new HeartbeatRequest.Builder(new HeartbeatRequestData()
                        .setGroupId(GROUP).setMemberId(memberId).setGenerationId(generation)).build(),
                        HeartbeatResponse.class);
                assertEquals(Errors.NONE, heartbeat.error(), "heartbeat of the stable member while full");
            }
            assertStableWithMember(admin, memberId);
            // the journal keeps its own reserve: a commit is refused with NOT_COORDINATOR, which clients retry
            Throwable commitFailure = commitAsync(member, acked.size());
            assertInstanceOf(RetriableCommitFailedException.class, commitFailure);
            assertInstanceOf(NotCoordinatorException.class, commitFailure.getCause());
            assertEquals(Map.of(PARTITION, 1L), GroupOffsets.committed(admin, GROUP), "committed offset while full");
            assertEquals(generation, member.groupMetadata().generationId(), "generation after the refused commit");
            assertEquals(memberId, member.groupMetadata().memberId(), "member id after the refused commit");

            // a group that forms while the journal has no room still stabilizes, its generation unsaved
            try (KafkaConsumer<String, String> newcomer = memberOf(tester, "formed-while-full")) {
                assertEquals(1, newcomer.groupMetadata().generationId(), "generation of a group formed while full");
            }

            assertFalse(pending.isDone(), "the retried record is still waiting for room");
            Files.delete(ballast);
            RecordMetadata resumed = pending.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(acked.size(), resumed.offset(), "offset of the retried record once space returned");
            acked.add(new Acked(resumed.offset(), retried.value()));
            acked.add(sendAndWait(once, "after"));
            member.commitSync(Map.of(PARTITION, new OffsetAndMetadata(acked.size())));
            assertEquals(Map.of(PARTITION, (long) acked.size()), GroupOffsets.committed(admin, GROUP),
                    "committed offset once space returned");
            assertReadsEveryAcknowledged(tester, acked);
        }
    }

    @Test
    void shouldServeEveryAcknowledgedRecordAfterRestartOnAFullDisk() throws Exception {
        try (var tester = BrokerTester.start(disk.path(), Map.of())) {
            tester.createTopic(TOPIC, 1, Map.of("internal.segment.bytes", SEGMENT_BYTES));
            List<Acked> acked = new ArrayList<>();
            KafkaProducer<String, String> once = unretriedProducer(tester);
            acked.add(sendAndWait(once, "first"));
            KafkaConsumer<String, String> committer = tester.consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG, GROUP));
            committer.commitSync(Map.of(PARTITION, new OffsetAndMetadata(1)));
            Path ballast = disk.ballast("ballast", disk.usableBytes() - ROOM_FOR_RECORDS_BYTES);
            fillThroughProduce(once, acked);

            tester.stop();
            // a clean stop gives back the unused tails of the active indexes: take those too
            Path filler = disk.fill("filler");
            assertEquals(0, disk.usableBytes(), "the file system is full before the restart");
            tester.start();

            assertReadsEveryAcknowledged(tester, acked);
            assertEquals(Map.of(PARTITION, 1L), GroupOffsets.committed(tester.admin(), GROUP),
                    "committed offset after the restart");
            assertRefused(once.send(record("refused-after-restart")));

            Files.delete(filler);
            Files.delete(ballast);
            Acked resumed = sendAndWait(once, "after");
            assertEquals(acked.size(), resumed.offset(), "offset appended once space returned");
            acked.add(resumed);
            assertReadsEveryAcknowledged(tester, acked);
        }
    }

    /** An acknowledged record: its value at its offset in the topic's only partition. */
    private record Acked(long offset, String value) {
    }

    /** A producer that reports the broker's first refusal instead of retrying it. */
    private static KafkaProducer<String, String> unretriedProducer(BrokerTester tester) {
        return tester.producer(Map.of(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.RETRIES_CONFIG, 0,
                ProducerConfig.LINGER_MS_CONFIG, 0));
    }

    /** Sends one record at a time until the broker refuses one for want of space, recording each acknowledged. */
    private void fillThroughProduce(KafkaProducer<String, String> producer, List<Acked> acked) throws Exception {
        for (int i = 0; i < MAX_SENDS; i++) {
            ProducerRecord<String, String> record = record("filling-" + i);
            try {
                RecordMetadata metadata = producer.send(record).get();
                assertEquals(acked.size(), metadata.offset(), "offset of " + record.key());
                acked.add(new Acked(metadata.offset(), record.value()));
            } catch (ExecutionException refused) {
                assertInstanceOf(KafkaStorageException.class, refused.getCause(), "why " + record.key() + " failed");
                return;
            }
        }
        throw new AssertionError("the broker took " + MAX_SENDS + " records without running out of room");
    }

    private Acked sendAndWait(KafkaProducer<String, String> producer, String key) throws Exception {
        ProducerRecord<String, String> record = record(key);
        RecordMetadata metadata = producer.send(record).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return new Acked(metadata.offset(), record.value());
    }

    /** A record keyed {@code key} whose value is {@value #VALUE_CHARS} random letters, its key first. */
    private ProducerRecord<String, String> record(String key) {
        StringBuilder value = new StringBuilder(VALUE_CHARS).append(key).append(':');
        while (value.length() < VALUE_CHARS) {
            value.append((char) ('a' + random.nextInt(26)));
        }
        return new ProducerRecord<>(TOPIC, 0, key, value.toString());
    }

    private static void assertRefused(Future<RecordMetadata> send) {
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> send.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        assertInstanceOf(KafkaStorageException.class, refused.getCause());
    }

    /** Reads the partition from the start and checks that it holds exactly the acknowledged records, in place. */
    private static void assertReadsEveryAcknowledged(BrokerTester tester, List<Acked> acked) {
        KafkaConsumer<String, String> reader = tester.consumer();
        reader.assign(List.of(PARTITION));
        assertEquals(acked.size(), reader.endOffsets(List.of(PARTITION)).get(PARTITION), "end offset");
        List<ConsumerRecord<String, String>> records = ConsumerPolls.pollAtLeast(reader, acked.size(), TIMEOUT);
        assertEquals(acked.size(), records.size(), "records read");
        for (int i = 0; i < acked.size(); i++) {
            assertEquals(acked.get(i).offset(), records.get(i).offset(), "offset of record " + i);
            assertEquals(acked.get(i).value(), records.get(i).value(), "value at offset " + records.get(i).offset());
        }
    }

    /** A subscribed member of {@link #GROUP}, polled until it owns the partition. */
    private static KafkaConsumer<String, String> stableMember(BrokerTester tester) {
        return memberOf(tester, GROUP);
    }

    /** A subscribed member of {@code group}, polled until it owns the partition. */
    private static KafkaConsumer<String, String> memberOf(BrokerTester tester, String group) {
        KafkaConsumer<String, String> member = tester.consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG, group));
        member.subscribe(List.of(TOPIC));
        Await.until(TIMEOUT, "the member owns " + PARTITION, () -> {
            member.poll(Duration.ofMillis(50));
            return member.assignment().contains(PARTITION);
        });
        return member;
    }

    private static void assertStableWithMember(Admin admin, String memberId) throws Exception {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP);
        assertEquals(GroupState.STABLE, group.groupState(), "group state while full");
        List<String> members = group.members().stream().map(MemberDescription::consumerId).toList();
        assertEquals(List.of(memberId), members, "members while full");
        assertEquals(List.of(PARTITION), List.copyOf(group.members().iterator().next().assignment().topicPartitions()),
                "assignment while full");
    }

    /** Commits {@code offset} asynchronously, polling until the commit completes, and returns why it failed. */
    private static Throwable commitAsync(KafkaConsumer<String, String> member, long offset) {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        member.commitAsync(Map.of(PARTITION, new OffsetAndMetadata(offset)), (offsets, failure) ->
                outcome.complete(failure));
        Await.until(TIMEOUT, "the commit completes", () -> {
            member.poll(Duration.ofMillis(50));
            return outcome.isDone();
        });
        Throwable failure = outcome.join();
        assertTrue(failure != null, "a commit to a full offsets journal is refused");
        return failure;
    }
}
