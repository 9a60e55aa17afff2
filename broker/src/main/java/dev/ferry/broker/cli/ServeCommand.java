package dev.ferry.broker.cli;

import dev.ferry.broker.FerryBroker;
import dev.ferry.config.ConfigException;
import dev.ferry.config.FerryConfig;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ferry serve}: runs the broker in the foreground until SIGTERM or SIGINT, then stops it cleanly (in-flight
 * requests finish, logs are flushed) and exits with status 0.
 *
 * <p>Settings come from built-in defaults, then {@code --config FILE}, then {@code FERRY_*} environment variables,
 * then {@code --override key=value} flags, each overriding the previous. A configuration error is printed as one
 * line and exits with status 2; a listener that cannot be bound or storage that cannot be opened, with status 1.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = FerryVersion.class,
        description = "Run the broker until stopped (SIGTERM or SIGINT).")
public final class ServeCommand implements Callable<Integer> {

    private static final int START_FAILED = 1;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions configOptions;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        FerryConfig config;
        try {
            config = configOptions.load();
        } catch (ConfigException e) {
            err.println("ferry serve: " + e.getMessage());
            err.flush();
            return FerryMain.USAGE_ERROR;
        }
        FerryBroker broker;
        try {
            broker = FerryBroker.start(config);
        } catch (IllegalStateException | ConfigException | UncheckedIOException e) {
            // a listener that cannot be bound, or a log directory that cannot be opened
            err.println("ferry serve: " + e.getMessage());
            err.flush();
            return START_FAILED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
            // a stop on request is a success; without this the JVM would report death by signal
            Runtime.getRuntime().halt(0);
        }, "ferry-shutdown"));
        stopped.await();
        return 0;
    }
}
