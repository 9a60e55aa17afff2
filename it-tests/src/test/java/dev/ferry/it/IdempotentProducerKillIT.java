package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.it.fixture.Await;
import dev.ferry.it.fixture.FerryProcess;
import dev.ferry.it.fixture.LatencyProxy;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idempotence through crashes: an idempotent {@code acks=all} producer writes sequence-numbered records to six
 * partitions as fast as it can, while the broker, a separate process started through the {@code ferry} launcher, is
 * killed with SIGKILL at random moments and started again on the same data. Responses reach the producer through a
 * {@link LatencyProxy}, a few milliseconds late, so a kill finds batches appended but not acknowledged; the producer
 * sends them again, and the broker must recognise each of them from the producer state it rebuilt after the crash.
 * A verifier then reads everything back: every acknowledged record must be at its acknowledged offset, byte for byte,
 * and no sequence number may be stored twice.
 *
 * <p>The kill moments, the latency and the record contents come from a seed, printed at the start; set it with
 * {@code -Dferry.it.kill.seed=N} to replay a run.
 */
@Timeout(180)
class IdempotentProducerKillIT {

    private static final String SEED_PROPERTY = "ferry.it.kill.seed";
    private static final String TOPIC = "kill-nine";
    private static final int PARTITIONS = 6;
    private static final int KILLS = 10;
    /** Kill once this many more records (at least) were acknowledged since the broker came back. */
    private static final int MIN_ACKS_BEFORE_KILL = 500;
    private static final int MAX_ACKS_BEFORE_KILL = 40_000;
    private static final Duration PROGRESS_TIMEOUT = Duration.ofSeconds(60);
    /**
     * Bounds of the delay with which responses reach the producer. Without it the broker's responses are on their way
     * for microseconds, and a kill would almost never catch appended batches that the producer has not heard of.
     */
    private static final int MIN_LATENCY_MS = 5;
    private static final int MAX_LATENCY_MS = 30;
    /** How many examples of each kind of departure the failure message lists. */
    private static final int LISTED_EXAMPLES = 5;

    @TempDir
    Path dir;

    @Test
    void shouldStoreEveryAcknowledgedRecordOnceAtItsOffsetThroughRepeatedKills() throws Exception {
        long seed = Long.getLong(SEED_PROPERTY, new Random().nextLong());
        System.out.println(getClass().getSimpleName() + " seed " + seed + " (replay with -D" + SEED_PROPERTY + "="
                + seed + ")");
        Random random = new Random(seed);
        Records records = new Records(seed);
        int proxyPort = LatencyProxy.freePort();
        long latencyMs = MIN_LATENCY_MS + random.nextInt(MAX_LATENCY_MS - MIN_LATENCY_MS + 1);
        String bootstrapServers = "127.0.0.1:" + proxyPort;

        try (FerryProcess broker = FerryProcess.create(dir.resolve("data"),
                Map.of("advertised.listeners", "PLAINTEXT://" + bootstrapServers));
             LatencyProxy proxy = LatencyProxy.start(proxyPort, broker.port(), latencyMs, TimeUnit.MILLISECONDS)) {
            broker.start();
            createTopic(bootstrapServers);
            Producing producing = new Producing(bootstrapServers, records);
            try (producing) {
                for (int kill = 1; kill <= KILLS; kill++) {
                    long target = producing.ledger.acked() + MIN_ACKS_BEFORE_KILL
                            + random.nextInt(MAX_ACKS_BEFORE_KILL - MIN_ACKS_BEFORE_KILL);
                    Await.until(PROGRESS_TIMEOUT, "the producer has " + target + " acknowledgements before kill "
                            + kill, () -> producing.ledger.acked() >= target || producing.failure != null);
                    producing.checkRunning();
                    broker.kill();
                    broker.start();
                }
                long target = producing.ledger.acked() + MIN_ACKS_BEFORE_KILL;
                Await.until(PROGRESS_TIMEOUT, "the producer has " + target + " acknowledgements after the last "
                        + "restart", () -> producing.ledger.acked() >= target || producing.failure != null);
                producing.checkRunning();
            }
            Verdict verdict = verify(bootstrapServers, records, producing.ledger, producing.sent);
            System.out.println(getClass().getSimpleName() + " seed " + seed + ", " + latencyMs + " ms latency: "
                    + verdict.summary());
            assertEquals(List.of(), verdict.departures(), "seed " + seed + ": " + verdict.summary());
            assertTrue(verdict.acked() > KILLS * MIN_ACKS_BEFORE_KILL, verdict.summary());
        }
    }

