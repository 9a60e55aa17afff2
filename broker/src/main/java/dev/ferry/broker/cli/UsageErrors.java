package dev.ferry.broker.cli;

import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/**
 * Reports a command-line mistake as one line on standard error, e.g.
 * {@code ferry produce: Missing required option: '--topic=TOPIC' (see 'ferry produce --help')}, instead of the
 * message followed by the whole usage text, and exits with status 2. Install with
 * {@link CommandLine#setParameterExceptionHandler}.
 */
public final class UsageErrors implements IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine commandLine = ex.getCommandLine();
        String name = commandLine.getCommandSpec().qualifiedName(" ");
        if (!name.startsWith("ferry")) {
            name = "ferry " + name;
        }
        commandLine.getErr().println(name + ": " + ex.getMessage() + " (see '" + name + " --help')");
        commandLine.getErr().flush();
        return commandLine.getCommandSpec().exitCodeOnInvalidInput();
    }
}
