package dev.ferry.broker.tenant;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * One key of an application as the registry stores it: its name, public id and role, and only salted hashes of the
 * key itself, never the key.
 *
 * <p>Two hashes are kept. For a key presented as {@code client.id} or SASL/PLAIN password, {@code SHA-256(salt ||
 * key)} with a salt of the key's own, compared in constant time: a single fast hash is enough because the secret has
 * 192 random bits, far beyond exhaustive search, so a deliberately slow hash would only cost every connection time
 * (it is what slows the guessing of human passwords, which these are not). For SCRAM, the {@code StoredKey} and
 * {@code ServerKey} of each {@link ScramMechanism}, derived once when the key is issued.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class ApiKey {

    /** Bytes of the per-key salt of {@link #matches}' hash. */
    static final int HASH_SALT_BYTES = 16;

    private static final String HASH_ALGORITHM = "SHA-256";

    private final String name;
    private final String keyId;
    private final Role role;
    private final long createdMs;
    private final byte[] hashSalt;
    private final byte[] keyHash;
    private final Map<ScramMechanism, ScramKeys> scramKeys;

    ApiKey(String name, String keyId, Role role, long createdMs, byte[] hashSalt, byte[] keyHash,
           Map<ScramMechanism, ScramKeys> scramKeys) {
        this.name = TenantNames.validateKeyName(name);
        this.keyId = Objects.requireNonNull(keyId, "keyId");
        this.role = Objects.requireNonNull(role, "role");
        this.createdMs = createdMs;
        this.hashSalt = hashSalt.clone();
        this.keyHash = keyHash.clone();
        EnumMap<ScramMechanism, ScramKeys> copy = new EnumMap<>(ScramMechanism.class);
        copy.putAll(scramKeys);
        this.scramKeys = Collections.unmodifiableMap(copy);
    }

    /** The key's name, unique within its application. */
    public String name() {
        return name;
    }

    /** The key's public id: the part of the key before the '.', unique across all applications. */
    public String keyId() {
        return keyId;
    }

    public Role role() {
        return role;
    }

    /** When the key was issued (or last regenerated), in milliseconds since the epoch. */
    public long createdMs() {
        return createdMs;
    }

    /** The principal a connection authenticated with this key acts as. */
    public Principal principal(String applicationId) {
        return new Principal(applicationId, name, keyId, role);
    }

    /** Whether {@code key} is this key, compared by salted hash in constant time. */
    boolean matches(String key) {
        return MessageDigest.isEqual(hash(hashSalt, key), keyHash);
    }

    byte[] hashSalt() {
        return hashSalt.clone();
    }

    byte[] keyHash() {
        return keyHash.clone();
    }

    /** The SCRAM keys of every mechanism, by mechanism. */
    Map<ScramMechanism, ScramKeys> scramKeys() {
        return scramKeys;
    }

    /** The salted hash {@link #matches} compares: {@code SHA-256(salt || UTF-8 of key)}. */
    static byte[] hash(byte[] salt, String key) {
        try {
            MessageDigest digest = MessageDigest.getInstance(HASH_ALGORITHM);
            digest.update(salt);
            return digest.digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM lacks " + HASH_ALGORITHM, e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ApiKey key && name.equals(key.name) && keyId.equals(key.keyId) && role == key.role
                && createdMs == key.createdMs && Arrays.equals(hashSalt, key.hashSalt)
                && Arrays.equals(keyHash, key.keyHash) && scramKeys.equals(key.scramKeys);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, keyId, role, createdMs);
    }

    /** Names the key; holds no secret. */
    @Override
    public String toString() {
        return "ApiKey[" + name + ", id " + keyId + ", " + role.label() + "]";
    }
}
