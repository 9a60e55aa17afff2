package dev.ferry.broker.cli;

import dev.ferry.broker.tenant.Application;
import dev.ferry.broker.tenant.TenantStore;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ferry app create|list|delete}: manages the applications (tenants) of a broker's data directory. Changes
 * apply to a broker running on it within a second, without a restart.
 */
@Command(name = "app", mixinStandardHelpOptions = true, versionProvider = FerryVersion.class,
        description = "Manage applications (tenants) in the broker's data directory.",
        subcommands = {AppCommand.Create.class, AppCommand.ListApps.class, AppCommand.Delete.class})
public final class AppCommand extends CommandGroup {

    /** {@code ferry app create ID}. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an application; its topics and groups must be named ID.<name>.")
    static final class Create extends TenantCommand {

        @Parameters(paramLabel = "ID", description = "Letters, digits, '-' and '_', at most 64 characters.")
        private String id;

        @Override
        int run(TenantStore store, PrintWriter out, PrintWriter err) {
            Application application = store.createApplication(id);
            out.println("Created application " + application.id() + ".");
            return 0;
        }
    }

    /** {@code ferry app list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the applications.")
    static final class ListApps extends TenantCommand {

        @Override
        int run(TenantStore store, PrintWriter out, PrintWriter err) {
            Table table = new Table("ID", "KEYS", "CREATED");
            for (Application application : store.applications()) {
                table.row(application.id(), Integer.toString(application.keys().size()),
                        timestamp(application.createdMs()));
            }
            table.print(out);
            return 0;
        }
    }

    /** {@code ferry app delete ID}. */
    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete an application and revoke all its keys. Its topics and groups are kept.")
    static final class Delete extends TenantCommand {

        @Parameters(paramLabel = "ID", description = "The application to delete.")
        private String id;

        @Override
        int run(TenantStore store, PrintWriter out, PrintWriter err) {
            Application deleted = store.deleteApplication(id);
            out.println("Deleted application " + deleted.id() + " and revoked its " + deleted.keys().size()
                    + " key(s).");
            return 0;
        }
    }
}
