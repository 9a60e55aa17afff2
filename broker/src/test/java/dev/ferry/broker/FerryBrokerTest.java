package dev.ferry.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.config.FerryConfig;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelOption;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker end to end with kafka-clients' admin client; the data path is covered in the it-tests module. */
class FerryBrokerTest {

    @TempDir
    Path dir;

    @Test
    void shouldServeAdminClientAndKeepTopicsAcrossRestart() throws Exception {
        String topicId;
        String clusterId;
        try (FerryBroker broker = start(); Admin admin = admin(broker)) {
            admin.createTopics(List.of(new NewTopic("orders", 4, (short) 1)
                    .configs(Map.of("retention.ms", "3600000")))).all().get();
            ExecutionException again = assertThrows(ExecutionException.class,
                    () -> admin.createTopics(List.of(new NewTopic("orders", 1, (short) 1))).all().get());
            assertInstanceOf(TopicExistsException.class, again.getCause());

            TopicDescription description = admin.describeTopics(List.of("orders")).allTopicNames().get().get("orders");
            assertEquals(4, description.partitions().size());
            assertEquals(0, description.partitions().get(3).leader().id());
            topicId = description.topicId().toString();

            DescribeClusterResult cluster = admin.describeCluster();
            clusterId = cluster.clusterId().get();
            assertEquals(broker.port(), cluster.nodes().get().iterator().next().port());

            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "orders");
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertEquals("3600000", config.get("retention.ms").value());
        }
        try (FerryBroker broker = start(); Admin admin = admin(broker)) {
            assertEquals(Set.of("orders"), admin.listTopics().names().get());
            TopicDescription description = admin.describeTopics(List.of("orders")).allTopicNames().get().get("orders");
            assertEquals(topicId, description.topicId().toString());
            assertEquals(clusterId, admin.describeCluster().clusterId().get());
            admin.deleteTopics(List.of("orders")).all().get();
            assertTrue(admin.listTopics().names().get().isEmpty());
        }
    }

    @Test
    void shouldNameTheListenerItCannotBind() {
        try (FerryBroker first = start()) {
            FerryConfig clash = FerryConfig.of(Map.of("listeners", "PLAINTEXT://127.0.0.1:" + first.port(),
                    "log.dirs", dir.resolve("other").toString(), "metrics.port", "0"));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> FerryBroker.start(clash));
            assertTrue(e.getMessage().contains("PLAINTEXT://127.0.0.1:" + first.port()), e.getMessage());
        }
    }

    @Test
    void shouldLeaveAHandlerRunningRatherThanInterruptItWhenTheDrainTimesOut() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        Future<?> handler = pool.submit(() -> {
            started.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        started.await();
        pool.shutdown();

        boolean callerInterrupted = FerryBroker.awaitTermination(pool, "test handlers", 10);

        assertFalse(callerInterrupted);
        assertFalse(pool.isTerminated(), "the handler still runs");
        finish.countDown();
        handler.get(30, TimeUnit.SECONDS);
        assertFalse(interrupted.get(), "an interrupt would close the FileChannel the handler was using");
    }

    @Test
    void shouldReportAnInterruptOfTheCallerWithoutPassingItOn() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        CountDownLatch finish = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        Future<?> handler = pool.submit(() -> {
            try {
                finish.await();
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        pool.shutdown();

        Thread.currentThread().interrupt();
        boolean callerInterrupted = FerryBroker.awaitTermination(pool, "test handlers", 10);

        assertTrue(callerInterrupted);
        assertFalse(Thread.currentThread().isInterrupted(), "held back for the caller to restore");
        finish.countDown();
        handler.get(30, TimeUnit.SECONDS);
        assertFalse(interrupted.get());
    }

    @Test
    void shouldGiveConnectionsTheConfiguredSocketBuffers() throws Exception {
        int send = 50_000;
        int receive = 40_000;
        FerryConfig config = FerryConfig.of(Map.of("listeners", "PLAINTEXT://127.0.0.1:0", "log.dirs", dir.toString(),
                "metrics.port", "0", "socket.send.buffer.bytes", Integer.toString(send),
                "socket.receive.buffer.bytes", Integer.toString(receive)));
        try (FerryBroker broker = FerryBroker.start(config);
                Socket client = new Socket(InetAddress.getLoopbackAddress(), broker.port())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (broker.connections().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1, broker.connections().size(), "connections accepted");
            ChannelConfig accepted = broker.connections().iterator().next().config();
            // the kernel may keep up to twice the size asked for (Linux does, for its bookkeeping)
            int sendBuffer = accepted.getOption(ChannelOption.SO_SNDBUF);
            int receiveBuffer = accepted.getOption(ChannelOption.SO_RCVBUF);
            assertTrue(sendBuffer >= send && sendBuffer <= 2 * send, "SO_SNDBUF " + sendBuffer);
            assertTrue(receiveBuffer >= receive && receiveBuffer <= 2 * receive, "SO_RCVBUF " + receiveBuffer);
        }
    }

    private FerryBroker start() {
        return FerryBroker.start(FerryConfig.of(Map.of("listeners", "PLAINTEXT://127.0.0.1:0",
                "log.dirs", dir.toString(), "metrics.port", "0")));
    }

    private static Admin admin(FerryBroker broker) {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return Admin.create(properties);
    }
}
