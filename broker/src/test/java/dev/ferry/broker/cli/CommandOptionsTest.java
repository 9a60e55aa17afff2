package dev.ferry.broker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.client.Acks;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

/** Option parsing and the one-line errors of the client subcommands, none of which needs a broker. */
class CommandOptionsTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Object command, String... args) {
        CommandLine commandLine = new CommandLine(command).setParameterExceptionHandler(new UsageErrors());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private String oneErrorLine() {
        String text = err.toString();
        assertEquals(1, text.lines().count(), text);
        return text.strip();
    }

    @Test
    void shouldReadDurationsWithTheirUnits() {
        DurationConverter converter = new DurationConverter();

        assertEquals(Duration.ofMillis(500), converter.convert("500ms"));
        assertEquals(Duration.ofSeconds(5), converter.convert("5s"));
        assertEquals(Duration.ofMinutes(1), converter.convert("1m"));
        assertEquals(Duration.ofHours(2), converter.convert("2H"));
        assertEquals("'5' is not a duration such as 500ms, 5s, 1m or 2h",
                assertThrows(TypeConversionException.class, () -> converter.convert("5")).getMessage());
    }

    @Test
    void shouldReadAcksAsKafkaDoes() {
        AcksConverter converter = new AcksConverter();

        assertEquals(Acks.NONE, converter.convert("0"));
        assertEquals(Acks.LEADER, converter.convert("1"));
        assertEquals(Acks.ALL, converter.convert("all"));
        assertEquals(Acks.ALL, converter.convert("-1"));
        assertThrows(TypeConversionException.class, () -> converter.convert("2"));
    }

    @Test
    void shouldReportAMissingTopicAsOneLineAndStatusTwo() {
        assertEquals(2, run(new ProduceCommand(new ByteArrayInputStream(new byte[0]))));

        assertEquals("ferry produce: Missing required option: '--topic=TOPIC' (see 'ferry produce --help')",
                oneErrorLine());
    }

    @Test
    void shouldTakeOptionsFromAnArgumentFileSoSecretsStayOutOfTheProcessList(@TempDir Path dir) throws IOException {
        Path secrets = Files.writeString(dir.resolve("acme.args"), "--sasl-user acme\n--sasl-password \"a key\"\n");

        assertEquals(2, run(new ProduceCommand(new ByteArrayInputStream(new byte[0])), "--topic", "t",
                "@" + secrets));

        assertEquals("ferry produce: --sasl-user and --sasl-password need --sasl (see 'ferry produce --help')",
                oneErrorLine());
    }

    @Test
    void shouldReportABadTimeoutAsOneLine() {
        assertEquals(2, run(new ConsumeCommand(), "--topic", "t", "--timeout", "soon"));

        assertEquals("ferry consume: Invalid value for option '--timeout': 'soon' is not a duration such as 500ms, "
                + "5s, 1m or 2h (see 'ferry consume --help')", oneErrorLine());
    }

    @Test
    void shouldReportABadFormatBeforeConnecting() {
        assertEquals(2, run(new ConsumeCommand(), "--topic", "t", "--format", "%q", "--kafka", "127.0.0.1:1"));

        assertTrue(oneErrorLine().startsWith("ferry consume: Invalid value for option '--format': unknown "
                + "placeholder '%q'"), err.toString());
    }

    @Test
    void shouldRequireTheSaslCredentials() {
        assertEquals(2, run(new ProduceCommand(new ByteArrayInputStream(new byte[0])), "--topic", "t", "--sasl",
                "scram-sha-256", "--sasl-user", "alice"));

        assertEquals("ferry produce: --sasl needs --sasl-user and --sasl-password (see 'ferry produce --help')",
                oneErrorLine());
    }

    @Test
    void shouldRefuseAnUnknownSaslMechanism() {
        assertEquals(2, run(new TopicsCommand(), "list", "--sasl", "gssapi", "--sasl-user", "u", "--sasl-password",
                "p"));

        assertEquals("ferry topics list: Invalid value for option '--sasl': unknown SASL mechanism 'gssapi' "
                + "(expected plain, scram-sha-256 or scram-sha-512) (see 'ferry topics list --help')", oneErrorLine());
    }

    @Test
    void shouldRefuseAMalformedBrokerAddress() {
        assertEquals(2, run(new GroupsCommand(), "list", "--kafka", "localhost"));

        assertEquals("ferry groups list: Invalid value for option '--kafka': 'localhost' is not of the form "
                + "HOST:PORT (see 'ferry groups list --help')", oneErrorLine());
    }

    @Test
    void shouldReportAnUnreachableBrokerAsOneLineAndStatusOne() throws IOException {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }

        assertEquals(1, run(new TopicsCommand(), "list", "--kafka", "127.0.0.1:" + port));

        assertTrue(oneErrorLine().startsWith("ferry topics list: cannot connect to 127.0.0.1:" + port
                + ": Connection refused"), err.toString());
    }

    @Test
    void shouldPrintTheStackTraceOnlyWhenVerbose() throws IOException {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }

        assertEquals(1, run(new TopicsCommand(), "list", "--kafka", "127.0.0.1:" + port, "--verbose"));

        assertTrue(err.toString().lines().count() > 1, err.toString());
        assertTrue(err.toString().contains("at dev.ferry.client.KafkaConnection"), err.toString());
    }

    @Test
    void shouldShowHelpForEverySubcommand() {
        for (String[] args : new String[][] {{"list", "--help"}, {"create", "--help"}, {"describe", "--help"},
            {"delete", "--help"}}) {
            out.getBuffer().setLength(0);
            assertEquals(0, run(new TopicsCommand(), args));
            assertTrue(out.toString().startsWith("Usage: topics " + args[0]), out.toString());
        }
        assertEquals(0, run(new GroupsCommand(), "describe", "--help"));
        assertTrue(out.toString().contains("--kafka=HOST:PORT"), out.toString());
        assertEquals(0, run(new ConsumeCommand(), "--help"));
        assertTrue(out.toString().contains("--from-beginning"), out.toString());
        assertEquals(0, run(new ProduceCommand(), "--help"));
        assertTrue(out.toString().contains("--key-separator=SEP"), out.toString());
    }
}
