package dev.ferry.broker.topic;

/**
 * Kafka's topic name rules: 1 to 249 characters from {@code [a-zA-Z0-9._-]}, neither "." nor "..", and no two topics
 * whose names differ only by '.' versus '_' (they would share metric names in Kafka, so Kafka refuses the second).
 */
public final class TopicNames {

    /** The longest legal topic name, as in Kafka. */
    public static final int MAX_LENGTH = 249;

    private TopicNames() {
    }

    /** Why {@code name} is not a legal topic name, in Kafka's words, or null when it is legal. */
    public static String invalidReason(String name) {
        if (name == null || name.isEmpty()) {
            return "Topic name is invalid: the empty string is not allowed";
        }
        if (".".equals(name) || "..".equals(name)) {
            return "Topic name is invalid: '" + name + "' is not allowed";
        }
        if (name.length() > MAX_LENGTH) {
            return "Topic name is invalid: the length of '" + name + "' is longer than the max allowed length "
                    + MAX_LENGTH;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isLegalChar(name.charAt(i))) {
                return "Topic name is invalid: '" + name
                        + "' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'";
            }
        }
        return null;
    }

    public static boolean isValid(String name) {
        return invalidReason(name) == null;
    }

    /** The name with every '.' replaced by '_': two topics with the same collision key may not coexist. */
    public static String collisionKey(String name) {
        return name.replace('.', '_');
    }

    private static boolean isLegalChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == '-';
    }
}
