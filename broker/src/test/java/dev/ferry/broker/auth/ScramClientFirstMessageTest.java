package dev.ferry.broker.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScramClientFirstMessageTest {

    @Test
    void shouldSplitTheGs2HeaderFromTheBareMessageAsSent() throws Exception {
        ScramClientFirstMessage message = parse("n,a=acme,n=acme,r=fyko+d2lbbFgONRv9qkxdawL,tokenauth=false");

        assertEquals("n,a=acme,", message.gs2Header());
        assertEquals("acme", message.authorizationId());
        assertEquals("acme", message.username());
        assertEquals("fyko+d2lbbFgONRv9qkxdawL", message.nonce());
        assertEquals("n=acme,r=fyko+d2lbbFgONRv9qkxdawL,tokenauth=false", message.bare());
        assertEquals(Map.of("tokenauth", "false"), message.extensions());
    }

    @Test
    void shouldDecodeEscapedCommasAndEqualsSignsInNames() throws Exception {
        ScramClientFirstMessage message = parse("y,a=a=2Cb=3Dc,n=a=2Cb=3Dc,r=abc");

        assertEquals("y,a=a=2Cb=3Dc,", message.gs2Header());
        assertEquals("a,b=c", message.authorizationId());
        assertEquals("a,b=c", message.username());
        assertEquals("", parse("n,,n=acme,r=abc").authorizationId());
    }

    @Test
    void shouldRefuseInvalidEscapesRepeatedExtensionsAndNonUtf8() {
        for (String text : new String[] {"n,,n=a=2c,r=abc", "n,,n=a=,r=abc", "n,,n=a=3,r=abc",
            "n,,n=acme,r=abc,x=1,x=2", "n,,n=acme,r=abc,x=", "n,,n=acme,r=abc,=1"}) {
            assertThrows(SaslAuthenticationFailure.class, () -> parse(text), text);
        }
        byte[] notUtf8 = {'n', ',', ',', 'n', '=', (byte) 0xC3, ',', 'r', '=', 'a'};
        assertThrows(SaslAuthenticationFailure.class, () -> ScramClientFirstMessage.parse(notUtf8, "SCRAM-SHA-256"));
    }

    private static ScramClientFirstMessage parse(String text) throws SaslAuthenticationFailure {
        return ScramClientFirstMessage.parse(text.getBytes(StandardCharsets.UTF_8), "SCRAM-SHA-256");
    }
}
