package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.it.fixture.Await;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker as an operator runs it: a separate process started by the {@code ferry} launcher at the repository
 * root, and stopped with SIGTERM, as {@code docker stop}, systemd and {@code kill} stop it. It must exit with
 * status 0, and a broker restarted on the same data must serve every record it acknowledged, including those
 * acknowledged while the signal arrived.
 *
 * <p>The launcher builds the jar when it is missing or older than the sources. The reactor builds it before this
 * module's tests run, so it is fresh; should it not be, the launcher finds a stand-in for Maven on its path that
 * fails with an explanation, because a build inside the test run would rebuild the classes the tests run on.
 */
@Timeout(240)
class LauncherSignalIT {

    private static final String TOPIC = "signalled";
    private static final int PARTITIONS = 3;
    private static final int RECORDS_BEFORE_SIGNAL = 600;
    /** Records acknowledged from continuous sending before the signal is sent, so that sends are in flight. */
    private static final int STREAMED_BEFORE_SIGNAL = 300;
    private static final int MAX_UNACKNOWLEDGED_SENDS = 50;

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    @TempDir
    Path workDir;

    @Test
    void shouldExitZeroOnSigtermAndServeEveryAcknowledgedRecordAfterRestart() throws Exception {
        AcknowledgedRecords acknowledged = new AcknowledgedRecords();
        try (LaunchedBroker broker = LaunchedBroker.start(dataDir, workDir, "first")) {
            broker.awaitServing(START_TIMEOUT);
            createTopic(broker.bootstrapServers());
            KafkaProducer<String, String> producer = producer(broker.bootstrapServers());
            StreamingSender sender = null;
            try {
                sendAndFlush(producer, "settled", RECORDS_BEFORE_SIGNAL, acknowledged);
                assertEquals(RECORDS_BEFORE_SIGNAL, acknowledged.count(), "records acknowledged before the signal");

                // keep sending while the broker stops: what was acknowledged must be kept, the rest may fail
                sender = StreamingSender.start(producer, acknowledged);
                Await.until(CLIENT_TIMEOUT, STREAMED_BEFORE_SIGNAL + " streamed records acknowledged",
                        () -> acknowledged.count() >= RECORDS_BEFORE_SIGNAL + STREAMED_BEFORE_SIGNAL);
                int exitStatus = broker.terminate(STOP_TIMEOUT);
                assertEquals(0, exitStatus, "exit status after SIGTERM; the broker's output ends:\n" + broker.tail());
            } finally {
                if (sender != null) {
                    sender.stop();
                }
                // fails what is still unacknowledged and waits for the callbacks: the acknowledgements are final
                producer.close(Duration.ZERO);
            }
        }

        try (LaunchedBroker restarted = LaunchedBroker.start(dataDir, workDir, "restarted")) {
            restarted.awaitServing(START_TIMEOUT);
            Map<TopicPartition, NavigableMap<Long, String>> stored = readAll(restarted.bootstrapServers());
            stored.forEach((partition, records) -> assertEquals(
                    LongStream.range(0, records.size()).boxed().toList(), new ArrayList<>(records.keySet()),
                    "offsets served from " + partition + " after restart"));
            assertEquals(List.of(), acknowledged.missingFrom(stored), "acknowledged records not served after restart");
            assertEquals(0, restarted.terminate(STOP_TIMEOUT),
                    "exit status of the restarted broker after SIGTERM; its output ends:\n" + restarted.tail());
        }
    }

