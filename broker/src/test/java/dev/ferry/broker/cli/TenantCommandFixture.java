package dev.ferry.broker.cli;

import dev.ferry.broker.FerryBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs {@code ferry app} and {@code ferry key} in-process against a data directory, capturing both outputs. */
final class TenantCommandFixture {

    private final Path logDir;
    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    TenantCommandFixture(Path logDir) {
        this.logDir = logDir;
    }

    /** Runs {@code ferry ARGS --override log.dirs=<the data directory>}; the outputs are those of this run. */
    int run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--override");
        all.add("log.dirs=" + logDir);
        return runExactly(all.toArray(String[]::new));
    }

    /** Runs {@code ferry ARGS} as given. */
    int runExactly(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine commandLine = FerryMain.commandLine();
        // the launcher may register these already; the tests do not depend on it
        if (!commandLine.getSubcommands().containsKey("app")) {
            commandLine.addSubcommand(new AppCommand());
        }
        if (!commandLine.getSubcommands().containsKey("key")) {
            commandLine.addSubcommand(new KeyCommand());
        }
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }

    /** The broker's metadata directory in the data directory, where the registry lives. */
    Path metadataDir() {
        return logDir.resolve(FerryBroker.METADATA_DIR_NAME);
    }
}
