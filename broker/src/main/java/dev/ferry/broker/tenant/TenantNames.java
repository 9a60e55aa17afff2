package dev.ferry.broker.tenant;

import java.util.Collection;
import java.util.Optional;

/**
 * The rules for application ids and key names.
 *
 * <p>Both are 1 to {@value #MAX_LENGTH} characters from {@code [A-Za-z0-9_-]} and do not start with '-' (a command
 * line would take such a name for an option). An application id becomes the prefix of every topic and group name of
 * the application ({@code acme.orders}), so it must leave room in Kafka's 249-character topic names and may not
 * contain the '.' that ends the prefix.
 *
 * <p>Kafka refuses a topic whose name differs from an existing one only by '.' versus '_' (the two would share
 * metric names). Two applications whose prefixes are equal or nested once every '.' is read as '_' (such as
 * {@code a} and {@code a_b}: {@code a.b_x} and {@code a_b.x} collide) could therefore block each other's topic
 * names, and learn of them from the error; {@link #conflictingApplication} finds such a pair so that the second one
 * is never created.
 */
public final class TenantNames {

    /** The longest application id or key name. */
    public static final int MAX_LENGTH = 64;

    private TenantNames() {
    }

    /**
     * Checks an application id.
     *
     * @throws TenantException saying what is wrong with it
     */
    public static String validateApplicationId(String id) {
        String reason = invalidReason(id);
        if (reason != null) {
            throw new TenantException("invalid application id '" + id + "': " + reason);
        }
        return id;
    }

    /**
     * Checks a key name.
     *
     * @throws TenantException saying what is wrong with it
     */
    public static String validateKeyName(String name) {
        String reason = invalidReason(name);
        if (reason != null) {
            throw new TenantException("invalid key name '" + name + "': " + reason);
        }
        return name;
    }

    /** Whether {@code id} is a well-formed application id (or key name: the rules are the same). */
    public static boolean isValid(String id) {
        return invalidReason(id) == null;
    }

    /**
     * An existing application whose topic names could collide with those of a new application {@code id}, if any.
     * Equality is not a conflict here: uniqueness is checked on its own.
     */
    public static Optional<String> conflictingApplication(String id, Collection<String> existingIds) {
        String prefix = collisionPrefix(id);
        for (String existing : existingIds) {
            String other = collisionPrefix(existing);
            if (!existing.equals(id) && (other.startsWith(prefix) || prefix.startsWith(other))) {
                return Optional.of(existing);
            }
        }
        return Optional.empty();
    }

    /** The application's topic prefix as Kafka compares topic names: its '.' read as '_' (ids hold no '.'). */
    private static String collisionPrefix(String id) {
        return id + '_';
    }

    private static String invalidReason(String name) {
        if (name == null || name.isEmpty()) {
            return "it is empty";
        }
        if (name.length() > MAX_LENGTH) {
            return "it is longer than " + MAX_LENGTH + " characters";
        }
        if (name.charAt(0) == '-') {
            return "it starts with '-'";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-';
            if (!legal) {
                return "only letters, digits, '-' and '_' are allowed";
            }
        }
        return null;
    }
}
