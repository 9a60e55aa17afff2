package dev.ferry.broker.tenant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.junit.jupiter.api.Test;

class ScramFunctionsTest {

    /** RFC 5802 section 5: SCRAM-SHA-1, user "user", password "pencil". */
    private static final Exchange RFC_5802 = new Exchange(
            "n=user,r=fyko+d2lbbFgONRv9qkxdawL",
            "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
            "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j",
            "QSXCR+Q6sek8bf92", "v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=", "rmF9pqV8S7suAoZWja4dJRkFsKQ=");

    /** RFC 7677 section 3: SCRAM-SHA-256, user "user", password "pencil". */
    private static final Exchange RFC_7677 = new Exchange(
            "n=user,r=rOprNGfwEbeRWgbNEkqO",
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0",
            "W22ZaJ0SNY7soEsUEjb6gQ==", "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
            "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");

    @Test
    void shouldVerifyTheClientProofAndSignLikeRfc5802() {
        assertExchange(new ScramFunctions("SHA-1", "HmacSHA1"), RFC_5802);
    }

    @Test
    void shouldVerifyTheClientProofAndSignLikeRfc7677() {
        assertExchange(ScramFunctions.of(ScramMechanism.SCRAM_SHA_256), RFC_7677);
    }

    @Test
    void shouldRefuseAProofMadeWithAnotherPasswordOrForAnotherExchange() {
        ScramFunctions sha256 = ScramFunctions.of(ScramMechanism.SCRAM_SHA_256);
        ScramKeys pencil = sha256.derive("pencil", RFC_7677.salt(), 4096);
        ScramKeys pen = sha256.derive("pen", RFC_7677.salt(), 4096);
        byte[] proof = RFC_7677.proof();

        assertFalse(sha256.verifyClientProof(pen, RFC_7677.authMessage(), proof));
        byte[] otherExchange = RFC_7677.authMessage();
        otherExchange[otherExchange.length - 1] ^= 1;
        assertFalse(sha256.verifyClientProof(pencil, otherExchange, proof));
        byte[] flipped = proof.clone();
        flipped[0] ^= 1;
        assertFalse(sha256.verifyClientProof(pencil, RFC_7677.authMessage(), flipped));
        assertFalse(sha256.verifyClientProof(pencil, RFC_7677.authMessage(), Arrays.copyOf(proof, 31)));
        assertFalse(sha256.verifyClientProof(pencil, RFC_7677.authMessage(), new byte[0]));
    }

    @Test
    void shouldDeriveTheSameKeysAsKafkaForEveryMechanism() throws Exception {
        byte[] salt = "a salt of some length".getBytes(StandardCharsets.UTF_8);
        String password = "Xq3vT0b_kR2m.3Jc9yBv1LwQn8Kd0sZpE4uTa6Hf-MoWi";
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            ScramFormatter kafka = new ScramFormatter(
                    org.apache.kafka.common.security.scram.internals.ScramMechanism.forMechanismName(
                            mechanism.mechanismName()));
            byte[] saltedPassword = kafka.saltedPassword(password, salt, 4096);

            ScramKeys ours = ScramFunctions.of(mechanism).derive(password, salt, 4096);

            assertArrayEquals(kafka.storedKey(kafka.clientKey(saltedPassword)), ours.storedKey(),
                    mechanism.mechanismName());
            assertArrayEquals(kafka.serverKey(saltedPassword), ours.serverKey(), mechanism.mechanismName());
        }
    }

    private static void assertExchange(ScramFunctions functions, Exchange exchange) {
        ScramKeys keys = functions.derive("pencil", exchange.salt(), 4096);

        assertTrue(functions.verifyClientProof(keys, exchange.authMessage(), exchange.proof()));
        assertArrayEquals(exchange.serverSignature(), functions.serverSignature(keys, exchange.authMessage()));
    }

    /** The messages of one exchange, without the gs2 header and proof that AuthMessage leaves out. */
    private record Exchange(String clientFirstBare, String serverFirst, String clientFinalWithoutProof,
                            String saltBase64, String proofBase64, String serverSignatureBase64) {

        byte[] authMessage() {
            return (clientFirstBare + "," + serverFirst + "," + clientFinalWithoutProof)
                    .getBytes(StandardCharsets.UTF_8);
        }

        byte[] salt() {
            return Base64.getDecoder().decode(saltBase64);
        }

        byte[] proof() {
            return Base64.getDecoder().decode(proofBase64);
        }

        byte[] serverSignature() {
            return Base64.getDecoder().decode(serverSignatureBase64);
        }
    }
}