    private static void createTopic(String bootstrapServers) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, Optional.of(PARTITIONS), Optional.empty()))).all()
                    .get(CLIENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** An idempotent producer with acks=all (the client's defaults) that gives up soon once the broker is gone. */
    private static KafkaProducer<String, String> producer(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        return new KafkaProducer<>(config);
    }

    private static void sendAndFlush(KafkaProducer<String, String> producer, String prefix, int count,
                                     AcknowledgedRecords acknowledged) {
        AtomicInteger failures = new AtomicInteger();
        for (int i = 0; i < count; i++) {
            String value = prefix + "-" + i;
            producer.send(new ProducerRecord<>(TOPIC, "key-" + (i % 40), value), (metadata, error) -> {
                if (error == null) {
                    acknowledged.add(new TopicPartition(TOPIC, metadata.partition()), metadata.offset(), value);
                } else {
                    failures.incrementAndGet();
                }
            });
        }
        producer.flush();
        assertEquals(0, failures.get(), "sends that failed while the broker was serving");
    }

    /** Every record of the topic, by partition and offset, read up to the end offsets at the time of the call. */
    private static Map<TopicPartition, NavigableMap<Long, String>> readAll(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CLIENT_TIMEOUT.toMillis());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config);
        try {
            List<TopicPartition> partitions = IntStream.range(0, PARTITIONS)
                    .mapToObj(p -> new TopicPartition(TOPIC, p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> endOffsets = consumer.endOffsets(partitions);
            Map<TopicPartition, NavigableMap<Long, String>> stored = new HashMap<>();
            partitions.forEach(partition -> stored.put(partition, new TreeMap<>()));
            Await.until(CLIENT_TIMEOUT, "every stored record read, up to " + endOffsets, () -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    stored.get(new TopicPartition(record.topic(), record.partition()))
                            .put(record.offset(), record.value());
                }
                return partitions.stream().allMatch(p -> consumer.position(p) >= endOffsets.get(p));
            });
            return stored;
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    /**
     * The records the broker acknowledged, by partition and offset.
     *
     * <p><b>Thread-safe:</b> filled from the producer's I/O thread.
     */
    private static final class AcknowledgedRecords {

        private static final int LISTED = 10;

        private final Map<TopicPartition, NavigableMap<Long, String>> byPartition = new ConcurrentHashMap<>();
        private final List<String> conflicts = new ArrayList<>();
        private final AtomicInteger count = new AtomicInteger();

        void add(TopicPartition partition, long offset, String value) {
            String previous = byPartition.computeIfAbsent(partition, p -> new ConcurrentSkipListMap<>())
                    .putIfAbsent(offset, value);
            if (previous != null) {
                synchronized (conflicts) {
                    conflicts.add(partition + "@" + offset + " acknowledged for " + previous + " and " + value);
                }
            }
            count.incrementAndGet();
        }

        int count() {
            return count.get();
        }

        /** The acknowledged records that {@code stored} lacks or holds with another value; the first few listed. */
        List<String> missingFrom(Map<TopicPartition, NavigableMap<Long, String>> stored) {
            List<String> missing = new ArrayList<>();
            synchronized (conflicts) {
                missing.addAll(conflicts);
            }
            int total = 0;
            for (Map.Entry<TopicPartition, NavigableMap<Long, String>> partition : byPartition.entrySet()) {
                NavigableMap<Long, String> storedHere = stored.getOrDefault(partition.getKey(), new TreeMap<>());
                for (Map.Entry<Long, String> record : partition.getValue().entrySet()) {
                    String found = storedHere.get(record.getKey());
                    if (!record.getValue().equals(found)) {
                        if (++total <= LISTED) {
                            missing.add(partition.getKey() + "@" + record.getKey() + ": acknowledged "
                                    + record.getValue() + ", stored " + found);
                        }
                    }
                }
            }
            if (total > LISTED) {
                missing.add("and " + (total - LISTED) + " more");
            }
            return missing;
        }
    }

    /** Sends records one after another from its own thread, a bounded number unacknowledged at a time. */
    private static final class StreamingSender {

        private final KafkaProducer<String, String> producer;
        private final AcknowledgedRecords acknowledged;
        private final Semaphore unacknowledged = new Semaphore(MAX_UNACKNOWLEDGED_SENDS);
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final Thread thread;

        private StreamingSender(KafkaProducer<String, String> producer, AcknowledgedRecords acknowledged) {
            this.producer = producer;
            this.acknowledged = acknowledged;
            this.thread = new Thread(this::run, "streaming-sender");
            thread.setDaemon(true);
        }

        static StreamingSender start(KafkaProducer<String, String> producer, AcknowledgedRecords acknowledged) {
            StreamingSender sender = new StreamingSender(producer, acknowledged);
            sender.thread.start();
            return sender;
        }

        /**
         * Stops sending and waits for the thread, which may be blocked in a send for up to {@code max.block.ms};
         * sends still unacknowledged stay with the producer.
         */
        void stop() throws InterruptedException {
            stopped.set(true);
            thread.join(CLIENT_TIMEOUT.toMillis());
            assertFalse(thread.isAlive(), "the sending thread still runs " + CLIENT_TIMEOUT + " after being stopped");
        }

        private void run() {
            int sent = 0;
            while (!stopped.get()) {
                try {
                    if (!unacknowledged.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                } catch (InterruptedException e) {
                    return;
                }
                String value = "streamed-" + sent;
                String key = "key-" + (sent % 40);
                sent++;
                try {
                    producer.send(new ProducerRecord<>(TOPIC, key, value), (metadata, error) -> {
                        unacknowledged.release();
                        if (error == null) {
                            acknowledged.add(new TopicPartition(TOPIC, metadata.partition()), metadata.offset(),
                                    value);
                        }
                    });
                } catch (RuntimeException e) {
                    // the broker is gone and metadata could not be had within max.block.ms: nothing was sent
                    unacknowledged.release();
                }
            }
        }
    }

    /**
     * A broker started by the {@code ferry} launcher as a child process, on a free loopback port, with its standard
     * output and error in one file. The launcher execs java, so the child's pid is the JVM's and
     * {@link Process#destroy()} (SIGTERM on Linux) reaches the broker itself.
     */
    private static final class LaunchedBroker implements AutoCloseable {

        /** The module directory, where failsafe runs the tests; the launcher is one level up. */
        private static final Path LAUNCHER = Path.of("").toAbsolutePath().getParent().resolve("ferry");
        private static final int TAIL_LINES = 40;
        private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

        private final Process process;
        private final Path output;
        private final int port;

        private LaunchedBroker(Process process, Path output, int port) {
            this.process = process;
            this.output = output;
            this.port = port;
        }

        /**
         * Starts {@code ferry serve} with its logs in {@code dataDir}.
         *
         * @param workDir where the broker's output file ({@code <name>.log}) and the stand-in for Maven go
         */
        static LaunchedBroker start(Path dataDir, Path workDir, String name) throws IOException {
            assertTrue(Files.isExecutable(LAUNCHER), "the launcher " + LAUNCHER + " is missing or not executable");
            int port = freeLoopbackPort();
            Path output = workDir.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "serve",
                    "--override", "listeners=PLAINTEXT://127.0.0.1:" + port,
                    "--override", "log.dirs=" + dataDir,
                    // the metrics endpoint's fixed port could be taken on a shared machine
                    "--override", "metrics.port=0")
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            Map<String, String> env = builder.environment();
            // only the command line configures this broker
            env.keySet().removeIf(variable -> variable.startsWith("FERRY_"));
            env.put("JAVA_OPTS", "-Xmx512m");
            // the JVM running the tests runs the broker; the stand-in for Maven comes before the real one
            env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator
                    + mavenStandIn(workDir) + File.pathSeparator + env.getOrDefault("PATH", ""));
            return new LaunchedBroker(builder.start(), output, port);
        }

        String bootstrapServers() {
            return "127.0.0.1:" + port;
        }

        /** Returns once the broker answers an admin request; fails early if the process exits first. */
        void awaitServing(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            try (Admin admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000))) {
                for (;;) {
                    if (!process.isAlive()) {
                        throw new AssertionError("The broker exited with " + process.exitValue()
                                + " before serving; its output ends:\n" + tail());
                    }
                    try {
                        admin.describeCluster().clusterId().get();
                        return;
                    } catch (ExecutionException e) {
                        if (System.nanoTime() - deadline > 0) {
                            throw new AssertionError("The broker does not serve after " + timeout + " ("
                                    + describe(e) + "); its output ends:\n" + tail());
                        }
                    }
                }
            }
        }

        /**
         * Sends SIGTERM and waits for the process to exit.
         *
         * @return its exit status
         * @throws AssertionError when it still runs after {@code timeout} (it is then killed)
         */
        int terminate(Duration timeout) throws InterruptedException {
            process.destroy();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                close();
                throw new AssertionError("The broker still ran " + timeout + " after SIGTERM; its output ends:\n"
                        + tail());
            }
            return process.exitValue();
        }

        /** The last lines the broker wrote. */
        String tail() {
            try {
                List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
            } catch (IOException | UncheckedIOException e) {
                return "(unreadable: " + e + ")";
            }
        }

        /** Kills the broker if it still runs, so that a failed test leaves no process behind. */
        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        private static String describe(ExecutionException error) {
            return error.getCause() != null ? error.getCause().toString() : error.toString();
        }

        /** A directory holding an {@code mvn} that explains why the launcher must not build here, and fails. */
        private static Path mavenStandIn(Path workDir) throws IOException {
            Path bin = workDir.resolve("no-build-bin");
            Path mvn = bin.resolve("mvn");
            if (!Files.exists(mvn)) {
                Files.createDirectories(bin);
                Files.writeString(mvn, "#!/bin/sh\n"
                        + "echo 'LauncherSignalIT: broker/target/ferry.jar is missing or older than the sources;"
                        + " build it first (mvn -pl broker -am package) rather than inside the test run' >&2\n"
                        + "exit 1\n", StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            return bin;
        }

        /**
         * A port free on the loopback interface a moment ago. Another process could take it before the broker binds
         * it; the broker would then fail to start, with a message in its output saying so.
         */
        private static int freeLoopbackPort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            }
        }
    }
}
