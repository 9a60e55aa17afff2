package dev.ferry.broker.tenant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyIssuerTest {

    private final KeyIssuer issuer = new KeyIssuer(new SecureRandom());
    private final Application acme = issuer.newApplication("acme", 1_000);

    @Test
    void shouldGiveEachApplicationItsOwnSaltAndTheDefaultIterations() {
        Application other = issuer.newApplication("other", 1_000);

        assertEquals(Application.SCRAM_SALT_BYTES, acme.scramSalt().length);
        assertFalse(Arrays.equals(acme.scramSalt(), other.scramSalt()));
        assertEquals(4096, acme.scramIterations());
        assertEquals(List.of(), acme.keys());
    }

    @Test
    void shouldIssueAKeyThatMatchesItselfAndNothingElse() {
        IssuedKey issued = issuer.issue(acme, "ci", Role.PRODUCE, 2_000, id -> false);
        ApiKey key = issued.apiKey();

        assertEquals("acme", issued.applicationId());
        assertEquals("ci", key.name());
        assertEquals(Role.PRODUCE, key.role());
        assertEquals(2_000, key.createdMs());
        assertEquals(KeyFormat.keyIdOf(issued.key()), key.keyId());
        assertTrue(key.matches(issued.key()));
        String text = issued.key();
        String allButLast = text.substring(0, text.length() - 1);
        assertFalse(key.matches(allButLast + (text.endsWith("A") ? "B" : "A")));
        assertFalse(key.matches(allButLast));
        assertFalse(key.matches(""));
    }

    @Test
    void shouldStoreOnlySaltedHashesOfTheKey() {
        IssuedKey first = issuer.issue(acme, "a", Role.ALL, 0, id -> false);
        IssuedKey second = issuer.issue(acme, "b", Role.ALL, 0, id -> false);
        ApiKey key = first.apiKey();

        assertEquals(ApiKey.HASH_SALT_BYTES, key.hashSalt().length);
        assertFalse(Arrays.equals(key.hashSalt(), second.apiKey().hashSalt()), "each key has its own salt");
        assertArrayEquals(ApiKey.hash(key.hashSalt(), first.key()), key.keyHash());
        assertFalse(Arrays.equals(ApiKey.hash(new byte[ApiKey.HASH_SALT_BYTES], first.key()), key.keyHash()),
                "the salt takes part in the hash");
        byte[] file = TenantFile.encode(Tenants.empty().with(acme.withKey(key)));
        String secret = first.key().substring(KeyFormat.KEY_ID_LENGTH + 1);
        assertFalse(contains(file, secret.getBytes(StandardCharsets.US_ASCII)), "the file never holds the secret");
        assertFalse(first.toString().contains(secret), first.toString());
        assertFalse(key.toString().contains(secret), key.toString());
    }

    @Test
    void shouldDeriveScramKeysOfEveryMechanismWithTheApplicationSalt() {
        IssuedKey issued = issuer.issue(acme, "ci", Role.CONSUME, 0, id -> false);

        assertEquals(EnumSet.allOf(ScramMechanism.class), issued.apiKey().scramKeys().keySet());
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            assertEquals(ScramFunctions.of(mechanism).derive(issued.key(), acme.scramSalt(), 4096),
                    issued.apiKey().scramKeys().get(mechanism), mechanism.mechanismName());
        }
    }

    @Test
    void shouldDrawAnotherKeyIdWhileTheDrawnOneIsTaken() {
        Deque<String> refused = new ArrayDeque<>();
        IssuedKey issued = issuer.issue(acme, "ci", Role.ALL, 0, id -> {
            if (refused.size() < 3) {
                refused.add(id);
                return true;
            }
            return false;
        });

        assertEquals(3, refused.size());
        assertFalse(refused.contains(issued.apiKey().keyId()));
        assertNotEquals(refused.peekFirst(), refused.peekLast());
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }
}
