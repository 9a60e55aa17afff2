package dev.ferry.protocol.generator.emit;

import dev.ferry.protocol.generator.spec.FieldSpec;
import dev.ferry.protocol.generator.spec.FieldType;

/**
 * Turns a field's spec default into a Java expression: the spec's value when given, otherwise zero, false, the empty
 * string, an empty list, {@code Uuids.ZERO} or a new struct. Stateless.
 */
final class DefaultValues {
    private DefaultValues() {
    }

    static String expression(FieldSpec field) {
        FieldType type = field.type();
        String text = field.defaultValue();
        if (field.defaultsToNull()) {
            return "null";
        }
        String given = text == null ? "" : text.trim();
        return switch (type.kind()) {
            case INT8 -> "(byte) " + integer(given, Byte.MIN_VALUE, Byte.MAX_VALUE, field);
            case INT16 -> "(short) " + integer(given, Short.MIN_VALUE, Short.MAX_VALUE, field);
            case UINT16 -> Long.toString(integer(given, 0, 0xffff, field));
            case INT32 -> Long.toString(integer(given, Integer.MIN_VALUE, Integer.MAX_VALUE, field));
            case UINT32 -> integer(given, 0, 0xffffffffL, field) + "L";
            case INT64 -> integer(given, Long.MIN_VALUE, Long.MAX_VALUE, field) + "L";
            case FLOAT64 -> given.isEmpty() ? "0.0" : Double.toString(Double.parseDouble(given));
            case BOOL -> bool(given, field);
            case STRING -> quote(text == null ? "" : text);
            case UUID -> empty(given, field, "Uuids.ZERO");
            case BYTES -> empty(given, field, "new byte[0]");
            case RECORDS -> "null";
            case ARRAY -> empty(given, field, "new ArrayList<>(0)");
            case STRUCT -> empty(given, field, "new " + type.structName() + "()");
        };
    }

    private static long integer(String text, long min, long max, FieldSpec field) {
        if (text.isEmpty()) {
            return 0;
        }
        long value;
        try {
            boolean negative = text.startsWith("-");
            String digits = negative ? text.substring(1) : text;
            value = digits.startsWith("0x") ? Long.parseLong(digits.substring(2), 16) : Long.parseLong(digits);
            value = negative ? -value : value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid default " + text + " for " + field.name(), e);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("Default " + text + " out of range for " + field.name());
        }
        return value;
    }

    private static String bool(String text, FieldSpec field) {
        if (text.isEmpty() || text.equals("false")) {
            return "false";
        }
        if (text.equals("true")) {
            return "true";
        }
        throw new IllegalArgumentException("Invalid default " + text + " for " + field.name());
    }

    private static String empty(String text, FieldSpec field, String expression) {
        if (!text.isEmpty()) {
            throw new IllegalArgumentException("Unsupported default " + text + " for " + field.name());
        }
        return expression;
    }

    /** A Java string literal for {@code text}. */
    static String quote(String text) {
        StringBuilder literal = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> literal.append("\\\"");
                case '\\' -> literal.append("\\\\");
                case '\n' -> literal.append("\\n");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        literal.append(String.format("\\u%04x", (int) c));
                    } else {
                        literal.append(c);
                    }
                }
            }
        }
        return literal.append('"').toString();
    }
}
