package dev.ferry.config;

import java.util.Objects;

/**
 * The definition of one topic-level config, with Kafka 4's name, type, default and rule.
 *
 * @param name             the topic config name, e.g. {@code retention.ms}
 * @param brokerDefaultKey the broker setting Kafka takes the topic default from (its synonym, e.g.
 *                         {@code log.retention.ms}), or {@code null} when there is none
 * @param type             the value type
 * @param defaultValue     Kafka's default as text, used when Ferry has no broker setting named
 *                         {@code brokerDefaultKey}; {@code null} for none
 * @param validator        the rule a value must meet
 * @param doc              one-line description, saying so when Ferry stores the config without acting on it
 * @param honoured         false when the config is accepted and stored but Ferry does not act on it
 * @param internal         true for Kafka's test-only configs, accepted but left out of DescribeConfigs
 */
public record TopicConfigDef(String name, String brokerDefaultKey, ConfigType type, String defaultValue,
                             Validator validator, String doc, boolean honoured, boolean internal) {

    public TopicConfigDef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(validator, "validator");
        Objects.requireNonNull(doc, "doc");
    }

    /**
     * Parses and checks {@code text}.
     *
     * @return the parsed value (see {@link ConfigType#parse})
     * @throws ConfigException with Kafka's message, naming this config and the value
     */
    public Object parse(String text) {
        if (text == null) {
            throw new ConfigException("Null value not supported for topic configs: " + name);
        }
        Object value;
        try {
            value = type.parse(text);
        } catch (IllegalArgumentException e) {
            throw invalid(text, e.getMessage());
        }
        String problem = validator.problem(value);
        if (problem != null) {
            throw invalid(text, problem);
        }
        return value;
    }

    private ConfigException invalid(String text, String problem) {
        return new ConfigException("Invalid value " + text + " for configuration " + name + ": " + problem);
    }
}
