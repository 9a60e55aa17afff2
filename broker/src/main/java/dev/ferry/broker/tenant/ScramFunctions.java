package dev.ferry.broker.tenant;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The functions of RFC 5802 section 3 for one hash function: {@code Hi} (PBKDF2 with HMAC), the derived
 * {@code ClientKey}, {@code StoredKey} and {@code ServerKey}, and the check of a client's proof.
 *
 * <p>Passwords here are API keys, which are ASCII, so SASLprep leaves them unchanged and they are used as their UTF-8
 * bytes.
 *
 * <p><b>Thread-safety:</b> immutable; each call creates its own {@link Mac} and {@link MessageDigest}.
 */
final class ScramFunctions {

    private static final byte[] CLIENT_KEY = "Client Key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER_KEY = "Server Key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FIRST_BLOCK = {0, 0, 0, 1};

    private final String digestAlgorithm;
    private final String hmacAlgorithm;

    /** Functions over any hash the JDK has, e.g. SHA-1 for RFC 5802's own test vectors. */
    ScramFunctions(String digestAlgorithm, String hmacAlgorithm) {
        this.digestAlgorithm = digestAlgorithm;
        this.hmacAlgorithm = hmacAlgorithm;
    }

    static ScramFunctions of(ScramMechanism mechanism) {
        return new ScramFunctions(mechanism.digestAlgorithm(), mechanism.hmacAlgorithm());
    }

    /** {@code StoredKey} and {@code ServerKey} of {@code password}: what the server keeps of it. */
    ScramKeys derive(String password, byte[] salt, int iterations) {
        byte[] saltedPassword = hi(password.getBytes(StandardCharsets.UTF_8), salt, iterations);
        return new ScramKeys(hash(hmac(saltedPassword, CLIENT_KEY)), hmac(saltedPassword, SERVER_KEY));
    }

    /**
     * Whether {@code clientProof} proves knowledge of the password behind {@code keys} for this exchange:
     * {@code H(ClientProof XOR HMAC(StoredKey, AuthMessage)) == StoredKey}, compared in constant time.
     */
    boolean verifyClientProof(ScramKeys keys, byte[] authMessage, byte[] clientProof) {
        byte[] storedKey = keys.storedKey();
        byte[] clientSignature = hmac(storedKey, authMessage);
        if (clientProof.length != clientSignature.length) {
            return false;
        }
        byte[] clientKey = new byte[clientSignature.length];
        for (int i = 0; i < clientKey.length; i++) {
            clientKey[i] = (byte) (clientProof[i] ^ clientSignature[i]);
        }
        return MessageDigest.isEqual(hash(clientKey), storedKey);
    }

    /** {@code ServerSignature = HMAC(ServerKey, AuthMessage)}: proves to the client that the server knows its key. */
    byte[] serverSignature(ScramKeys keys, byte[] authMessage) {
        return hmac(keys.serverKey(), authMessage);
    }

    /** {@code Hi(str, salt, i)}: PBKDF2 with this HMAC and one output block. */
    byte[] hi(byte[] password, byte[] salt, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive: " + iterations);
        }
        Mac mac = mac(password);
        mac.update(salt);
        byte[] u = mac.doFinal(FIRST_BLOCK);
        byte[] result = u.clone();
        for (int i = 1; i < iterations; i++) {
            u = mac.doFinal(u);
            for (int j = 0; j < result.length; j++) {
                result[j] ^= u[j];
            }
        }
        return result;
    }

    byte[] hmac(byte[] key, byte[] data) {
        return mac(key).doFinal(data);
    }

    byte[] hash(byte[] data) {
        try {
            return MessageDigest.getInstance(digestAlgorithm).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM lacks " + digestAlgorithm, e);
        }
    }

    private Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(hmacAlgorithm);
            mac.init(new SecretKeySpec(key, hmacAlgorithm));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM lacks " + hmacAlgorithm, e);
        }
    }
}
