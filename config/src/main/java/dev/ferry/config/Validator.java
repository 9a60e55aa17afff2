package dev.ferry.config;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A rule on a parsed value (see {@link ConfigType#parse}), with Kafka's wording for the common rules so that a client
 * sees the same INVALID_CONFIG message from Ferry as from Kafka.
 *
 * @param description what the rule accepts, completing the sentence "Must be ..." in the configuration table;
 *                    empty when anything of the type is accepted
 * @param rule        returns {@code null} when the value is acceptable, else the reason it is not
 */
public record Validator(String description, Function<Object, String> rule) {

    private static final Validator ANY = new Validator("", value -> null);
    private static final Pattern REPLICA_PAIR = Pattern.compile("\\d+:\\d+");

    public Validator {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(rule, "rule");
    }

    /** Returns {@code null} when {@code value} is acceptable, else the reason it is not. */
    public String problem(Object value) {
        return rule.apply(value);
    }

    /** Accepts every value of the type. */
    public static Validator any() {
        return ANY;
    }

    public static Validator atLeast(long min) {
        return new Validator("at least " + min,
                value -> ((Number) value).longValue() < min ? "Value must be at least " + min : null);
    }

    public static Validator between(long min, long max) {
        return new Validator("between " + min + " and " + max, value -> {
            long number = ((Number) value).longValue();
            if (number < min) {
                return "Value must be at least " + min;
            }
            return number > max ? "Value must be no more than " + max : null;
        });
    }

    /** A level between {@code min} and {@code max}, or -1 for the codec's own default (Kafka's gzip level rule). */
    public static Validator betweenOrMinusOne(int min, int max) {
        return new Validator("between " + min + " and " + max + ", or -1", value -> {
            int number = ((Number) value).intValue();
            return number == -1 || (number >= min && number <= max) ? null
                    : "Value must be between " + min + " and " + max + " or equal to -1";
        });
    }

    /** A fraction in [0, 1]; NaN is rejected. */
    public static Validator ratio() {
        return new Validator("between 0 and 1", value -> {
            double number = ((Number) value).doubleValue();
            if (Double.isNaN(number) || number < 0) {
                return "Value must be at least 0";
            }
            return number > 1 ? "Value must be no more than 1" : null;
        });
    }

    /** One of {@code allowed}, compared case-sensitively as Kafka does. */
    public static Validator oneOf(String... allowed) {
        List<String> names = List.of(allowed);
        String joined = String.join(", ", names);
        return new Validator("one of " + joined,
                value -> names.contains(value) ? null : "String must be one of: " + joined);
    }

    /** A list, possibly empty, whose every element is one of {@code allowed}; blank elements are rejected. */
    public static Validator listOf(String... allowed) {
        Set<String> names = Set.of(allowed);
        String joined = String.join(", ", allowed);
        return new Validator("a comma-separated list of " + joined, value -> {
            for (Object element : (List<?>) value) {
                if (((String) element).isEmpty()) {
                    return "values must not be empty";
                }
                if (!names.contains(element)) {
                    return "String must be one of: " + joined;
                }
            }
            return null;
        });
    }

    /** The replica throttling lists of Kafka: {@code *}, or {@code partition:broker} pairs. */
    public static Validator throttledReplicas() {
        return new Validator("* or a list of partitionId:brokerId", value -> {
            List<?> list = (List<?>) value;
            if (list.equals(List.of("*"))) {
                return null;
            }
            for (Object element : list) {
                if (!REPLICA_PAIR.matcher((String) element).matches()) {
                    return "must be the literal '*' or a list of replicas in the following format: "
                            + "[partitionId]:[brokerId],[partitionId]:[brokerId],...";
                }
            }
            return null;
        });
    }
}
