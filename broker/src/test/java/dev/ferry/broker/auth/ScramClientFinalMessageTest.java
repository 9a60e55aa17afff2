package dev.ferry.broker.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ScramClientFinalMessageTest {

    @Test
    void shouldKeepTheMessageWithoutProofExactlyAsSentExtensionsIncluded() throws Exception {
        ScramClientFinalMessage message = parse("c=biws,r=abcdef,ext=1,p=AQID");

        assertArrayEquals("n,,".getBytes(StandardCharsets.UTF_8), message.channelBinding());
        assertEquals("abcdef", message.nonce());
        assertEquals("c=biws,r=abcdef,ext=1", message.withoutProof());
        assertArrayEquals(new byte[] {1, 2, 3}, message.proof());
    }

    @Test
    void shouldRefuseAProofThatIsNotTheLastAttribute() {
        assertThrows(SaslAuthenticationFailure.class, () -> parse("c=biws,r=abc,p=AQID,ext=1"));
    }

    private static ScramClientFinalMessage parse(String text) throws SaslAuthenticationFailure {
        return ScramClientFinalMessage.parse(text.getBytes(StandardCharsets.UTF_8), "SCRAM-SHA-256");
    }
}
