package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.broker.FileDescriptorLimit;
import dev.ferry.it.fixture.Await;
import dev.ferry.it.fixture.FerryProcess;
import dev.ferry.it.fixture.IdleConnections;
import dev.ferry.it.fixture.ProcessProbe;
import dev.ferry.it.fixture.RequestBytes;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connection flood against a broker running as its own process, so that its file descriptors and memory are its
 * own: ten thousand plain TCP connections, each of which has sent ApiVersions and read the answer, are held idle while
 * a producer and a consumer on connections of their own keep working, and the broker's resident memory grows by less
 * than {@value #RSS_GROWTH_LIMIT_MIB} MiB. Also {@code max.connections}: a connection beyond it is closed at once, and
 * a broker whose open-file limit cannot hold it refuses to start.
 */
@Timeout(120)
class ConnectionFloodIT {

    private static final int FLOOD = 10_000;
    /** A first crowd, opened and closed before the measurement, so that the broker's pools and heap are warm. */
    private static final int WARM_UP_CONNECTIONS = 2_000;
    private static final long RSS_GROWTH_LIMIT_MIB = 50;
    private static final String TOPIC = "flood";
    private static final int RECORDS_BEFORE_FLOOD = 2_000;
    private static final int RECORDS_WHILE_HELD = 2_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(40);
    private static final int MAX_CONNECTIONS = 5;

    @TempDir
    Path dir;

    @Test
    void shouldHoldTenThousandIdleConnectionsWhileRecordsFlowWithLittleMoreMemory() throws Exception {
        try (FerryProcess broker = FerryProcess.create(dir.resolve("data"), Map.of())) {
            broker.start();
            ProcessProbe probe = ProcessProbe.childWithArgument("127.0.0.1:" + broker.port());
            createTopic(broker.bootstrapServers());
            try (Traffic traffic = Traffic.start(broker.bootstrapServers())) {
                traffic.awaitConsumed(RECORDS_BEFORE_FLOOD);
                int fdsBefore = probe.openFileDescriptors();
                // what the reserve of the start-up check stands for: everything but connections and segments
                assertTrue(fdsBefore < FileDescriptorLimit.FIXED_RESERVE, fdsBefore + " descriptors open");
                try (IdleConnections warmUp = IdleConnections.open(broker.port(), WARM_UP_CONNECTIONS, TIMEOUT)) {
                    assertEquals(WARM_UP_CONNECTIONS, warmUp.size());
                }
                Await.until(TIMEOUT, "the broker has closed the warm-up connections",
                        () -> probe.openFileDescriptors() <= fdsBefore);
                long rssBefore = probe.residentBytes();
                long ackedBefore = traffic.acked();
                long floodStart = System.nanoTime();

                try (IdleConnections idle = IdleConnections.open(broker.port(), FLOOD, TIMEOUT)) {
                    long floodMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - floodStart);
                    long rssAfter = probe.residentBytes();
                    int fdsAfter = probe.openFileDescriptors();
                    long ackedDuringFlood = traffic.acked() - ackedBefore;
                    long target = traffic.acked() + RECORDS_WHILE_HELD;
                    traffic.awaitConsumed(target);
                    idle.assertAllOpenAndQuiet();

                    long growthMib = (rssAfter - rssBefore) / (1024 * 1024);
                    System.out.printf("%s: broker RSS %d MiB before, %d MiB with %d idle connections (%+d MiB), "
                                    + "opened in %d ms; %d file descriptors before, %d after; %d records "
                                    + "acknowledged during the flood%n", getClass().getSimpleName(), rssBefore >> 20,
                            rssAfter >> 20, idle.size(), growthMib, floodMillis, fdsBefore, fdsAfter,
                            ackedDuringFlood);
                    assertEquals(FLOOD, idle.size());
                    assertTrue(ackedDuringFlood > 0, "the producer was acknowledged while the connections opened");
                    assertTrue(fdsAfter - fdsBefore > FLOOD - 20 && fdsAfter - fdsBefore < FLOOD + 100,
                            "one file descriptor per connection: " + fdsBefore + " before, " + fdsAfter + " after");
                    assertTrue(rssAfter - rssBefore < RSS_GROWTH_LIMIT_MIB * 1024 * 1024,
                            "the broker's RSS grew by " + growthMib + " MiB");
                }
                traffic.stopAndAssertEveryAcknowledgedRecordConsumedInOrder();
            }
        }
    }

    @Test
    void shouldCloseAConnectionBeyondMaxConnectionsAtOnceAndAdmitAgainWhenOneCloses() throws Exception {
        try (FerryProcess broker = FerryProcess.create(dir.resolve("limited"),
                Map.of("max.connections", String.valueOf(MAX_CONNECTIONS)))) {
            broker.start();
            List<Socket> held = new ArrayList<>();
            try {
                // the fixture's own probe of the port may still hold a slot for a moment after start
                Await.until(TIMEOUT, MAX_CONNECTIONS + " connections are admitted", () -> {
                    answeredConnection(broker.port()).ifPresent(held::add);
                    return held.size() == MAX_CONNECTIONS;
                });

                assertEquals(Optional.empty(), answeredConnection(broker.port()), "connection beyond the limit");
                assertEquals(Optional.empty(), answeredConnection(broker.port()), "and the next one");

                held.remove(0).close();
                Await.until(TIMEOUT, "a connection is admitted again once one has closed",
                        () -> answeredConnection(broker.port()).map(held::add).orElse(false));
                assertEquals(MAX_CONNECTIONS, held.size());
                String log = Files.readString(broker.logFile(), StandardCharsets.UTF_8);
                assertTrue(log.contains("the broker has reached max.connections=" + MAX_CONNECTIONS), log);
            } finally {
                for (Socket socket : held) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void shouldRefuseToStartWhenTheOpenFileLimitCannotHoldMaxConnections() throws Exception {
        Path dataDir = dir.resolve("never-opened");
        Path output = dir.resolve("refused.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar = Path.of("..", "broker", "target", "ferry.jar").toAbsolutePath().normalize();
        // ulimit -n sets the hard limit too, so that the JVM cannot raise its own above it
        Process process = new ProcessBuilder("bash", "-c", "ulimit -n 4096 && exec \"$0\" -jar \"$1\" serve "
                + "--override listeners=PLAINTEXT://127.0.0.1:0 --override metrics.port=0 "
                + "--override max.connections=10000 --override log.dirs=\"$2\"", java, jar.toString(),
                dataDir.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the broker still runs");

        String printed = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(1, process.exitValue(), printed);
        long needed = new FileDescriptorLimit(4096, 10_000, 8192).needed();
        assertTrue(printed.contains("The open-file limit of the broker's process is 4096, but max.connections=10000 "
                + "needs " + needed + " file descriptors"), printed);
        assertTrue(printed.contains("ulimit -n " + needed), printed);
        assertFalse(Files.exists(dataDir), "nothing is opened before the check");
    }

    /**
     * Opens a connection and sends ApiVersions: the connection when the broker answers, empty when it closes the
     * connection instead.
     */
    private static Optional<Socket> answeredConnection(int port) {
        try {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            byte[] body = RequestBytes.flexibleHeader(18, 3, 7, "limited").compactString("ferry-it")
                    .compactString("1.0").unsignedVarint(0).toByteArray();
            try {
                socket.getOutputStream().write(ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body)
                        .array());
                DataInputStream in = new DataInputStream(socket.getInputStream());
                byte[] frame = new byte[in.readInt()];
                in.readFully(frame);
                assertEquals(7, ByteBuffer.wrap(frame).getInt(), "correlation id");
                return Optional.of(socket);
            } catch (EOFException | SocketException closedByBroker) {
                socket.close();
                return Optional.empty();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void createTopic(String bootstrapServers) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * A producer sending consecutive numbers, one acknowledged record at a time, and a consumer reading them back,
     * each on its own thread and its own connections, checking that every number arrives once and in order.
     */
    private static final class Traffic implements AutoCloseable {

        private final KafkaProducer<Long, Long> producer;
        private final KafkaConsumer<Long, Long> consumer;
        private final AtomicLong acked = new AtomicLong();
        private final AtomicLong consumed = new AtomicLong();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread producing;
        private final Thread consuming;
        private volatile boolean producerStopped;
        private volatile boolean consumerStopped;

        private Traffic(String bootstrapServers) {
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ProducerConfig.ACKS_CONFIG, "all"), new LongSerializer(), new LongSerializer());
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new LongDeserializer(), new LongDeserializer());
            producing = new Thread(this::produce, "flood-producer");
            consuming = new Thread(this::consume, "flood-consumer");
        }

        static Traffic start(String bootstrapServers) {
            Traffic traffic = new Traffic(bootstrapServers);
            traffic.producing.start();
            traffic.consuming.start();
            return traffic;
        }

        long acked() {
            checkRunning();
            return acked.get();
        }

        void awaitConsumed(long count) {
            Await.until(TIMEOUT, count + " records consumed (" + consumed.get() + " so far)",
                    () -> consumed.get() >= count || failure.get() != null);
            checkRunning();
        }

        void stopAndAssertEveryAcknowledgedRecordConsumedInOrder() throws InterruptedException {
            producerStopped = true;
            producing.join(TIMEOUT.toMillis());
            long sent = acked.get();
            awaitConsumed(sent);
            assertEquals(sent, consumed.get(), "records consumed, each the next number in order");
        }

        @Override
        public void close() throws InterruptedException {
            producerStopped = true;
            consumerStopped = true;
            producing.join(TIMEOUT.toMillis());
            consuming.join(TIMEOUT.toMillis());
            producer.close(Duration.ofSeconds(5));
            consumer.close(Duration.ofSeconds(5));
        }

        private void checkRunning() {
            Throwable cause = failure.get();
            if (cause != null) {
                throw new AssertionError("the producer or consumer failed", cause);
            }
        }

        private void produce() {
            try {
                for (long next = 0; !producerStopped; next++) {
                    producer.send(new ProducerRecord<>(TOPIC, 0, next, next)).get(TIMEOUT.toMillis(),
                            TimeUnit.MILLISECONDS);
                    acked.incrementAndGet();
                }
            } catch (Exception | AssertionError e) {
                failure.compareAndSet(null, e);
            }
        }

        private void consume() {
            try {
                TopicPartition partition = new TopicPartition(TOPIC, 0);
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                while (!consumerStopped) {
                    for (ConsumerRecord<Long, Long> record : consumer.poll(Duration.ofMillis(100))) {
                        long expected = consumed.get();
                        if (record.value() != expected || record.offset() != expected) {
                            throw new AssertionError("expected number " + expected + " at offset " + expected
                                    + ", got " + record.value() + " at offset " + record.offset());
                        }
                        consumed.incrementAndGet();
                    }
                }
            } catch (Exception | AssertionError e) {
                failure.compareAndSet(null, e);
            }
        }
    }
}
