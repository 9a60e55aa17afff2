package dev.ferry.broker.cli;

import dev.ferry.broker.quota.TenantLimits;
import dev.ferry.broker.tenant.Application;
import dev.ferry.broker.tenant.TenantStore;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code ferry app create|list|set|delete}: manages the applications (tenants) of a broker's data directory and their
 * quota settings. Changes apply to a broker running on it within a second, without a restart.
 */
@Command(name = "app", mixinStandardHelpOptions = true, versionProvider = FerryVersion.class,
        description = "Manage applications (tenants) in the broker's data directory.",
        subcommands = {AppCommand.Create.class, AppCommand.ListApps.class, AppCommand.SetSettings.class,
            AppCommand.Delete.class})
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
            Table table = new Table("ID", "KEYS", "CREATED", "SETTINGS");
            for (Application application : store.applications()) {
                table.row(application.id(), Integer.toString(application.keys().size()),
                        timestamp(application.createdMs()), settingsText(application.settings(), "-"));
            }
            table.print(out);
            return 0;
        }
    }

    /** {@code ferry app set APP NAME=VALUE...} and {@code ferry app set APP --unset NAME...}. */
    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Set an application's quotas, overriding the broker's tenant.* defaults, or unset them"
                    + " so that the defaults apply again.",
                "Settings: producer.byte.rate, consumer.byte.rate (bytes per second), request.rate (requests per"
                        + " second), max.partitions, max.stored.bytes, max.connections; each a whole number of at"
                        + " least 1."})
    static final class SetSettings extends TenantCommand {

        @Parameters(index = "0", paramLabel = "APP", description = "The application to change.")
        private String applicationId;

        @Parameters(index = "1..*", paramLabel = "NAME=VALUE", description = "A setting to set, e.g."
                + " producer.byte.rate=1048576.")
        private Map<String, String> assignments = new LinkedHashMap<>();

        @Option(names = "--unset", paramLabel = "NAME",
                description = "A setting to remove, so that the broker default applies; may be repeated.")
        private List<String> unset = new ArrayList<>();

        @Override
        int run(TenantStore store, PrintWriter out, PrintWriter err) {
            validate(store);
            Map<String, String> changes = new LinkedHashMap<>(assignments);
            for (String name : unset) {
                changes.put(name, null);
            }
            Application changed = store.setSettings(applicationId, changes);
            out.println("Application " + applicationId + " now has "
                    + settingsText(changed.settings(), "no settings: the broker defaults apply") + ".");
            return 0;
        }

        /** Checks every setting before any is written, so that a mistake changes nothing. */
        private void validate(TenantStore store) {
            if (assignments.isEmpty() && unset.isEmpty()) {
                throw usageError("Missing NAME=VALUE or --unset NAME");
            }
            for (Map.Entry<String, String> assignment : assignments.entrySet()) {
                try {
                    TenantLimits.validateSetting(assignment.getKey(), assignment.getValue());
                } catch (IllegalArgumentException e) {
                    throw usageError(e.getMessage());
                }
                if (unset.contains(assignment.getKey())) {
                    throw usageError(assignment.getKey() + " is both set and unset");
                }
            }
            Map<String, String> current = store.application(applicationId).map(Application::settings)
                    .orElse(Map.of());
            for (String name : unset) {
                // a setting stored by another version of Ferry may still be removed
                if (!TenantLimits.SETTING_NAMES.contains(name) && !current.containsKey(name)) {
                    throw usageError("unknown setting '" + name + "': expected one of "
                            + String.join(", ", TenantLimits.SETTING_NAMES));
                }
            }
        }

        private ParameterException usageError(String message) {
            return new ParameterException(spec.commandLine(), message);
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

    /** Settings as {@code name=value} pairs in name order, comma-separated; {@code none} when there are none. */
    static String settingsText(Map<String, String> settings, String none) {
        if (settings.isEmpty()) {
            return none;
        }
        return settings.entrySet().stream()
                .map(setting -> setting.getKey() + "=" + setting.getValue())
                .collect(Collectors.joining(","));
    }
}
