package dev.ferry.broker.tenant;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * The text of an API key: {@code <keyId>.<secret>}, both parts random bytes in URL-safe base64 without padding.
 *
 * <pre>
 *   Xq3vT0b_kR2m.3Jc9yBv1LwQn8Kd0sZpE4uTa6Hf-MoWi
 *   \__________/ \______________________________/
 *   key id: 9 bytes,  secret: 24 bytes (192 bits),
 *   12 characters     32 characters
 * </pre>
 *
 * <p>The key id is public: it names the key in the registry and in logs, and lets authentication find the one stored
 * record to check in a hash map, so the cost of checking a key does not grow with the number of keys. The secret
 * alone carries the security: 192 bits from {@link SecureRandom}. A key is made only of {@code [A-Za-z0-9_-]} and
 * one '.', so it is a valid Kafka {@code client.id}, SASL password and command-line argument (it never starts with
 * '-', which a shell command would take for an option).
 *
 * <p><b>Thread-safety:</b> stateless; {@link SecureRandom} is thread-safe.
 */
final class KeyFormat {

    static final int KEY_ID_BYTES = 9;
    static final int SECRET_BYTES = 24;
    static final int KEY_ID_LENGTH = KEY_ID_BYTES / 3 * 4;
    static final int SECRET_LENGTH = SECRET_BYTES / 3 * 4;
    static final char SEPARATOR = '.';
    /** The length of every key. */
    static final int LENGTH = KEY_ID_LENGTH + 1 + SECRET_LENGTH;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private KeyFormat() {
    }

    /** A new random key id, never starting with '-'. */
    static String newKeyId(SecureRandom random) {
        while (true) {
            String id = randomText(random, KEY_ID_BYTES);
            if (id.charAt(0) != '-') {
                return id;
            }
        }
    }

    /** A new random secret. */
    static String newSecret(SecureRandom random) {
        return randomText(random, SECRET_BYTES);
    }

    static String compose(String keyId, String secret) {
        return keyId + SEPARATOR + secret;
    }

    /**
     * The key id of {@code key}, or null when {@code key} is not shaped like a key (wrong length, no separator where
     * expected, a character outside URL-safe base64): such a string is rejected without a lookup.
     */
    static String keyIdOf(String key) {
        if (key == null || key.length() != LENGTH || key.charAt(KEY_ID_LENGTH) != SEPARATOR) {
            return null;
        }
        for (int i = 0; i < LENGTH; i++) {
            if (i != KEY_ID_LENGTH && !isBase64UrlChar(key.charAt(i))) {
                return null;
            }
        }
        return key.substring(0, KEY_ID_LENGTH);
    }

    private static String randomText(SecureRandom random, int bytes) {
        byte[] raw = new byte[bytes];
        random.nextBytes(raw);
        return ENCODER.encodeToString(raw);
    }

    private static boolean isBase64UrlChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }
}
