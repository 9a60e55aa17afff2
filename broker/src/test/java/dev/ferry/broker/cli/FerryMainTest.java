package dev.ferry.broker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FerryMainTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void shouldPrintOneLineAndExitWithTwoOnABadSetting() {
        int status = run("serve", "--override", "num.partitions=many", "--override", "log.dirs=" + dir);

        assertEquals(2, status);
        String message = err.toString().trim();
        assertTrue(message.startsWith("ferry serve: "), message);
        assertTrue(message.contains("num.partitions"), message);
        assertEquals(1, message.lines().count(), message);
    }

    @Test
    void shouldExitWithTwoOnAMissingConfigFile() {
        int status = run("serve", "--config", dir.resolve("absent.properties").toString());

        assertEquals(2, status);
        assertTrue(err.toString().contains("absent.properties"), err.toString());
    }

    @Test
    void shouldPrintItsVersion() {
        assertEquals(0, run("--version"));
        assertTrue(out.toString().startsWith("ferry "), out.toString());
    }

    @Test
    void shouldListServeInItsHelp() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("serve"), out.toString());
    }

    @Test
    void shouldShowUsageWithoutASubcommand() {
        assertEquals(2, run());
        assertTrue(err.toString().contains("serve"), err.toString());
    }

    @Test
    void shouldServeAloneExactlyAsWithinTheWholeCommandLine() {
        assertEquals(0, run("serve", "--help"));
        String withinTree = out.toString();
        out.getBuffer().setLength(0);

        assertEquals(0, run(FerryMain.serveCommandLine(), "--help"));

        assertEquals(withinTree, out.toString());
        assertTrue(withinTree.startsWith("Usage: ferry serve"), withinTree);
        assertEquals(2, run(FerryMain.serveCommandLine(), "--override", "num.partitions=many"));
        assertTrue(err.toString().startsWith("ferry serve: "), err.toString());
    }

    private int run(String... args) {
        return run(FerryMain.commandLine(), args);
    }

    private int run(CommandLine commandLine, String... args) {
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
