package dev.ferry.broker.tenant;

import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Makes the random material of the registry: new applications with their SCRAM salt, and new keys with everything
 * the registry stores of them. Deriving a key's SCRAM keys runs {@link ScramMechanism#DEFAULT_ITERATIONS} HMACs per
 * mechanism, a few milliseconds; it happens once per key, on the command line, never on the broker.
 *
 * <p><b>Thread-safety:</b> safe for concurrent use.
 */
final class KeyIssuer {

    private final SecureRandom random;

    KeyIssuer(SecureRandom random) {
        this.random = random;
    }

    /** A new application without keys or settings, with a fresh SCRAM salt. */
    Application newApplication(String id, long nowMs) {
        return new Application(id, nowMs, randomBytes(Application.SCRAM_SALT_BYTES),
                ScramMechanism.DEFAULT_ITERATIONS, Map.of(), Map.of());
    }

    /**
     * A new key for {@code application}; the application itself is not changed.
     *
     * @param keyIdInUse whether a key id is taken already, by any application: a new id is drawn until it is not
     */
    IssuedKey issue(Application application, String name, Role role, long nowMs, Predicate<String> keyIdInUse) {
        String keyId;
        do {
            keyId = KeyFormat.newKeyId(random);
        } while (keyIdInUse.test(keyId));
        String key = KeyFormat.compose(keyId, KeyFormat.newSecret(random));
        byte[] hashSalt = randomBytes(ApiKey.HASH_SALT_BYTES);
        Map<ScramMechanism, ScramKeys> scram = new EnumMap<>(ScramMechanism.class);
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            scram.put(mechanism, ScramFunctions.of(mechanism).derive(key, application.scramSalt(),
                    application.scramIterations()));
        }
        ApiKey apiKey = new ApiKey(name, keyId, role, nowMs, hashSalt, ApiKey.hash(hashSalt, key), scram);
        return new IssuedKey(application.id(), apiKey, key);
    }

    private byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }
}
