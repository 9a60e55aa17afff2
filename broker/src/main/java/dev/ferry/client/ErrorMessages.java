package dev.ferry.client;

import dev.ferry.protocol.Errors;

/** Sentences for the error codes a user of the client meets, naming the topic or group concerned. */
final class ErrorMessages {

    private ErrorMessages() {
    }

    /** Why an operation on {@code topic} failed with {@code error}. */
    static String forTopic(Errors error, String topic) {
        return switch (error) {
            case UNKNOWN_TOPIC_OR_PARTITION -> "topic '" + topic + "' does not exist";
            case TOPIC_AUTHORIZATION_FAILED -> "not authorized to access topic '" + topic + "'";
            case INVALID_TOPIC_EXCEPTION -> "'" + topic + "' is not a valid topic name";
            case TOPIC_ALREADY_EXISTS -> "topic '" + topic + "' already exists";
            case CLUSTER_AUTHORIZATION_FAILED -> "not authorized to manage topics on this cluster";
            default -> "topic '" + topic + "': " + describe(error);
        };
    }

    /** Why an operation on {@code group} failed with {@code error}. */
    static String forGroup(Errors error, String group) {
        return switch (error) {
            case GROUP_AUTHORIZATION_FAILED -> "not authorized to use group '" + group + "'";
            case GROUP_ID_NOT_FOUND -> "group '" + group + "' does not exist";
            case INVALID_GROUP_ID -> "'" + group + "' is not a valid group id";
            case NON_EMPTY_GROUP -> "group '" + group + "' still has members";
            case GROUP_MAX_SIZE_REACHED -> "group '" + group + "' is full";
            case INCONSISTENT_GROUP_PROTOCOL -> "group '" + group + "' is used with another protocol by its members";
            default -> "group '" + group + "': " + describe(error);
        };
    }

    /** The error's description, in lower case, with its name for searching. */
    static String describe(Errors error) {
        String message = error.message();
        String sentence = message.isEmpty() ? error.name()
                : Character.toLowerCase(message.charAt(0)) + message.substring(1);
        if (sentence.endsWith(".")) {
            sentence = sentence.substring(0, sentence.length() - 1);
        }
        return sentence + " (" + error.name() + ")";
    }
}
