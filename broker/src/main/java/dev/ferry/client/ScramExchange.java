package dev.ferry.client;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of SCRAM (RFC 5802), as SCRAM-SHA-256 and SCRAM-SHA-512 (RFC 7677) are used by Kafka: no channel
 * binding ({@code n,,}), no authorization id, no extensions.
 *
 * <pre>
 *   client-first  n,,n=USER,r=CLIENT-NONCE
 *   server-first  r=CLIENT-NONCE+SERVER-NONCE,s=SALT,i=ITERATIONS
 *   client-final  c=biws,r=NONCE,p=base64(ClientKey XOR HMAC(H(ClientKey), AuthMessage))
 *   server-final  v=base64(HMAC(ServerKey, AuthMessage))     (or e=ERROR)
 * </pre>
 * The exchange fails when the server's nonce does not extend the client's, when it asks for fewer than
 * {@value #MIN_ITERATIONS} iterations (as Kafka's client refuses), or when its signature does not prove it knows the
 * salted password. The password is not normalized with SASLprep, as in Kafka. Not thread-safe; one per connection.
 */
final class ScramExchange implements SaslExchange {

    /** Kafka's minimum iteration count for both SHA-256 and SHA-512. */
    static final int MIN_ITERATIONS = 4096;

    private static final int NONCE_BYTES = 24;
    private static final String GS2_HEADER = "n,,";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String digestName;
    private final String macName;
    private final String username;
    private final String password;
    private final String clientNonce;
    private State state = State.INITIAL;
    private String clientFirstBare;
    private byte[] expectedServerSignature;

    private enum State {
        INITIAL, SENT_CLIENT_FIRST, SENT_CLIENT_FINAL, COMPLETE
    }

    /**
     * An exchange with a chosen nonce; tests use it to replay published vectors.
     *
     * @param digestName  the JCA digest, e.g. {@code SHA-256}
     * @param macName     the JCA HMAC of the same hash, e.g. {@code HmacSHA256}
     * @param clientNonce printable characters other than a comma
     */
    ScramExchange(String digestName, String macName, String username, String password, String clientNonce) {
        this.digestName = digestName;
        this.macName = macName;
        this.username = username;
        this.password = password;
        this.clientNonce = clientNonce;
    }

    static ScramExchange sha256(String username, String password) {
        return new ScramExchange("SHA-256", "HmacSHA256", username, password, randomNonce());
    }

    static ScramExchange sha512(String username, String password) {
        return new ScramExchange("SHA-512", "HmacSHA512", username, password, randomNonce());
    }

    private static String randomNonce() {
        byte[] bytes = new byte[NONCE_BYTES];
        RANDOM.nextBytes(bytes);
        // base64 never contains the comma that separates SCRAM attributes
        return Base64.getEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public byte[] initialResponse() {
        if (state != State.INITIAL) {
            throw new IllegalStateException("The first message was already sent");
        }
        clientFirstBare = "n=" + saslName(username) + ",r=" + clientNonce;
        state = State.SENT_CLIENT_FIRST;
        return utf8(GS2_HEADER + clientFirstBare);
    }

    @Override
    public byte[] evaluate(byte[] challenge) {
        return switch (state) {
            case SENT_CLIENT_FIRST -> clientFinal(new String(challenge, StandardCharsets.UTF_8));
            case SENT_CLIENT_FINAL -> {
                verifyServerFinal(new String(challenge, StandardCharsets.UTF_8));
                yield null;
            }
            default -> throw new AuthenticationFailedException("SCRAM: unexpected server message in state " + state);
        };
    }

    @Override
    public boolean isComplete() {
        return state == State.COMPLETE;
    }

    private byte[] clientFinal(String serverFirst) {
        Map<Character, String> attributes = attributes(serverFirst);
        if (attributes.containsKey('e')) {
            throw new AuthenticationFailedException("SCRAM authentication failed: " + attributes.get('e'));
        }
        String nonce = required(attributes, 'r', serverFirst);
        String salt = required(attributes, 's', serverFirst);
        int iterations;
        try {
            iterations = Integer.parseInt(required(attributes, 'i', serverFirst));
        } catch (NumberFormatException e) {
            throw new AuthenticationFailedException("SCRAM: the server sent a malformed iteration count");
        }
        if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
            throw new AuthenticationFailedException("SCRAM: the server's nonce does not extend the client's");
        }
        if (iterations < MIN_ITERATIONS) {
            throw new AuthenticationFailedException("SCRAM: the server asked for " + iterations
                    + " iterations, fewer than the minimum " + MIN_ITERATIONS);
        }
        byte[] saltBytes;
        try {
            saltBytes = Base64.getDecoder().decode(salt);
        } catch (IllegalArgumentException e) {
            throw new AuthenticationFailedException("SCRAM: the server sent a salt that is not base64");
        }
        byte[] saltedPassword = hi(utf8(password), saltBytes, iterations);
        byte[] clientKey = hmac(saltedPassword, utf8("Client Key"));
        byte[] storedKey = digest(clientKey);
        String channelBinding = Base64.getEncoder().encodeToString(utf8(GS2_HEADER));
        String clientFinalWithoutProof = "c=" + channelBinding + ",r=" + nonce;
        byte[] authMessage = utf8(clientFirstBare + "," + serverFirst + "," + clientFinalWithoutProof);
        byte[] clientSignature = hmac(storedKey, authMessage);
        byte[] proof = xor(clientKey, clientSignature);
        byte[] serverKey = hmac(saltedPassword, utf8("Server Key"));
        expectedServerSignature = hmac(serverKey, authMessage);
        state = State.SENT_CLIENT_FINAL;
        return utf8(clientFinalWithoutProof + ",p=" + Base64.getEncoder().encodeToString(proof));
    }

    private void verifyServerFinal(String serverFinal) {
        Map<Character, String> attributes = attributes(serverFinal);
        if (attributes.containsKey('e')) {
            throw new AuthenticationFailedException("SCRAM authentication failed: " + attributes.get('e'));
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(required(attributes, 'v', serverFinal));
        } catch (IllegalArgumentException e) {
            throw new AuthenticationFailedException("SCRAM: the server sent a signature that is not base64");
        }
        if (!MessageDigest.isEqual(signature, expectedServerSignature)) {
            throw new AuthenticationFailedException("SCRAM: the server's signature is wrong; it does not know the "
                    + "credentials");
        }
        state = State.COMPLETE;
    }

    /** RFC 5802 saslname: {@code =} and {@code ,} escaped as {@code =3D} and {@code =2C}. */
    static String saslName(String username) {
        return username.replace("=", "=3D").replace(",", "=2C");
    }

    private static Map<Character, String> attributes(String message) {
        Map<Character, String> attributes = new HashMap<>();
        for (String part : message.split(",")) {
            if (part.length() >= 2 && part.charAt(1) == '=') {
                attributes.putIfAbsent(part.charAt(0), part.substring(2));
            }
        }
        return attributes;
    }

    private static String required(Map<Character, String> attributes, char name, String message) {
        String value = attributes.get(name);
        if (value == null || value.isEmpty()) {
            throw new AuthenticationFailedException("SCRAM: the server's message lacks '" + name + "='");
        }
        return value;
    }

    /** RFC 5802 Hi(): PBKDF2 with this exchange's HMAC and an output of one hash length. */
    private byte[] hi(byte[] secret, byte[] salt, int iterations) {
        byte[] block = new byte[salt.length + Integer.BYTES];
        System.arraycopy(salt, 0, block, 0, salt.length);
        block[block.length - 1] = 1;
        byte[] u = hmac(secret, block);
        byte[] result = u.clone();
        for (int i = 1; i < iterations; i++) {
            u = hmac(secret, u);
            for (int b = 0; b < result.length; b++) {
                result[b] ^= u[b];
            }
        }
        return result;
    }

    private byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(macName);
            mac.init(new SecretKeySpec(key, macName));
            return mac.doFinal(data);
        } catch (IllegalArgumentException e) {
            // SecretKeySpec refuses an empty key, which only an empty password produces
            throw new AuthenticationFailedException("SCRAM: the password is empty");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JVM lacks " + macName, e);
        }
    }

    private byte[] digest(byte[] data) {
        try {
            return MessageDigest.getInstance(digestName).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JVM lacks " + digestName, e);
        }
    }

    private static byte[] xor(byte[] left, byte[] right) {
        byte[] result = new byte[left.length];
        for (int i = 0; i < result.length; i++) {
            result[i] = (byte) (left[i] ^ right[i]);
        }
        return result;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
