package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.broker.cli.ConsumeCommand;
import dev.ferry.broker.cli.GroupsCommand;
import dev.ferry.broker.cli.ProduceCommand;
import dev.ferry.broker.cli.TopicsCommand;
import dev.ferry.it.fixture.BrokerTester;
import dev.ferry.it.fixture.CommandRun;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every failure of a {@code ferry} client command is one clear line on standard error, nothing on standard output,
 * and a non-zero exit status: 1 when the cluster cannot do what was asked, 2 for a command line to fix. The broker
 * here does not create topics automatically.
 */
@Timeout(120)
class CliErrorsIT {

    @TempDir
    static Path dataDir;

    private static BrokerTester tester;
    private static String kafka;

    @BeforeAll
    static void startBroker() {
        tester = BrokerTester.start(dataDir, Map.of("auto.create.topics.enable", "false"));
        kafka = tester.bootstrapServers();
        tester.createTopic("exists", 1);
    }

    @AfterAll
    static void stopBroker() {
        tester.close();
    }

    private static ProduceCommand producing(String input) {
        return new ProduceCommand(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
    }

    /** Runs the command and checks that it failed with {@code status} and exactly {@code expected} on stderr. */
    private static void assertFailsWith(int status, String expected, Object command, String... args) {
        CommandRun run = CommandRun.of(command, args);
        assertEquals(status, run.status(), run.toString());
        assertEquals("", run.out(), run.toString());
        assertEquals(expected + "\n", run.err(), run.toString());
    }

    /** As {@link #assertFailsWith}, for messages whose end comes from the JDK and may vary. */
    private static void assertFailsStartingWith(String expectedStart, Object command, String... args) {
        CommandRun run = CommandRun.of(command, args);
        assertEquals(1, run.status(), run.toString());
        assertEquals("", run.out(), run.toString());
        assertEquals(1, run.err().lines().count(), run.toString());
        assertTrue(run.err().startsWith(expectedStart), run.toString());
        assertFalse(run.err().contains("Exception"), run.toString());
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void shouldReportAnUnreachableBroker() throws IOException {
        String address = "127.0.0.1:" + closedPort();
        String refused = "cannot connect to " + address + ": Connection refused";

        assertFailsWith(1, "ferry produce: " + refused, producing("hello\n"), "--topic", "t", "--kafka", address);
        assertFailsWith(1, "ferry consume: " + refused, new ConsumeCommand(), "--topic", "t", "--kafka", address);
        assertFailsWith(1, "ferry topics list: " + refused, new TopicsCommand(), "list", "--kafka", address);
        assertFailsWith(1, "ferry groups describe: " + refused, new GroupsCommand(), "describe", "g",
                "--kafka", address);
    }

    @Test
    void shouldReportAnUnknownTopicWhenTheBrokerDoesNotCreateTopics() {
        String missing = "topic 'missing' does not exist (and the broker does not create topics automatically)";

        assertFailsWith(1, "ferry produce: " + missing, producing("hello\n"), "--topic", "missing", "--kafka", kafka);
        assertFailsWith(1, "ferry consume: " + missing, new ConsumeCommand(), "--topic", "missing", "--group", "g",
                "--kafka", kafka);
    }

    @Test
    void shouldReportFailedAuthentication() {
        assertFailsWith(1, "ferry consume: authentication failed: the broker at " + kafka
                + " does not offer SASL authentication on this listener", new ConsumeCommand(), "--topic", "exists",
                "--kafka", kafka, "--sasl", "scram-sha-512", "--sasl-user", "alice", "--sasl-password", "secret");
        assertFailsStartingWith("ferry topics list: TLS handshake with " + kafka + " failed: ", new TopicsCommand(),
                "list", "--kafka", kafka, "--tls");
    }

    @Test
    void shouldReportWhatTheBrokerRefused() {
        assertFailsWith(1, "ferry topics create: topic 'exists' already exists", new TopicsCommand(), "create",
                "exists", "--kafka", kafka);
        assertFailsWith(1, "ferry topics delete: topic 'ghost' does not exist", new TopicsCommand(), "delete",
                "ghost", "--kafka", kafka);
        assertFailsWith(1, "ferry topics describe: topic 'ghost' does not exist", new TopicsCommand(), "describe",
                "ghost", "--kafka", kafka);
        assertFailsWith(1, "ferry groups describe: group 'ghost' does not exist", new GroupsCommand(), "describe",
                "ghost", "--kafka", kafka);
        assertFailsWith(1, "ferry produce: partition 9 of topic 'exists' does not exist (it has 1 partition)",
                producing("hello\n"), "--topic", "exists", "--partition", "9", "--kafka", kafka);
        assertFailsWith(1, "ferry produce: line 2 has no key separator ':'", producing("k:v\nno separator\n"),
                "--topic", "exists", "--key-separator", ":", "--kafka", kafka);
    }

    @Test
    void shouldSucceedWhenAskedToToleratePresenceOrAbsence() {
        CommandRun created = CommandRun.of(new TopicsCommand(), "create", "exists", "--if-not-exists", "--kafka",
                kafka);
        assertEquals(0, created.status(), created.toString());
        CommandRun deleted = CommandRun.of(new TopicsCommand(), "delete", "ghost", "--if-exists", "--kafka", kafka);
        assertEquals(0, deleted.status(), deleted.toString());
        assertEquals("", created.err() + deleted.err());
    }

    @Test
    void shouldReportCommandLineMistakesWithStatusTwo() {
        assertFailsWith(2, "ferry produce: Missing required option: '--topic=TOPIC' (see 'ferry produce --help')",
                producing(""), "--kafka", kafka);
        assertFailsWith(2, "ferry produce: Invalid value for option '--acks': '2' is not 0, 1 or all "
                + "(see 'ferry produce --help')", producing(""), "--topic", "exists", "--acks", "2");
        assertFailsWith(2, "ferry consume: --max-messages must be at least 1 (see 'ferry consume --help')",
                new ConsumeCommand(), "--topic", "exists", "--max-messages", "0", "--kafka", kafka);
    }
}
