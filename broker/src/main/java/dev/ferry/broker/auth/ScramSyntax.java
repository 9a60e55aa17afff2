package dev.ferry.broker.auth;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The pieces of RFC 5802's message grammar (section 7) that the SCRAM message parsers share. A malformed message
 * fails with Kafka's generic credentials message, as Kafka's broker answers one, the reason going to the detail only.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
final class ScramSyntax {

    private ScramSyntax() {
    }

    /** The message as strict UTF-8. */
    static String utf8(byte[] message, String mechanism, String what) throws SaslAuthenticationFailure {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(message)).toString();
        } catch (CharacterCodingException e) {
            throw malformed(mechanism, what + " that is not UTF-8");
        }
    }

    /** A failure for a message that does not follow the grammar. */
    static SaslAuthenticationFailure malformed(String mechanism, String detail) {
        return SaslAuthenticationFailure.invalidCredentials(mechanism, "malformed SCRAM " + detail);
    }

    /**
     * Decodes a {@code saslname}: any characters but ',' and '=', with {@code =2C} standing for ',' and {@code =3D}
     * for '='.
     */
    static String decodeSaslName(String saslName, String mechanism) throws SaslAuthenticationFailure {
        if (saslName.isEmpty()) {
            throw malformed(mechanism, "message with an empty user name");
        }
        StringBuilder name = new StringBuilder(saslName.length());
        for (int i = 0; i < saslName.length(); i++) {
            char c = saslName.charAt(i);
            if (c == '=') {
                if (saslName.startsWith("2C", i + 1)) {
                    name.append(',');
                } else if (saslName.startsWith("3D", i + 1)) {
                    name.append('=');
                } else {
                    throw malformed(mechanism, "message with an invalid escape in a user name");
                }
                i += 2;
            } else if (c == '\u0000') {
                throw malformed(mechanism, "message with a NUL in a user name");
            } else {
                name.append(c);
            }
        }
        return name.toString();
    }

    /** Whether {@code value} is a non-empty run of {@code printable}: ASCII 0x21 to 0x7E except ','. */
    static boolean isPrintable(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7E || c == ',') {
                return false;
            }
        }
        return true;
    }

    /**
     * Decodes an attribute's base64 value.
     *
     * @throws SaslAuthenticationFailure when it is not base64
     */
    static byte[] base64(String value, String mechanism, String what) throws SaslAuthenticationFailure {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw malformed(mechanism, what + " that is not base64");
        }
    }

    /**
     * Adds an extension {@code name=value} to {@code extensions}: a name of letters (Kafka's are words such as
     * {@code tokenauth}) and a non-empty value without NUL, each name at most once.
     */
    static void putExtension(Map<String, String> extensions, String attribute, String mechanism, String what)
            throws SaslAuthenticationFailure {
        int equals = attribute.indexOf('=');
        if (equals < 1 || equals == attribute.length() - 1 || attribute.indexOf('\u0000') >= 0) {
            throw malformed(mechanism, what + " with an invalid extension");
        }
        String name = attribute.substring(0, equals);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
                throw malformed(mechanism, what + " with an invalid extension name");
            }
        }
        if (extensions.putIfAbsent(name, attribute.substring(equals + 1)) != null) {
            throw malformed(mechanism, what + " with a repeated extension");
        }
    }
}
