package dev.ferry.broker.tenant;

import java.util.Objects;

/**
 * A key just issued: the stored record and the key itself, which exists only here. Show {@link #key()} to the user
 * once and drop it; the registry cannot show it again.
 *
 * @param applicationId the application the key belongs to
 * @param apiKey        what the registry stores of the key
 * @param key           the key, to be sent as {@code client.id} or SASL password
 */
public record IssuedKey(String applicationId, ApiKey apiKey, String key) {

    public IssuedKey {
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(key, "key");
    }

    /** Names the key; never prints the key itself. */
    @Override
    public String toString() {
        return "IssuedKey[" + applicationId + ", " + apiKey + "]";
    }
}
