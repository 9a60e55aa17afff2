package dev.ferry.broker.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Salts for applications that do not exist, so that a SCRAM server-first-message looks the same whether or not the
 * application does, and a client cannot learn which application ids exist: the exchange then fails at the
 * client-final-message, as for a wrong key.
 *
 * <p>A decoy salt is {@code HMAC-SHA-256(secret, application id)} under a secret drawn once per process: the same id
 * always gets the same salt, as a real application's would, and the salt reveals nothing of the secret. Its 32 bytes
 * are as long as a real application's salt.
 *
 * <p><b>Thread-safety:</b> immutable; each call creates its own {@link Mac}.
 */
final class ScramDecoyCredentials {

    /** The decoys of this process. */
    static final ScramDecoyCredentials PROCESS = new ScramDecoyCredentials(randomSecret());

    private static final String HMAC = "HmacSHA256";
    private static final int SECRET_BYTES = 32;

    private final SecretKeySpec secret;

    ScramDecoyCredentials(byte[] secret) {
        this.secret = new SecretKeySpec(secret, HMAC);
    }

    /** The salt to name for the application {@code id} that does not exist. */
    byte[] salt(String id) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(secret);
            return mac.doFinal(id.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM lacks " + HMAC, e);
        }
    }

    private static byte[] randomSecret() {
        byte[] secret = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        return secret;
    }
}
