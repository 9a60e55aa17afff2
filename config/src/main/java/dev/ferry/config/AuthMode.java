package dev.ferry.config;

import java.util.Locale;

/** {@code auth.mode}: whether clients are anonymous and trusted, or tenants authenticated by application key. */
public enum AuthMode {

    /** Every client may do everything, as on a local broker. */
    NONE,

    /** Hosted mode: every client authenticates with an application key and sees only its application's resources. */
    TENANT;

    /** The mode as {@code auth.mode} spells it, e.g. {@code tenant}. */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static AuthMode parse(String configValue) {
        return valueOf(configValue.toUpperCase(Locale.ROOT));
    }
}
