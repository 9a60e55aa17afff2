package dev.ferry.broker.handler;

import dev.ferry.config.ConfigSource;

/** Maps where a setting came from onto Kafka's DescribeConfigs/CreateTopics {@code config_source} codes. */
final class ConfigSources {

    /** A topic-level override. */
    static final byte DYNAMIC_TOPIC_CONFIG = 1;
    /** A broker setting read at start (file, environment or command line). */
    static final byte STATIC_BROKER_CONFIG = 4;
    /** A built-in default. */
    static final byte DEFAULT_CONFIG = 5;

    private ConfigSources() {
    }

    static byte kafkaId(ConfigSource source) {
        return switch (source) {
            case TOPIC -> DYNAMIC_TOPIC_CONFIG;
            case FILE, ENVIRONMENT, OVERRIDE -> STATIC_BROKER_CONFIG;
            case DEFAULT -> DEFAULT_CONFIG;
        };
    }
}
