package dev.ferry.broker.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyFormatTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void shouldComposeAKeyIdAndA192BitSecretFromClientIdCharacters() {
        String keyId = KeyFormat.newKeyId(random);
        String secret = KeyFormat.newSecret(random);
        String key = KeyFormat.compose(keyId, secret);

        assertEquals(45, key.length());
        assertEquals(keyId + "." + secret, key);
        assertTrue(key.matches("[A-Za-z0-9_-]{12}\\.[A-Za-z0-9_-]{32}"), key);
        assertEquals(24, Base64.getUrlDecoder().decode(secret).length, "192 bits of secret");
        assertEquals(9, Base64.getUrlDecoder().decode(keyId).length);
    }

    @Test
    void shouldNeverRepeatAKeyOrStartOneWithADash() {
        Set<String> keys = new HashSet<>();
        Set<String> secrets = new HashSet<>();
        for (int i = 0; i < 5_000; i++) {
            String keyId = KeyFormat.newKeyId(random);
            String secret = KeyFormat.newSecret(random);
            assertNotEquals('-', keyId.charAt(0), keyId);
            assertTrue(keys.add(keyId));
            assertTrue(secrets.add(secret));
        }
    }

    @Test
    void shouldSpreadSecretBitsEvenly() {
        // 2,000 secrets of 192 bits: each bit position is set about half the time; 6 sigma is 134
        int samples = 2_000;
        int[] ones = new int[KeyFormat.SECRET_BYTES * 8];
        for (int i = 0; i < samples; i++) {
            byte[] bits = Base64.getUrlDecoder().decode(KeyFormat.newSecret(random));
            for (int bit = 0; bit < ones.length; bit++) {
                ones[bit] += (bits[bit / 8] >> (bit % 8)) & 1;
            }
        }
        for (int bit = 0; bit < ones.length; bit++) {
            assertTrue(Math.abs(ones[bit] - samples / 2) < 134, "bit " + bit + " set " + ones[bit] + " times");
        }
    }

    @Test
    void shouldReadTheKeyIdOfAWellFormedKey() {
        String key = KeyFormat.compose("Xq3vT0b_kR2m", "3Jc9yBv1LwQn8Kd0sZpE4uTa6Hf-MoWi");

        assertEquals("Xq3vT0b_kR2m", KeyFormat.keyIdOf(key));
    }

    @Test
    void shouldRejectStringsNotShapedLikeAKey() {
        String good = KeyFormat.compose("Xq3vT0b_kR2m", "3Jc9yBv1LwQn8Kd0sZpE4uTa6Hf-MoWi");

        assertNull(KeyFormat.keyIdOf(null));
        assertNull(KeyFormat.keyIdOf(""));
        assertNull(KeyFormat.keyIdOf("consumer-1"));
        assertNull(KeyFormat.keyIdOf(good + "x"));
        assertNull(KeyFormat.keyIdOf(good.substring(1)));
        assertNull(KeyFormat.keyIdOf(good.replace('.', '_')));
        assertNull(KeyFormat.keyIdOf(good.replace('3', '.')));
        assertNull(KeyFormat.keyIdOf(good.replace('X', '+')), "standard base64 is not URL-safe base64");
    }
}
