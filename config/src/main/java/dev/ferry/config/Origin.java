package dev.ferry.config;

import java.nio.file.Path;

/**
 * Where one supplied value came from, precisely enough for a message: its layer and, within the layer, the file or
 * the environment variable.
 *
 * @param source      the layer, which decides precedence
 * @param description how a message names the place, e.g. {@code file ferry.properties}
 */
record Origin(ConfigSource source, String description) {

    static final Origin DEFAULT = new Origin(ConfigSource.DEFAULT, "default");

    static Origin file(Path file) {
        return new Origin(ConfigSource.FILE, "file " + file);
    }

    static Origin environment(String variable) {
        return new Origin(ConfigSource.ENVIRONMENT, "environment variable " + variable);
    }

    static Origin override(String description) {
        return new Origin(ConfigSource.OVERRIDE, description);
    }
}
