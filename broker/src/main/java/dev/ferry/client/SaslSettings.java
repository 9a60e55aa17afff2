package dev.ferry.client;

import java.util.Objects;

/**
 * SASL credentials for every connection. Immutable; {@link #toString()} leaves the password out.
 *
 * @param mechanism the SASL mechanism
 * @param username  the user name
 * @param password  the password
 */
public record SaslSettings(SaslMechanism mechanism, String username, String password) {

    public SaslSettings {
        Objects.requireNonNull(mechanism, "mechanism");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return "SaslSettings[mechanism=" + mechanism.kafkaName() + ", username=" + username + "]";
    }
}
