package dev.ferry.broker.tenant;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A tenant: an application id, its keys by name, and settings that later features (per-application quotas) override
 * defaults with.
 *
 * <p>SCRAM names one salt and iteration count per user in its server-first message, before the client has shown
 * which password it holds; an application is one SCRAM user with possibly several keys, so every key of an
 * application is derived with the application's salt, and a client proof is checked against each key of the
 * application in turn (a few HMACs per key). The salt still differs between applications, so no precomputation
 * serves two of them; and the keys' 192-bit secrets leave nothing to precompute anyway.
 *
 * <p><b>Thread-safety:</b> immutable; changes return a new instance.
 */
public final class Application {

    /** Bytes of an application's SCRAM salt. */
    static final int SCRAM_SALT_BYTES = 32;

    private final String id;
    private final long createdMs;
    private final byte[] scramSalt;
    private final int scramIterations;
    private final SortedMap<String, String> settings;
    private final SortedMap<String, ApiKey> keys;

    Application(String id, long createdMs, byte[] scramSalt, int scramIterations, Map<String, String> settings,
                Map<String, ApiKey> keys) {
        this.id = TenantNames.validateApplicationId(id);
        this.createdMs = createdMs;
        this.scramSalt = scramSalt.clone();
        if (scramIterations < 1) {
            throw new IllegalArgumentException("SCRAM iterations must be positive: " + scramIterations);
        }
        this.scramIterations = scramIterations;
        this.settings = Collections.unmodifiableSortedMap(new TreeMap<>(settings));
        this.keys = Collections.unmodifiableSortedMap(new TreeMap<>(keys));
    }

    public String id() {
        return id;
    }

    /** When the application was created, in milliseconds since the epoch. */
    public long createdMs() {
        return createdMs;
    }

    /** The application's keys, ordered by name. */
    public List<ApiKey> keys() {
        return List.copyOf(keys.values());
    }

    /** The key named {@code name}, if there is one. */
    public Optional<ApiKey> key(String name) {
        return Optional.ofNullable(keys.get(name));
    }

    /** Per-application settings by name, in name order; empty unless set. */
    public Map<String, String> settings() {
        return settings;
    }

    /** The prefix of every topic, group and transactional id of the application, e.g. {@code acme.}. */
    public String resourcePrefix() {
        return id + Principal.RESOURCE_SEPARATOR;
    }

    byte[] scramSalt() {
        return scramSalt.clone();
    }

    int scramIterations() {
        return scramIterations;
    }

    /** This application with {@code key} added, or replacing the key of the same name. */
    Application withKey(ApiKey key) {
        TreeMap<String, ApiKey> changed = new TreeMap<>(keys);
        changed.put(key.name(), key);
        return new Application(id, createdMs, scramSalt, scramIterations, settings, changed);
    }

    /** This application without the key named {@code name}. */
    Application withoutKey(String name) {
        TreeMap<String, ApiKey> changed = new TreeMap<>(keys);
        changed.remove(name);
        return new Application(id, createdMs, scramSalt, scramIterations, settings, changed);
    }

    /** This application with setting {@code name} set to {@code value}, or removed when {@code value} is null. */
    Application withSetting(String name, String value) {
        TreeMap<String, String> changed = new TreeMap<>(settings);
        if (value == null) {
            changed.remove(name);
        } else {
            changed.put(name, value);
        }
        return new Application(id, createdMs, scramSalt, scramIterations, changed, keys);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Application app && id.equals(app.id) && createdMs == app.createdMs
                && scramIterations == app.scramIterations && Arrays.equals(scramSalt, app.scramSalt)
                && settings.equals(app.settings) && keys.equals(app.keys);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, createdMs, keys);
    }

    @Override
    public String toString() {
        return "Application[" + id + ", keys " + keys.keySet() + "]";
    }
}
