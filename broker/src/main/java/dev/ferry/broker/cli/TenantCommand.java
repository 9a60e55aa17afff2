package dev.ferry.broker.cli;

import dev.ferry.broker.FerryBroker;
import dev.ferry.broker.tenant.TenantException;
import dev.ferry.broker.tenant.TenantStore;
import dev.ferry.config.ConfigException;
import dev.ferry.config.FerryConfig;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every {@code ferry app} and {@code ferry key} subcommand shares: it finds the tenant registry in the data
 * directory the configuration names (the first of {@code log.dirs}), runs, and turns a failure into one line on
 * standard error and a non-zero exit status: 2 for a configuration to fix, 1 for a request that cannot be carried out.
 */
abstract class TenantCommand implements Callable<Integer> {

    /** Exit status for a request that cannot be carried out: an unknown application, a taken name, an I/O error. */
    static final int FAILED = 1;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions configOptions;

    /**
     * Carries the command out.
     *
     * @param out standard output: only what scripts may capture
     * @param err standard error: messages for the person at the terminal
     * @return the exit status
     */
    abstract int run(TenantStore store, PrintWriter out, PrintWriter err);

    @Override
    public final Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            FerryConfig config;
            try {
                config = configOptions.load();
            } catch (ConfigException e) {
                return fail(err, e.getMessage(), FerryMain.USAGE_ERROR);
            }
            return run(TenantStore.open(config.logDirs().get(0).resolve(FerryBroker.METADATA_DIR_NAME)), out, err);
        } catch (TenantException | UncheckedIOException | IllegalStateException e) {
            return fail(err, e.getMessage(), FAILED);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** An instant as listings show it: ISO-8601 in UTC, to the second. */
    static String timestamp(long epochMs) {
        return Instant.ofEpochMilli(epochMs).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private int fail(PrintWriter err, String message, int status) {
        err.println(spec.qualifiedName() + ": " + message);
        return status;
    }
}
