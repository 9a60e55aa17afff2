package dev.ferry.config;

/**
 * Renders the broker settings for README.md, which keeps the table between the markers {@link #START_MARKER} and
 * {@link #END_MARKER}; a test fails when the two drift apart.
 */
public final class ConfigDocs {

    public static final String START_MARKER = "<!-- config-table:start -->";
    public static final String END_MARKER = "<!-- config-table:end -->";

    private ConfigDocs() {
    }

    /** Every broker setting as a Markdown table: name, default, description (with the values it accepts). */
    public static String markdownTable() {
        StringBuilder table = new StringBuilder()
                .append("| Setting | Default | Description |\n")
                .append("|---|---|---|\n");
        for (Setting setting : BrokerConfigs.ALL) {
            table.append("| `").append(setting.name()).append("` | ")
                    .append(defaultText(setting))
                    .append(" | ").append(escape(description(setting))).append(" |\n");
        }
        return table.toString();
    }

    private static String defaultText(Setting setting) {
        if (setting.defaultValue() == null) {
            return "none";
        }
        return setting.defaultValue().isEmpty() ? "empty" : "`" + setting.defaultValue() + "`";
    }

    private static String description(Setting setting) {
        String rule = setting.validator().description();
        return rule.isEmpty() ? setting.doc() : setting.doc() + " Must be " + rule + ".";
    }

    private static String escape(String text) {
        return text.replace("|", "\\|");
    }
}
