package dev.ferry.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The definition of one broker setting: Kafka's name, type, Ferry's default, the rule its value must meet and a
 * one-line description. A setting can be spelled several ways, as Kafka allows ({@code log.retention.hours} for
 * {@code log.retention.ms}); each spelling converts its own value to the setting's.
 *
 * @param name               the canonical name, which the effective value is reported under
 * @param type               the type of the canonical value
 * @param defaultValue       the default as text, or {@code null} when the setting has no value unless given
 * @param validator          the rule on the canonical value, whichever spelling supplied it
 * @param doc                one or two sentences for the configuration table
 * @param spellings          the canonical spelling first, then aliases in Kafka's order of precedence
 * @param spellingsMustAgree when true, two spellings given in the same source must give the same value
 */
record Setting(String name, ConfigType type, String defaultValue, Validator validator, String doc,
               List<Spelling> spellings, boolean spellingsMustAgree) {

    /**
     * One accepted name of a setting.
     *
     * @param name        the key as written in a file or override
     * @param type        the type its text is parsed as
     * @param validator   a rule on the value as parsed, before conversion
     * @param toCanonical converts the parsed value to the setting's type and unit
     */
    record Spelling(String name, ConfigType type, Validator validator, UnaryOperator<Object> toCanonical) {
    }

    Setting {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(doc, "doc");
        spellings = List.copyOf(spellings);
    }

    static Setting define(String name, ConfigType type, String defaultValue, Validator validator, String doc) {
        return new Setting(name, type, defaultValue, validator, doc,
                List.of(new Spelling(name, type, Validator.any(), UnaryOperator.identity())), false);
    }

    /** This setting with its canonical value passed through {@code normalizer} (e.g. negative retention → -1). */
    Setting normalizedBy(UnaryOperator<Object> normalizer) {
        List<Spelling> all = new ArrayList<>(spellings);
        all.set(0, new Spelling(name, type, Validator.any(), normalizer));
        return new Setting(name, type, defaultValue, validator, doc, all, spellingsMustAgree);
    }

    /** This setting also spelled {@code alias}, of lower precedence than the spellings already defined. */
    Setting withAlias(String alias, ConfigType aliasType, Validator aliasValidator, UnaryOperator<Object> toCanonical) {
        List<Spelling> all = new ArrayList<>(spellings);
        all.add(new Spelling(alias, aliasType, aliasValidator, toCanonical));
        return new Setting(name, type, defaultValue, validator, doc, all, spellingsMustAgree);
    }

    /** This setting with its spellings required to agree when given in the same source (Kafka's broker.id rule). */
    Setting agreeingSpellings() {
        return new Setting(name, type, defaultValue, validator, doc, spellings, true);
    }

    /** The parsed default, or {@code null} when there is none. */
    Object parsedDefault() {
        return defaultValue == null ? null : spellings.get(0).toCanonical().apply(type.parse(defaultValue));
    }
}
