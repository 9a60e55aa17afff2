package dev.ferry.config;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Reads the layers a configuration is built from, lowest precedence first: the properties file, then the
 * {@code FERRY_*} environment variables, then the overrides.
 */
final class SettingSources {

    /** Prefix of the environment variables Ferry reads. */
    static final String ENV_PREFIX = "FERRY_";

    private SettingSources() {
    }

    /**
     * @param file                the properties file, or {@code null} for none
     * @param env                 the whole environment; only {@code FERRY_*} variables are read
     * @param overrides           the overrides, key to value
     * @param overrideDescription how messages name the overrides, e.g. {@code --override}
     * @throws ConfigException if the file cannot be read
     */
    static List<SuppliedValue> collect(Path file, Map<String, String> env, Map<String, String> overrides,
                                       String overrideDescription) {
        List<SuppliedValue> supplied = new ArrayList<>();
        if (file != null) {
            Origin origin = Origin.file(file);
            readProperties(file).forEach((key, text) -> supplied.add(new SuppliedValue(key, text, origin)));
        }
        new TreeMap<>(env).forEach((variable, text) -> {
            if (variable.startsWith(ENV_PREFIX)) {
                supplied.add(new SuppliedValue(settingName(variable), text, Origin.environment(variable)));
            }
        });
        Origin overrideOrigin = Origin.override(overrideDescription);
        new TreeMap<>(overrides).forEach((key, text) ->
                supplied.add(new SuppliedValue(key.trim(), text, overrideOrigin)));
        return supplied;
    }

    /** {@code FERRY_LOG_DIRS} → {@code log.dirs}: prefix stripped, lower-cased, underscores to dots. */
    static String settingName(String variable) {
        return variable.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /** {@code log.dirs} → {@code FERRY_LOG_DIRS}. */
    static String variableName(String setting) {
        return ENV_PREFIX + setting.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    private static Map<String, String> readProperties(Path file) {
        Properties properties = new Properties();
        // a decoding Reader, not newBufferedReader: a stray Latin-1 byte in a pasted file must not stop the broker
        try (Reader reader = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new ConfigException("Cannot read config file " + file + ": no such file", e);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("Cannot read config file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> sorted = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> sorted.put(key, properties.getProperty(key)));
        return sorted;
    }
}
