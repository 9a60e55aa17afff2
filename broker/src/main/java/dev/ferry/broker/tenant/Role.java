package dev.ferry.broker.tenant;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What an API key may be used for. A key has exactly one role; an application that both produces and consumes
 * either holds one key of each role or one {@link #ALL} key.
 */
public enum Role {

    /** Writes records and manages the application's topics. */
    PRODUCE(EnumSet.of(Permission.WRITE, Permission.CREATE_TOPICS, Permission.MANAGE_TOPICS, Permission.DESCRIBE)),

    /** Reads records, commits offsets and takes part in (and manages) the application's consumer groups. */
    CONSUME(EnumSet.of(Permission.READ, Permission.COMMIT_OFFSETS, Permission.JOIN_GROUPS, Permission.MANAGE_GROUPS,
            Permission.DESCRIBE)),

    /** Everything the two others may do, as transactional consume-transform-produce applications need. */
    ALL(EnumSet.allOf(Permission.class));

    private final Set<Permission> permissions;

    Role(Set<Permission> permissions) {
        this.permissions = permissions;
    }

    /** Whether a key of this role may do {@code permission}. */
    public boolean permits(Permission permission) {
        return permissions.contains(permission);
    }

    /** The role's name on the command line and in listings: {@code produce}, {@code consume} or {@code all}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The role labelled {@code label}, ignoring case.
     *
     * @throws IllegalArgumentException naming the valid labels when there is no such role
     */
    public static Role parse(String label) {
        for (Role role : values()) {
            if (role.label().equalsIgnoreCase(label)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + label + "': expected produce, consume or all");
    }
}
