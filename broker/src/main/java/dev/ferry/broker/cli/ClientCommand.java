package dev.ferry.broker.cli;

import dev.ferry.client.ClientSettings;
import dev.ferry.client.KafkaClientException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What every subcommand that talks to a cluster shares: the connection options, and the rule that a failure is one
 * line on standard error, {@code ferry <command>: <what went wrong>}, with exit status {@value #FAILED}; the stack
 * trace follows only with {@code --verbose}. Usage errors (exit status 2) are picocli's.
 */
abstract class ClientCommand implements Callable<Integer> {

    /** Exit status of a command that could not do its work: broker unreachable, refused, timed out. */
    static final int FAILED = 1;

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    /**
     * Does the command's work.
     *
     * @param settings how to reach the cluster
     * @return the exit status
     * @throws KafkaClientException when the cluster cannot be reached or refuses
     */
    abstract int run(ClientSettings settings) throws Exception;

    @Override
    public final Integer call() {
        ClientSettings settings = connection.settings();
        try {
            return run(settings);
        } catch (ParameterException e) {
            throw e;
        } catch (KafkaClientException e) {
            return fail(e.getMessage(), e);
        } catch (RuntimeException e) {
            return fail("unexpected failure: " + e, e);
        } catch (Exception e) {
            return fail(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        } finally {
            out().flush();
            err().flush();
        }
    }

    /** Prints {@code message} as this command's one-line failure and returns {@link #FAILED}. */
    int fail(String message, Throwable cause) {
        PrintWriter err = err();
        out().flush();
        err.println(commandName() + ": " + message);
        if (connection.verbose() && cause != null) {
            cause.printStackTrace(err);
        }
        err.flush();
        return FAILED;
    }

    /** The command as the user typed it, e.g. {@code ferry topics create}. */
    String commandName() {
        String name = spec.qualifiedName(" ");
        return name.startsWith("ferry") ? name : "ferry " + name;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
