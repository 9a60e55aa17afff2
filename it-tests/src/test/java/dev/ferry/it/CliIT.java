package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.broker.cli.ConsumeCommand;
import dev.ferry.broker.cli.GroupsCommand;
import dev.ferry.broker.cli.ProduceCommand;
import dev.ferry.broker.cli.TopicsCommand;
import dev.ferry.it.fixture.Await;
import dev.ferry.it.fixture.BrokerTester;
import dev.ferry.it.fixture.CommandRun;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ferry} client commands end to end, run in-process through picocli against an in-VM broker, and checked
 * against what Kafka's own admin client and partitioner say.
 */
@Timeout(120)
class CliIT {

    @TempDir
    static Path dataDir;

    private static BrokerTester tester;

    @BeforeAll
    static void startBroker() {
        // no initial rebalance delay: each consumer's group forms as soon as it joins
        tester = BrokerTester.start(dataDir, Map.of("group.initial.rebalance.delay.ms", "0"));
    }

    @AfterAll
    static void stopBroker() {
        tester.close();
    }

    private static String[] withBroker(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--kafka");
        all.add(tester.bootstrapServers());
        return all.toArray(new String[0]);
    }

    private static CommandRun produce(String input, String... args) {
        return CommandRun.of(new ProduceCommand(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8))),
                withBroker(args));
    }

    private static CommandRun consume(String... args) {
        return CommandRun.of(new ConsumeCommand(), withBroker(args));
    }

    private static void assertSucceededQuietly(CommandRun run) {
        assertEquals(0, run.status(), run.toString());
        assertEquals("", run.err(), run.toString());
    }

    /** {@code count} lines {@code k<i mod keys>:<prefix><i>}, for --key-separator ':'. */
    private static String keyedLines(int count, int keys, String prefix) {
        return IntStream.range(0, count).mapToObj(i -> "k" + (i % keys) + ":" + prefix + i)
                .collect(Collectors.joining("\n", "", "\n"));
    }

    /** Output lines {@code <partition> <text>} grouped by partition, in printed order. */
    private static Map<Integer, List<String>> byPartition(List<String> lines) {
        Map<Integer, List<String>> partitions = new TreeMap<>();
        for (String line : lines) {
            int space = line.indexOf(' ');
            partitions.computeIfAbsent(Integer.parseInt(line.substring(0, space)), p -> new ArrayList<>())
                    .add(line.substring(space + 1));
        }
        return partitions;
    }

    @Test
    void shouldConsumeInAGroupEveryLineProducedInOrderPerPartitionAndNothingTheSecondTime() throws Exception {
        tester.createTopic("lines", 3);
        assertSucceededQuietly(produce(keyedLines(1000, 37, "line-"), "--topic", "lines", "--key-separator", ":"));

        CommandRun first = consume("--topic", "lines", "--group", "readers", "--from-beginning",
                "--max-messages", "1000", "--format", "%p %k %v");

        assertSucceededQuietly(first);
        assertEquals(1000, first.outLines().size());
        Set<Integer> seen = new HashSet<>();
        for (Map.Entry<Integer, List<String>> partition : byPartition(first.outLines()).entrySet()) {
            int previous = -1;
            for (String keyAndValue : partition.getValue()) {
                String key = keyAndValue.substring(0, keyAndValue.indexOf(' '));
                int index = Integer.parseInt(keyAndValue.substring(keyAndValue.indexOf("line-") + 5));
                assertTrue(index > previous, "partition " + partition.getKey() + " printed line " + index
                        + " after line " + previous);
                assertEquals(BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), 3),
                        partition.getKey(), "keyed lines go where Kafka's producer would put them");
                previous = index;
                seen.add(index);
            }
        }
        assertEquals(IntStream.range(0, 1000).boxed().collect(Collectors.toSet()), seen);
        Map<TopicPartition, OffsetAndMetadata> committed = tester.admin().listConsumerGroupOffsets("readers")
                .partitionsToOffsetAndMetadata().get();
        assertEquals(1000, committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum(),
                "the group committed everything it printed: " + committed);

        CommandRun second = consume("--topic", "lines", "--group", "readers", "--from-beginning", "--timeout", "1s");

        assertSucceededQuietly(second);
        assertEquals("", second.out(), "the group had read everything already");
    }

    @Test
    void shouldSplitThePartitionsBetweenTwoConsumersOfOneGroup() throws Exception {
        tester.createTopic("split", 4);
        Admin admin = tester.admin();
        ExecutorService consumers = Executors.newFixedThreadPool(2);
        try {
            List<Future<CommandRun>> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                runs.add(consumers.submit(() -> consume("--topic", "split", "--group", "pair", "--from-beginning",
                        "--timeout", "4s", "--format", "%p %v")));
            }
            Await.until(Duration.ofSeconds(30), "both consumers own two partitions of 'split'",
                    () -> ownsTwoPartitionsEach(admin, "pair"));

            assertSucceededQuietly(produce(keyedLines(400, 50, "v"), "--topic", "split", "--key-separator", ":"));

            Set<Integer> partitionsA = new TreeSet<>();
            Set<Integer> partitionsB = new TreeSet<>();
            List<String> values = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                CommandRun run = runs.get(i).get(60, TimeUnit.SECONDS);
                assertSucceededQuietly(run);
                Map<Integer, List<String>> printed = byPartition(run.outLines());
                (i == 0 ? partitionsA : partitionsB).addAll(printed.keySet());
                printed.values().forEach(values::addAll);
            }
            assertFalse(partitionsA.isEmpty(), "the first consumer printed nothing");
            assertFalse(partitionsB.isEmpty(), "the second consumer printed nothing");
            assertTrue(partitionsA.stream().noneMatch(partitionsB::contains),
                    "both consumers printed partition(s) " + partitionsA + " / " + partitionsB);
            assertEquals(400, values.size(), "every line printed once");
            assertEquals(IntStream.range(0, 400).mapToObj(i -> "v" + i).collect(Collectors.toSet()),
                    new HashSet<>(values));
        } finally {
            consumers.shutdownNow();
        }
    }

    @Test
    void shouldSendTheKeyAsClientIdAndLeaveTheGroupAtOnceWhenStoppedAsByCtrlC() throws Exception {
        tester.createTopic("stoppable", 1);
        Admin admin = tester.admin();
        ConsumeCommand command = new ConsumeCommand();
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            Future<CommandRun> run = runner.submit(() -> CommandRun.of(command,
                    withBroker("--topic", "stoppable", "--group", "stopper", "--key", "app-7")));
            Await.until(Duration.ofSeconds(30), "the consumer keyed app-7 is in the group",
                    () -> List.of("app-7").equals(clientIds(admin, "stopper")));

            command.stop();

            assertSucceededQuietly(run.get(30, TimeUnit.SECONDS));
            // the session timeout is 45 s: an empty group well before then means the consumer left
            Await.until(Duration.ofSeconds(10), "the group is empty",
                    () -> List.of().equals(clientIds(admin, "stopper")));
        } finally {
            runner.shutdownNow();
        }
    }

    /** The client ids of the group's members; null while the group cannot be described. */
    private static List<String> clientIds(Admin admin, String group) {
        try {
            return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().stream()
                    .map(MemberDescription::clientId).toList();
        } catch (ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static boolean ownsTwoPartitionsEach(Admin admin, String group) {
        try {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all().get()
                    .get(group);
            return description.groupState() == GroupState.STABLE && description.members().size() == 2
                    && description.members().stream().map(MemberDescription::assignment)
                    .allMatch(assignment -> assignment.topicPartitions().size() == 2);
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void shouldShowTheLagOfEachPartitionAfterAPartialConsume() throws Exception {
        tester.createTopic("lag", 3);
        assertSucceededQuietly(produce(keyedLines(300, 29, "m"), "--topic", "lag", "--key-separator", ":"));
        CommandRun partial = consume("--topic", "lag", "--group", "lagging", "--from-beginning", "--max-messages",
                "120", "--format", "%p %o");
        assertSucceededQuietly(partial);
        assertEquals(120, partial.outLines().size());

        CommandRun described = CommandRun.of(new GroupsCommand(), withBroker("describe", "lagging"));

        assertSucceededQuietly(described);
        List<String> lines = described.outLines();
        assertEquals("Group: lagging  Type: classic  State: Empty  Protocol: consumer  Members: 0", lines.get(0),
                described.toString());
        Map<TopicPartition, OffsetAndMetadata> committed = tester.admin().listConsumerGroupOffsets("lagging")
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, Long> ends = tester.consumer().endOffsets(IntStream.range(0, 3)
                .mapToObj(p -> new TopicPartition("lag", p)).toList());
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("TOPIC")).findFirst().orElseThrow());
        assertEquals(List.of("TOPIC", "PARTITION", "COMMITTED-OFFSET", "LOG-END-OFFSET", "LAG", "MEMBER-ID"),
                List.of(lines.get(header).split("\\s+")));
        Map<TopicPartition, Long> lagShown = new HashMap<>();
        long committedTotal = 0;
        for (String row : lines.subList(header + 1, lines.size())) {
            String[] cells = row.split("\\s+");
            TopicPartition partition = new TopicPartition(cells[0], Integer.parseInt(cells[1]));
            long offset = committed.get(partition).offset();
            assertEquals(String.valueOf(offset), cells[2], row);
            assertEquals(String.valueOf(ends.get(partition)), cells[3], row);
            lagShown.put(partition, Long.parseLong(cells[4]));
            assertEquals(ends.get(partition) - offset, Long.parseLong(cells[4]), row);
            assertEquals("-", cells[5], "an empty group has no owners");
            committedTotal += offset;
        }
        assertEquals(committed.keySet(), lagShown.keySet(), "one row per partition with a committed offset");
        assertEquals(120, committedTotal, "the group committed exactly the 120 printed messages");
        assertTrue(lagShown.values().stream().mapToLong(Long::longValue).sum() > 0, "a partial read leaves lag");

        CommandRun listed = CommandRun.of(new GroupsCommand(), withBroker("list"));
        assertSucceededQuietly(listed);
        assertTrue(listed.outLines().contains("lagging"), listed.toString());
    }

    @Test
    void shouldAdministerTopicsAndCarryKeysHeadersAndPartitionsThroughToJson() throws Exception {
        CommandRun created = CommandRun.of(new TopicsCommand(), withBroker("create", "admin-demo", "--partitions",
                "2", "--config", "retention.ms=3600000"));
        assertSucceededQuietly(created);
        assertEquals("Created topic admin-demo.\n", created.out());
        Admin admin = tester.admin();
        assertEquals(2, admin.describeTopics(List.of("admin-demo")).allTopicNames().get().get("admin-demo")
                .partitions().size());
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "admin-demo");
        Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        assertEquals("3600000", config.get("retention.ms").value());

        CommandRun listed = CommandRun.of(new TopicsCommand(), withBroker("list"));
        assertSucceededQuietly(listed);
        assertTrue(listed.outLines().contains("admin-demo"), listed.toString());
        CommandRun described = CommandRun.of(new TopicsCommand(), withBroker("describe", "admin-demo"));
        assertSucceededQuietly(described);
        assertEquals(3, described.outLines().size(), described.toString());
        assertTrue(described.outLines().get(0).matches("Topic: admin-demo\tTopicId: [A-Za-z0-9_-]{22}\t"
                + "PartitionCount: 2\tReplicationFactor: 1"), described.toString());
        assertTrue(described.outLines().get(2).matches("\tTopic: admin-demo\tPartition: 1\tLeader: \\d+\t"
                + "Replicas: \\d+\tIsr: \\d+"), described.toString());

        assertSucceededQuietly(produce("order-1=shipped\norder-2=paid=in full\n", "--topic", "admin-demo",
                "--partition", "1", "--key-separator", "=", "--header", "source=cli", "--header", "trace=t-1"));
        CommandRun json = consume("--topic", "admin-demo", "--from-beginning", "--timeout", "1s", "--format", "json");

        assertSucceededQuietly(json);
        List<String> records = json.outLines();
        assertEquals(2, records.size(), json.toString());
        Pattern line = Pattern.compile("\\{\"topic\":\"admin-demo\",\"partition\":1,\"offset\":(\\d+),"
                + "\"timestamp\":(\\d+),\"key\":\"(.*)\",\"value\":\"(.*)\",\"headers\":\\[\\{\"key\":\"source\","
                + "\"value\":\"cli\"},\\{\"key\":\"trace\",\"value\":\"t-1\"}]}");
        Matcher first = line.matcher(records.get(0));
        Matcher second = line.matcher(records.get(1));
        assertTrue(first.matches(), records.get(0));
        assertTrue(second.matches(), records.get(1));
        assertEquals(List.of("0", "order-1", "shipped"), List.of(first.group(1), first.group(3), first.group(4)));
        assertEquals(List.of("1", "order-2", "paid=in full"),
                List.of(second.group(1), second.group(3), second.group(4)));

        CommandRun deleted = CommandRun.of(new TopicsCommand(), withBroker("delete", "admin-demo"));
        assertSucceededQuietly(deleted);
        assertEquals("Deleted topic admin-demo.\n", deleted.out());
        Await.until(Duration.ofSeconds(10), "admin-demo is gone", () -> {
            try {
                return !admin.listTopics().names().get().contains("admin-demo");
            } catch (ExecutionException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        });
    }
}
