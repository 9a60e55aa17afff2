package dev.ferry.broker.auth;

import java.util.HashMap;
import java.util.Map;

/**
 * A SCRAM client-final-message (RFC 5802 section 7), parsed:
 * <pre>
 * client-final-message = "c=" base64(gs2-header) "," "r=" nonce [ "," extensions ] "," "p=" base64(ClientProof)
 * </pre>
 *
 * @param channelBinding the decoded {@code c=} attribute: without channel binding, the gs2-header again
 * @param nonce          the {@code r=} attribute: the client's nonce followed by the server's
 * @param withoutProof   client-final-message-without-proof exactly as sent, the last part of the AuthMessage
 * @param proof          the decoded {@code p=} attribute
 */
record ScramClientFinalMessage(byte[] channelBinding, String nonce, String withoutProof, byte[] proof) {

    private static final String PROOF_ATTRIBUTE = ",p=";

    ScramClientFinalMessage {
        channelBinding = channelBinding.clone();
        proof = proof.clone();
    }

    /**
     * Parses a client-final-message.
     *
     * @param mechanism the mechanism of the exchange, for failure messages
     * @throws SaslAuthenticationFailure when the message is malformed
     */
    static ScramClientFinalMessage parse(byte[] message, String mechanism) throws SaslAuthenticationFailure {
        String text = ScramSyntax.utf8(message, mechanism, "client-final-message");
        // the proof is the last attribute, and base64 has no ',': the last ",p=" starts it
        int proofStart = text.lastIndexOf(PROOF_ATTRIBUTE);
        if (proofStart < 0) {
            throw ScramSyntax.malformed(mechanism, "client-final-message without a proof");
        }
        String withoutProof = text.substring(0, proofStart);
        String[] attributes = withoutProof.split(",", -1);
        if (attributes.length < 2 || !attributes[0].startsWith("c=") || !attributes[1].startsWith("r=")) {
            throw ScramSyntax.malformed(mechanism, "client-final-message without c= and r= attributes");
        }
        byte[] channelBinding = ScramSyntax.base64(attributes[0].substring(2), mechanism, "channel binding");
        String nonce = attributes[1].substring(2);
        if (!ScramSyntax.isPrintable(nonce)) {
            throw ScramSyntax.malformed(mechanism, "client-final-message with an invalid nonce");
        }
        Map<String, String> extensions = new HashMap<>();
        for (int i = 2; i < attributes.length; i++) {
            // allowed by the grammar; none is defined for this message, so they are checked and ignored
            ScramSyntax.putExtension(extensions, attributes[i], mechanism, "client-final-message");
        }
        String proofText = text.substring(proofStart + PROOF_ATTRIBUTE.length());
        if (proofText.isEmpty()) {
            throw ScramSyntax.malformed(mechanism, "client-final-message with an empty proof");
        }
        byte[] proof = ScramSyntax.base64(proofText, mechanism, "proof");
        return new ScramClientFinalMessage(channelBinding, nonce, withoutProof, proof);
    }

    /** A copy of the channel binding data. */
    @Override
    public byte[] channelBinding() {
        return channelBinding.clone();
    }

    /** A copy of the proof. */
    @Override
    public byte[] proof() {
        return proof.clone();
    }
}
