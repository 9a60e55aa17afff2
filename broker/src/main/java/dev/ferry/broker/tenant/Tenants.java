package dev.ferry.broker.tenant;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One version of the registry: every application, and an index of every key by key id so that a key is found in
 * one lookup. The generation counts the writes of the registry file.
 *
 * <p><b>Thread-safety:</b> immutable; changes return a new instance.
 */
final class Tenants {

    private static final Tenants EMPTY = new Tenants(0, Map.of());

    /** A key with the application that holds it. */
    record OwnedKey(Application application, ApiKey key) {

        Principal principal() {
            return key.principal(application.id());
        }
    }

    private final long generation;
    private final SortedMap<String, Application> applications;
    private final Map<String, OwnedKey> keysById;

    Tenants(long generation, Map<String, Application> applications) {
        this.generation = generation;
        this.applications = Collections.unmodifiableSortedMap(new TreeMap<>(applications));
        Map<String, OwnedKey> index = new HashMap<>();
        for (Application application : this.applications.values()) {
            for (ApiKey key : application.keys()) {
                if (index.putIfAbsent(key.keyId(), new OwnedKey(application, key)) != null) {
                    throw new IllegalArgumentException("key id " + key.keyId() + " is used twice");
                }
            }
        }
        this.keysById = Collections.unmodifiableMap(index);
    }

    static Tenants empty() {
        return EMPTY;
    }

    long generation() {
        return generation;
    }

    /** Every application, ordered by id. */
    List<Application> applications() {
        return List.copyOf(applications.values());
    }

    Collection<String> applicationIds() {
        return applications.keySet();
    }

    Optional<Application> application(String id) {
        return Optional.ofNullable(applications.get(id));
    }

    /** The key with id {@code keyId}, or null. */
    OwnedKey keyById(String keyId) {
        return keysById.get(keyId);
    }

    /** Every key by key id. */
    Map<String, OwnedKey> keysById() {
        return keysById;
    }

    /** This version with {@code application} added, or replacing the application of the same id. */
    Tenants with(Application application) {
        TreeMap<String, Application> changed = new TreeMap<>(applications);
        changed.put(application.id(), application);
        return new Tenants(generation, changed);
    }

    Tenants without(String applicationId) {
        TreeMap<String, Application> changed = new TreeMap<>(applications);
        changed.remove(applicationId);
        return new Tenants(generation, changed);
    }

    Tenants withGeneration(long newGeneration) {
        return new Tenants(newGeneration, applications);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Tenants tenants && generation == tenants.generation
                && applications.equals(tenants.applications);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(generation) * 31 + applications.hashCode();
    }

    @Override
    public String toString() {
        return "Tenants[generation " + generation + ", " + applications.values() + "]";
    }
}
