package dev.ferry.broker.auth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A SCRAM client-first-message (RFC 5802 section 7), parsed:
 * <pre>
 * client-first-message = gs2-header client-first-message-bare
 * gs2-header           = gs2-cbind-flag "," [ "a=" saslname ] ","
 * gs2-cbind-flag       = "p=" cb-name / "n" / "y"
 * client-first-message-bare = [ "m=" value "," ] "n=" saslname "," "r=" c-nonce [ "," extensions ]
 * </pre>
 * Channel binding ({@code p=}) and mandatory extensions ({@code m=}) are refused: this broker offers neither, and RFC
 * 5802 has a server fail an exchange that asks for what it does not support.
 *
 * @param gs2Header       the gs2-header exactly as sent, which the client-final-message's {@code c=} must repeat
 * @param authorizationId the decoded {@code a=} name; empty when absent
 * @param username        the decoded {@code n=} name: the application id
 * @param nonce           the client's nonce
 * @param bare            the client-first-message-bare exactly as sent, the first part of the AuthMessage
 * @param extensions      the extensions after the nonce, by name
 */
record ScramClientFirstMessage(String gs2Header, String authorizationId, String username, String nonce, String bare,
                               Map<String, String> extensions) {

    ScramClientFirstMessage {
        extensions = Map.copyOf(extensions);
    }

    /**
     * Parses a client-first-message.
     *
     * @param mechanism the mechanism of the exchange, for failure messages
     * @throws SaslAuthenticationFailure when the message is malformed, or asks for channel binding or a mandatory
     *                                   extension
     */
    static ScramClientFirstMessage parse(byte[] message, String mechanism) throws SaslAuthenticationFailure {
        String text = ScramSyntax.utf8(message, mechanism, "client-first-message");
        if (text.startsWith("p=")) {
            throw new SaslAuthenticationFailure("Authentication failed: channel binding is not supported");
        }
        if (!text.startsWith("n,") && !text.startsWith("y,")) {
            throw ScramSyntax.malformed(mechanism, "client-first-message without a valid gs2-cbind-flag");
        }
        int authzidEnd = text.indexOf(',', 2);
        if (authzidEnd < 0) {
            throw ScramSyntax.malformed(mechanism, "client-first-message with an incomplete gs2-header");
        }
        String authzidAttribute = text.substring(2, authzidEnd);
        String authorizationId = "";
        if (!authzidAttribute.isEmpty()) {
            if (!authzidAttribute.startsWith("a=")) {
                throw ScramSyntax.malformed(mechanism, "client-first-message with an invalid authzid");
            }
            authorizationId = ScramSyntax.decodeSaslName(authzidAttribute.substring(2), mechanism);
        }
        String gs2Header = text.substring(0, authzidEnd + 1);
        String bare = text.substring(authzidEnd + 1);

        String[] attributes = bare.split(",", -1);
        if (attributes[0].startsWith("m=")) {
            throw new SaslAuthenticationFailure("Authentication failed: mandatory SCRAM extensions are not supported");
        }
        if (attributes.length < 2 || !attributes[0].startsWith("n=") || !attributes[1].startsWith("r=")) {
            throw ScramSyntax.malformed(mechanism, "client-first-message without n= and r= attributes");
        }
        String username = ScramSyntax.decodeSaslName(attributes[0].substring(2), mechanism);
        String nonce = attributes[1].substring(2);
        if (!ScramSyntax.isPrintable(nonce)) {
            throw ScramSyntax.malformed(mechanism, "client-first-message with an invalid nonce");
        }
        Map<String, String> extensions = new LinkedHashMap<>();
        for (int i = 2; i < attributes.length; i++) {
            ScramSyntax.putExtension(extensions, attributes[i], mechanism, "client-first-message");
        }
        return new ScramClientFirstMessage(gs2Header, authorizationId, username, nonce, bare, extensions);
    }
}