    private static void createTopic(String bootstrapServers) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            // small segments, so that they roll (and the producer state is snapshotted) many times during the run
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1)
                    .configs(Map.of("internal.segment.bytes", String.valueOf(256 * 1024)))))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Reads every partition from the beginning and compares each stored record with what was sent and acknowledged. */
    private static Verdict verify(String bootstrapServers, Records records, AckLedger ledger, int sent) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = IntStream.range(0, PARTITIONS)
                    .mapToObj(partition -> new TopicPartition(TOPIC, partition)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Verification verification = new Verification(records, ledger, sent);
            long deadline = System.nanoTime() + PROGRESS_TIMEOUT.toNanos();
            while (!partitions.stream().allMatch(partition -> consumer.position(partition) >= ends.get(partition))) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("the verifier did not read up to " + ends + " within " + PROGRESS_TIMEOUT);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(verification::check);
            }
            return verification.verdict();
        }
    }

    /**
     * The record for each sequence number: partition {@code sequence % 6}, the sequence number as an 8-byte key, and
     * a value of 16 to 200 bytes derived from the seed and the sequence number, so that the verifier can rebuild it.
     */
    private record Records(long seed) {

        ProducerRecord<byte[], byte[]> record(int sequence) {
            return new ProducerRecord<>(TOPIC, partition(sequence), key(sequence), value(sequence));
        }

        int partition(int sequence) {
            return sequence % PARTITIONS;
        }

        byte[] key(int sequence) {
            return ByteBuffer.allocate(Long.BYTES).putLong(sequence).array();
        }

        byte[] value(int sequence) {
            SplittableRandom random = new SplittableRandom(seed ^ (sequence * 0x9E3779B97F4A7C15L));
            byte[] value = new byte[16 + random.nextInt(185)];
            random.nextBytes(value);
            ByteBuffer.wrap(value).putInt(sequence);
            return value;
        }
    }

    /** Where each acknowledged sequence number landed. <b>Thread-safe.</b> */
    private static final class AckLedger {

        private long[] offsets = new long[1 << 16];
        private int acked;
        private final Map<String, Integer> failures = new TreeMap<>();

        AckLedger() {
            Arrays.fill(offsets, -1);
        }

        synchronized void acknowledged(int sequence, long offset) {
            if (sequence >= offsets.length) {
                int size = offsets.length;
                offsets = Arrays.copyOf(offsets, Math.max(sequence + 1, size * 2));
                Arrays.fill(offsets, size, offsets.length, -1);
            }
            offsets[sequence] = offset;
            acked++;
        }

        synchronized void failed(Exception exception) {
            failures.merge(exception.getClass().getSimpleName(), 1, Integer::sum);
        }

        synchronized int acked() {
            return acked;
        }

        /** The acknowledged offset of {@code sequence}, or -1 when it was not acknowledged. */
        synchronized long offsetOf(int sequence) {
            return sequence < offsets.length ? offsets[sequence] : -1;
        }

        synchronized Map<String, Integer> failures() {
            return Map.copyOf(failures);
        }
    }

    /** An idempotent producer sending records as fast as it can on its own thread until closed. */
    private static final class Producing implements AutoCloseable {

        final AckLedger ledger = new AckLedger();
        volatile Throwable failure;
        volatile int sent;
        private final KafkaProducer<byte[], byte[]> producer;
        private final Thread thread;
        private volatile boolean stopping;

        Producing(String bootstrapServers, Records records) {
            Map<String, Object> config = new HashMap<>();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
            // small batches: many of them in flight when the broker dies, each one a retry to recognise
            config.put(ProducerConfig.BATCH_SIZE_CONFIG, 4096);
            config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            // a small buffer bounds what piles up while the broker is down
            config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 2 * 1024 * 1024);
            config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
            config.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 20);
            config.put(ProducerConfig.RECONNECT_BACKOFF_MS_CONFIG, 20);
            config.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
            config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
            producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
            thread = new Thread(() -> produce(records), "kill-test-producer");
            thread.start();
        }

        private void produce(Records records) {
            try {
                for (int sequence = 0; !stopping; sequence++) {
                    int acknowledged = sequence;
                    producer.send(records.record(sequence), (metadata, exception) -> {
                        if (exception == null) {
                            ledger.acknowledged(acknowledged, metadata.offset());
                        } else {
                            ledger.failed(exception);
                        }
                    });
                    sent = sequence + 1;
                }
            } catch (RuntimeException e) {
                failure = e;
            }
        }

        void checkRunning() {
            if (failure != null) {
                throw new AssertionError("the producer failed", failure);
            }
        }

        /** Stops sending, waits for every send to complete and closes the producer. */
        @Override
        public void close() throws InterruptedException {
            stopping = true;
            thread.join(TimeUnit.MINUTES.toMillis(1));
            producer.flush();
            producer.close(Duration.ofSeconds(30));
        }
    }

    /** Compares stored records with the records sent, one by one. Used by the verifier's thread only. */
    private static final class Verification {

        private final Records records;
        private final AckLedger ledger;
        private final int sent;
        private final BitSet stored = new BitSet();
        /** Examples of each kind of departure, and how many there were. */
        private final Map<String, List<String>> examples = new TreeMap<>();
        private final Map<String, Integer> counts = new TreeMap<>();
        private long read;

        Verification(Records records, AckLedger ledger, int sent) {
            this.records = records;
            this.ledger = ledger;
            this.sent = sent;
        }

        void check(ConsumerRecord<byte[], byte[]> record) {
            read++;
            int sequence = (int) ByteBuffer.wrap(record.key()).getLong();
            String where = record.partition() + "@" + record.offset();
            if (stored.get(sequence)) {
                depart("stored twice", "sequence " + sequence + " again at " + where);
            }
            stored.set(sequence);
            if (record.partition() != records.partition(sequence)
                    || !Arrays.equals(records.value(sequence), record.value())) {
                depart("not the record sent", "sequence " + sequence + " at " + where);
            }
            long acknowledged = ledger.offsetOf(sequence);
            if (acknowledged >= 0 && acknowledged != record.offset()) {
                depart("not at its acknowledged offset", "sequence " + sequence + " acknowledged at offset "
                        + acknowledged + " is at " + where);
            }
        }

        Verdict verdict() {
            int acked = 0;
            for (int sequence = 0; sequence < sent; sequence++) {
                long acknowledged = ledger.offsetOf(sequence);
                if (acknowledged >= 0) {
                    acked++;
                    if (!stored.get(sequence)) {
                        depart("acknowledged but not stored", "sequence " + sequence + " acknowledged at "
                                + records.partition(sequence) + "@" + acknowledged);
                    }
                }
            }
            List<String> departures = new ArrayList<>();
            counts.forEach((kind, count) -> departures.add(count + " " + kind + ", e.g. " + examples.get(kind)));
            String summary = sent + " records sent, " + acked + " acknowledged, " + read + " stored, send failures "
                    + ledger.failures();
            return new Verdict(departures, acked, summary);
        }

        private void depart(String kind, String example) {
            counts.merge(kind, 1, Integer::sum);
            List<String> listed = examples.computeIfAbsent(kind, k -> new ArrayList<>());
            if (listed.size() < LISTED_EXAMPLES) {
                listed.add(example);
            }
        }
    }

    private record Verdict(List<String> departures, int acked, String summary) {
    }
}
