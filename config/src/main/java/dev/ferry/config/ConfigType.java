package dev.ferry.config;

import java.util.List;
import java.util.function.Function;

/**
 * The value types of settings and topic configs, with Kafka's parsing rules ({@code ConfigDef.parseType}): text is
 * trimmed, booleans are {@code true}/{@code false} in any case, lists are comma-separated with blanks around the
 * commas ignored, and an empty text is an empty list.
 *
 * <p>{@link #id()} is the code DescribeConfigs (v3+) sends for the type.
 */
public enum ConfigType {
    BOOLEAN(1),
    STRING(2),
    INT(3),
    LONG(5),
    DOUBLE(6),
    LIST(7);

    private final byte id;

    ConfigType(int id) {
        this.id = (byte) id;
    }

    /** The DescribeConfigs wire code of this type. */
    public byte id() {
        return id;
    }

    /**
     * Parses {@code text} into {@link Boolean}, {@link String}, {@link Integer}, {@link Long}, {@link Double} or an
     * unmodifiable {@code List<String>}.
     *
     * @throws IllegalArgumentException with Kafka's wording of the problem when the text is not of this type
     */
    public Object parse(String text) {
        String trimmed = text.trim();
        return switch (this) {
            case BOOLEAN -> parseBoolean(trimmed);
            case STRING -> trimmed;
            case INT -> parseNumber(trimmed, Integer::parseInt);
            case LONG -> parseNumber(trimmed, Long::parseLong);
            case DOUBLE -> parseNumber(trimmed, Double::parseDouble);
            case LIST -> trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s*,\\s*", -1));
        };
    }

    /** The canonical text of a value this type parsed: lists joined with commas, everything else as printed. */
    public String format(Object value) {
        if (value == null) {
            return null;
        }
        if (this == LIST) {
            @SuppressWarnings("unchecked")
            List<String> list = (List<String>) value;
            return String.join(",", list);
        }
        return String.valueOf(value);
    }

    private static Boolean parseBoolean(String trimmed) {
        if (trimmed.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (trimmed.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        throw new IllegalArgumentException("Expected value to be either true or false");
    }

    private Object parseNumber(String trimmed, Function<String, Object> parser) {
        try {
            return parser.apply(trimmed);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Not a number of type " + name());
        }
    }
}
