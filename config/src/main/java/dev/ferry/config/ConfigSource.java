package dev.ferry.config;

/**
 * Where an effective value came from. Broker settings are layered in the order declared here, each later source
 * overriding the earlier ones; {@link #TOPIC} marks a topic-level override.
 */
public enum ConfigSource {
    /** Ferry's built-in default. */
    DEFAULT,
    /** The properties file given with {@code --config}. */
    FILE,
    /** A {@code FERRY_*} environment variable. */
    ENVIRONMENT,
    /** An {@code --override key=value} flag, or the settings passed to {@link FerryConfig#of}. */
    OVERRIDE,
    /** A config set on the topic itself (CreateTopics or IncrementalAlterConfigs). */
    TOPIC
}
