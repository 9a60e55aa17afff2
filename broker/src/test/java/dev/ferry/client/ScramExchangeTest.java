package dev.ferry.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The SCRAM exchange replayed against the published test vectors of RFC 7677 (SHA-256) and RFC 5802 (SHA-1). */
class ScramExchangeTest {

    private static final String RFC7677_CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO";
    private static final String RFC7677_SERVER_FIRST =
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    private static final String RFC7677_CLIENT_FINAL = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private static final String RFC7677_SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    private static ScramExchange rfc7677() {
        return new ScramExchange("SHA-256", "HmacSHA256", "user", "pencil", RFC7677_CLIENT_NONCE);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void shouldReproduceTheRfc7677Sha256Exchange() {
        ScramExchange exchange = rfc7677();

        assertEquals("n,,n=user,r=rOprNGfwEbeRWgbNEkqO", text(exchange.initialResponse()));
        assertEquals(RFC7677_CLIENT_FINAL, text(exchange.evaluate(utf8(RFC7677_SERVER_FIRST))));
        assertFalse(exchange.isComplete());
        assertNull(exchange.evaluate(utf8(RFC7677_SERVER_FINAL)));
        assertTrue(exchange.isComplete());
    }

    @Test
    void shouldReproduceTheRfc5802Sha1Exchange() {
        ScramExchange exchange = new ScramExchange("SHA-1", "HmacSHA1", "user", "pencil",
                "fyko+d2lbbFgONRv9qkxdawL");

        assertEquals("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL", text(exchange.initialResponse()));
        assertEquals("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
                text(exchange.evaluate(utf8(
                        "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096"))));
        assertNull(exchange.evaluate(utf8("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=")));
        assertTrue(exchange.isComplete());
    }

    @Test
    void shouldRefuseAServerSignatureThatDoesNotProveItKnowsThePassword() {
        ScramExchange exchange = rfc7677();
        exchange.initialResponse();
        exchange.evaluate(utf8(RFC7677_SERVER_FIRST));

        AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class,
                () -> exchange.evaluate(utf8("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")));
        assertEquals("SCRAM: the server's signature is wrong; it does not know the credentials", e.getMessage());
        assertFalse(exchange.isComplete());
    }

    @Test
    void shouldRefuseAServerNonceThatDoesNotExtendTheClients() {
        ScramExchange exchange = rfc7677();
        exchange.initialResponse();

        AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class,
                () -> exchange.evaluate(utf8("r=somebodyElse%hvYD,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")));
        assertEquals("SCRAM: the server's nonce does not extend the client's", e.getMessage());
    }

    @Test
    void shouldRefuseFewerIterationsThanKafkaAllows() {
        ScramExchange exchange = rfc7677();
        exchange.initialResponse();

        AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class, () -> exchange.evaluate(
                utf8("r=rOprNGfwEbeRWgbNEkqO%hvYD,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1000")));
        assertEquals("SCRAM: the server asked for 1000 iterations, fewer than the minimum 4096", e.getMessage());
    }

    @Test
    void shouldReportTheServersErrorAttribute() {
        ScramExchange exchange = rfc7677();
        exchange.initialResponse();
        exchange.evaluate(utf8(RFC7677_SERVER_FIRST));

        AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class,
                () -> exchange.evaluate(utf8("e=invalid-proof")));
        assertEquals("SCRAM authentication failed: invalid-proof", e.getMessage());
    }

    @Test
    void shouldEscapeCommaAndEqualsInTheUserName() {
        assertEquals("a=2Cb=3Dc", ScramExchange.saslName("a,b=c"));
        ScramExchange exchange = new ScramExchange("SHA-256", "HmacSHA256", "a,b=c", "pw", "nonce");
        assertEquals("n,,n=a=2Cb=3Dc,r=nonce", text(exchange.initialResponse()));
    }

    @Test
    void shouldUseAFreshPrintableNonceForEachExchange() {
        String first = text(ScramExchange.sha512("u", "p").initialResponse());
        String second = text(ScramExchange.sha512("u", "p").initialResponse());

        assertTrue(first.startsWith("n,,n=u,r="), first);
        assertFalse(first.substring(9).contains(","), first);
        assertTrue(!first.equals(second), "two exchanges drew the same nonce");
    }

    @Test
    void shouldSendPlainCredentialsAsTheRfc4616Message() {
        PlainExchange exchange = new PlainExchange("alice", "s3cret");

        assertArrayEquals(utf8("\0alice\0s3cret"), exchange.initialResponse());
        assertNull(exchange.evaluate(new byte[0]));
        assertTrue(exchange.isComplete());
    }
}
