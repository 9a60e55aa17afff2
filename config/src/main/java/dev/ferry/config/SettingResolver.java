package dev.ferry.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns the supplied values into one value per setting: parses and validates every supplied value (a bad value is
 * an error even when a higher layer hides it), reports unknown and ignored keys, and picks for each setting the
 * value from the highest layer, Kafka's order of spellings breaking ties within a layer.
 */
final class SettingResolver {

    /**
     * The value a setting ended up with.
     *
     * @param value  the parsed canonical value, {@code null} when the setting has none
     * @param origin where it came from ({@link Origin#DEFAULT} for the default)
     * @param key    the spelling it was given under, for messages
     * @param text   the text it was given as, for messages
     */
    record Resolved(Object value, Origin origin, String key, String text) {
    }

    /**
     * @param values   every setting by canonical name, in {@link BrokerConfigs#ALL} order
     * @param warnings unknown and ignored keys
     * @param errors   invalid values and conflicts; the configuration is unusable unless empty
     */
    record Resolution(Map<String, Resolved> values, List<String> warnings, List<String> errors) {
    }

    private record Candidate(int rank, SuppliedValue supplied, Object value) {
    }

    private SettingResolver() {
    }

    static Resolution resolve(List<SuppliedValue> supplied) {
        List<String> warnings = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Map<String, List<Candidate>> candidates = new HashMap<>();
        for (SuppliedValue value : supplied) {
            Optional<Setting> setting = BrokerConfigs.find(value.key());
            if (setting.isEmpty()) {
                warnings.add(BrokerConfigs.ignoredReason(value.key())
                        .map(reason -> "ignored setting '" + value.key() + "' in " + value.origin().description()
                                + ": " + reason)
                        .orElse("unknown setting '" + value.key() + "' in " + value.origin().description()));
                continue;
            }
            parse(setting.get(), value, errors).ifPresent(candidate ->
                    candidates.computeIfAbsent(setting.get().name(), name -> new ArrayList<>()).add(candidate));
        }
        Map<String, Resolved> values = new LinkedHashMap<>();
        for (Setting setting : BrokerConfigs.ALL) {
            List<Candidate> given = candidates.getOrDefault(setting.name(), List.of());
            values.put(setting.name(), given.isEmpty()
                    ? new Resolved(setting.parsedDefault(), Origin.DEFAULT, setting.name(), setting.defaultValue())
                    : pick(setting, given, errors));
        }
        return new Resolution(values, List.copyOf(warnings), List.copyOf(errors));
    }

    /** A blank value of a setting without default unsets it: {@code FERRY_CLUSTER_ID=} means no cluster id. */
    private static Optional<Candidate> parse(Setting setting, SuppliedValue value, List<String> errors) {
        int rank = rankOf(setting, value.key());
        Setting.Spelling spelling = setting.spellings().get(rank);
        if (value.text() == null) {
            errors.add(invalid(value, "a value is required"));
            return Optional.empty();
        }
        if (setting.defaultValue() == null && value.text().isBlank()) {
            return Optional.of(new Candidate(rank, value, null));
        }
        Object parsed;
        try {
            parsed = spelling.type().parse(value.text());
        } catch (IllegalArgumentException e) {
            errors.add(invalid(value, e.getMessage()));
            return Optional.empty();
        }
        Object canonical = null;
        String problem = spelling.validator().problem(parsed);
        if (problem == null) {
            canonical = spelling.toCanonical().apply(parsed);
            problem = setting.validator().problem(canonical);
        }
        if (problem != null) {
            errors.add(invalid(value, problem));
            return Optional.empty();
        }
        return Optional.of(new Candidate(rank, value, canonical));
    }

    private static Resolved pick(Setting setting, List<Candidate> given, List<String> errors) {
        Candidate winner = given.stream()
                .max(Comparator.<Candidate>comparingInt(c -> c.supplied().origin().source().ordinal())
                        .thenComparing(Comparator.comparingInt(Candidate::rank).reversed()))
                .orElseThrow();
        if (setting.spellingsMustAgree()) {
            for (Candidate other : given) {
                boolean sameSource = other.supplied().origin().source() == winner.supplied().origin().source();
                if (sameSource && !Objects.equals(other.value(), winner.value())) {
                    errors.add("Settings '" + winner.supplied().key() + "' (" + winner.value() + ") and '"
                            + other.supplied().key() + "' (" + other.value() + ") disagree in "
                            + other.supplied().origin().description() + "; set only one of them");
                }
            }
        }
        SuppliedValue supplied = winner.supplied();
        return new Resolved(winner.value(), supplied.origin(), supplied.key(), supplied.text());
    }

    private static int rankOf(Setting setting, String key) {
        List<Setting.Spelling> spellings = setting.spellings();
        for (int rank = 0; rank < spellings.size(); rank++) {
            if (spellings.get(rank).name().equals(key)) {
                return rank;
            }
        }
        throw new IllegalArgumentException(key + " is not a spelling of " + setting.name());
    }

    static String invalid(SuppliedValue value, String problem) {
        return "Invalid value '" + value.text() + "' for setting '" + value.key() + "' in "
                + value.origin().description() + ": " + problem;
    }
}
