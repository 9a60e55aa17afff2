package dev.ferry.protocol.generator.emit;

import java.util.Locale;
import java.util.Set;

/**
 * Derives Java identifiers from spec names. Stateless.
 */
public final class JavaNames {
    private static final Set<String> RESERVED = Set.of(
        "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const", "continue",
        "default", "do", "double", "else", "enum", "extends", "false", "final", "finally", "float", "for", "goto",
        "if", "implements", "import", "instanceof", "int", "interface", "long", "native", "new", "null", "package",
        "private", "protected", "public", "return", "short", "static", "strictfp", "super", "switch",
        "synchronized", "this", "throw", "throws", "transient", "true", "try", "void", "volatile", "while", "_",
        // no-argument methods of Object and of the message interfaces, which a getter must not override
        "getClass", "hashCode", "toString", "clone", "finalize", "notify", "notifyAll", "wait",
        "lowestSupportedVersion", "highestSupportedVersion", "apiKey");

    private JavaNames() {
    }

    /** The getter, and private field, name for a spec field: {@code TimeoutMs} becomes {@code timeoutMs}. */
    public static String fieldName(String specName) {
        String camel = lowerCamel(specName);
        return RESERVED.contains(camel) ? camel + "_" : camel;
    }

    /** The setter name for a spec field: {@code TimeoutMs} becomes {@code setTimeoutMs}. */
    public static String setterName(String specName) {
        return "set" + Character.toUpperCase(specName.charAt(0)) + specName.substring(1);
    }

    /** {@code TopicData} becomes {@code topicData}. */
    static String lowerCamel(String name) {
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    /**
     * Kafka's constant naming: an underscore before each capital that follows a lower-case letter or digit, then
     * upper case; {@code OffsetForLeaderEpoch} becomes {@code OFFSET_FOR_LEADER_EPOCH}.
     */
    public static String upperSnake(String name) {
        StringBuilder snake = new StringBuilder();
        boolean previousWasCapital = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                if (!previousWasCapital) {
                    snake.append('_');
                }
                previousWasCapital = true;
            } else {
                previousWasCapital = false;
            }
            snake.append(c);
        }
        return snake.toString().toUpperCase(Locale.ROOT);
    }
}
