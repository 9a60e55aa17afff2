package dev.ferry.broker.cli;

import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code ferry} command: dispatches to its subcommands. Main class of the runnable jar. */
@Command(name = "ferry", mixinStandardHelpOptions = true, versionProvider = FerryVersion.class,
        description = "A Kafka-protocol-compatible message broker.",
        subcommands = {ServeCommand.class, ProduceCommand.class, ConsumeCommand.class, TopicsCommand.class,
            GroupsCommand.class, AppCommand.class, KeyCommand.class, CommandLine.HelpCommand.class})
public final class FerryMain implements Callable<Integer> {

    private static final String SERVE = "serve";

    /** Exit status for a command line or configuration the user must fix. */
    static final int USAGE_ERROR = 2;

    @Spec
    private CommandSpec spec;

    /** Chronicle Queue reports usage to its vendor unless told not to; Ferry never phones home. */
    static final String CHRONICLE_ANALYTICS_PROPERTY = "chronicle.analytics.disable";

    public static void main(String[] args) {
        if (System.getProperty(CHRONICLE_ANALYTICS_PROPERTY) == null) {
            System.setProperty(CHRONICLE_ANALYTICS_PROPERTY, "true");
        }
        if (args.length > 0 && args[0].equals(SERVE)) {
            System.exit(serveCommandLine().execute(Arrays.copyOfRange(args, 1, args.length)));
        }
        System.exit(commandLine().execute(args));
    }

    /** The command line with every subcommand, for {@link #main} and tests. */
    static CommandLine commandLine() {
        return new CommandLine(new FerryMain()).setParameterExceptionHandler(new UsageErrors());
    }

    /**
     * {@code ferry serve} alone, named and answering as it does within {@link #commandLine()}: a broker restarted
     * after a crash serves sooner without picocli reflecting over every client and admin subcommand first.
     */
    static CommandLine serveCommandLine() {
        return new CommandLine(new ServeCommand()).setCommandName("ferry " + SERVE)
                .setParameterExceptionHandler(new UsageErrors());
    }

    /** Without a subcommand there is nothing to do: show what there is. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE_ERROR;
    }
}
