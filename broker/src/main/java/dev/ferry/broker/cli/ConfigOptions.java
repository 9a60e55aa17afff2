package dev.ferry.broker.cli;

import dev.ferry.config.FerryConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The {@code --config} and {@code --override} options of every command that reads the broker's configuration, as a
 * picocli mixin. Settings come from built-in defaults, then the file, then {@code FERRY_*} environment variables,
 * then the overrides, each overriding the previous.
 */
public final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "A properties file of Kafka-named settings, e.g. a server.properties.")
    private Path configFile;

    @Option(names = "--override", paramLabel = "KEY=VALUE",
            description = "A setting overriding the file and the environment; repeatable.")
    private Map<String, String> overrides = new LinkedHashMap<>();

    /**
     * The configuration these options describe.
     *
     * @throws dev.ferry.config.ConfigException when it is invalid or the file cannot be read
     */
    public FerryConfig load() {
        return FerryConfig.load(configFile, System.getenv(), overrides);
    }
}
