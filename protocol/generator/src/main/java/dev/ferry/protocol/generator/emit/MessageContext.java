package dev.ferry.protocol.generator.emit;

import dev.ferry.protocol.generator.spec.MessageSpec;
import dev.ferry.protocol.generator.spec.StructRegistry;
import dev.ferry.protocol.generator.spec.Versions;

/**
 * The message being generated and the version conditions its code tests. Every condition is a Java boolean
 * expression over the local {@code version}, simplified against the message's valid versions: a field present in
 * all of them is just {@code "true"}. Immutable.
 *
 * @param spec    the message
 * @param structs its structs
 */
record MessageContext(MessageSpec spec, StructRegistry structs) {
    static final String TRUE = "true";
    static final String FALSE = "false";

    /** The expression testing that {@code version} lies in {@code versions}. */
    String condition(Versions versions) {
        Versions valid = spec.validVersions();
        Versions overlap = valid.intersect(versions);
        if (overlap.isEmpty()) {
            return FALSE;
        }
        if (overlap.equals(valid)) {
            return TRUE;
        }
        String lower = overlap.lowest() > valid.lowest() ? "version >= " + overlap.lowest() : null;
        String upper = overlap.highest() < valid.highest() ? "version <= " + overlap.highest() : null;
        if (lower != null && upper != null) {
            return lower + " && " + upper;
        }
        return lower != null ? lower : upper;
    }

    /** The expression testing that {@code version} lies outside {@code versions}. */
    String notCondition(Versions versions) {
        String condition = condition(versions);
        return switch (condition) {
            case TRUE -> FALSE;
            case FALSE -> TRUE;
            default -> "!(" + condition + ")";
        };
    }

    /** The expression for the local {@code flexible}. */
    String flexibleCondition() {
        return condition(spec.flexibleVersions());
    }

    /** Joins two conditions with {@code &&}, folding constants. */
    static String and(String left, String right) {
        if (left.equals(FALSE) || right.equals(FALSE)) {
            return FALSE;
        }
        if (left.equals(TRUE)) {
            return right;
        }
        if (right.equals(TRUE)) {
            return left;
        }
        return left + " && " + right;
    }
}
