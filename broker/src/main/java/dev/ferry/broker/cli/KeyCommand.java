package dev.ferry.broker.cli;

import dev.ferry.broker.tenant.ApiKey;
import dev.ferry.broker.tenant.Application;
import dev.ferry.broker.tenant.IssuedKey;
import dev.ferry.broker.tenant.Role;
import dev.ferry.broker.tenant.TenantException;
import dev.ferry.broker.tenant.TenantStore;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ferry key create|list|revoke|regenerate}: manages the API keys of an application. A new key is printed once,
 * alone on standard output, so that a script can capture it; the registry keeps only hashes of it. Changes apply to
 * a broker running on the same data directory within a second: a revoked or regenerated key stops working and its
 * connections are closed.
 */
@Command(name = "key", mixinStandardHelpOptions = true, versionProvider = FerryVersion.class,
        description = "Manage the API keys of an application.",
        subcommands = {KeyCommand.Create.class, KeyCommand.ListKeys.class, KeyCommand.Revoke.class,
            KeyCommand.Regenerate.class})
public final class KeyCommand extends CommandGroup {

    /** {@code ferry key create APP --name NAME [--role produce|consume|all]}. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a key and print it, alone, on standard output. It cannot be shown again.")
    static final class Create extends TenantCommand {

        @Parameters(paramLabel = "APP", description = "The application the key is for.")
        private String applicationId;

        @Option(names = "--name", required = true, paramLabel = "NAME",
                description = "The key's name within the application: letters, digits, '-' and '_'.")
        private String name;

        @Option(names = "--role", paramLabel = "ROLE", defaultValue = "all", converter = RoleConverter.class,
                description = "produce, consume or all (default: ${DEFAULT-VALUE}).")
        private Role role;

        @Override
        int run(TenantStore store, PrintWriter out, PrintWriter err) {
            printIssued(store.createKey(applicationId, name, role), "Created", out, err);
            return 0;
        }
    }

    /** {@code ferry key list APP}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List an application's keys: names, roles, when created and last used; never the keys.")
    static final class ListKeys extends TenantCommand {

        @Parameters(paramLabel = "APP", description = "The application whose keys to list.")
        private String applicationId;

        @Override
        int run(TenantStore store, PrintWriter out, PrintWriter err) {
            Application application = store.application(applicationId)
                    .orElseThrow(() -> new TenantException("no application " + applicationId));
            Map<String, Long> lastUsed = store.lastUsed();
            Table table = new Table("NAME", "ROLE", "KEY ID", "CREATED", "LAST USED");
            for (ApiKey key : application.keys()) {
                Long used = lastUsed.get(key.keyId());
                table.row(key.name(), key.role().label(), key.keyId(), timestamp(key.createdMs()),
                        used == null ? "never" : timestamp(used));
            }
            table.print(out);
            return 0;
        }
    }

    /** {@code ferry key revoke APP NAME}. */
    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a key: it stops working and its open connections are closed.")
    static final class Revoke extends TenantCommand {

        @Parameters(index = "0", paramLabel = "APP", description = "The application the key belongs to.")
        private String applicationId;

        @Parameters(index = "1", paramLabel = "NAME", description = "The key's name.")
        private String name;

        @Override
        int run(TenantStore store, PrintWriter out, PrintWriter err) {
            ApiKey revoked = store.revokeKey(applicationId, name);
            out.println("Revoked key " + revoked.name() + " (id " + revoked.keyId() + ") of application "
                    + applicationId + ".");
            return 0;
        }
    }

    /** {@code ferry key regenerate APP NAME}. */
    @Command(name = "regenerate", mixinStandardHelpOptions = true,
            description = "Replace a key by a new one of the same name and role, printed alone on standard output;"
                    + " the old key stops working.")
    static final class Regenerate extends TenantCommand {

        @Parameters(index = "0", paramLabel = "APP", description = "The application the key belongs to.")
        private String applicationId;

        @Parameters(index = "1", paramLabel = "NAME", description = "The key's name.")
        private String name;

        @Override
        int run(TenantStore store, PrintWriter out, PrintWriter err) {
            printIssued(store.regenerateKey(applicationId, name), "Regenerated", out, err);
            return 0;
        }
    }

    /** The key alone on standard output; what it is, for the person, on standard error. */
    private static void printIssued(IssuedKey issued, String verb, PrintWriter out, PrintWriter err) {
        out.println(issued.key());
        err.println(verb + " key " + issued.apiKey().name() + " (" + issued.apiKey().role().label() + ") of"
                + " application " + issued.applicationId() + ". Store it now: it cannot be shown again.");
    }

    /** Reads {@code --role} in any case. */
    static final class RoleConverter implements ITypeConverter<Role> {

        @Override
        public Role convert(String value) {
            return Role.parse(value);
        }
    }
}
