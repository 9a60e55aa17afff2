package dev.ferry.broker.auth;

import dev.ferry.broker.tenant.Principal;
import java.util.Optional;

/**
 * The server side of one SASL mechanism for one exchange: takes the client's messages in turn and answers each.
 *
 * <p><b>Thread-safety:</b> not thread-safe; used by one {@link SaslSession}.
 */
interface SaslMechanismServer {

    /**
     * Takes the client's next message.
     *
     * @param response the client's message (SaslAuthenticate's {@code auth_bytes}); never null
     * @return the server's answer: a challenge, or the final message once {@link #complete()}; empty for none
     * @throws SaslAuthenticationFailure when the exchange fails; the server must not be used again
     */
    byte[] evaluate(byte[] response) throws SaslAuthenticationFailure;

    /** Whether the client has authenticated. */
    boolean complete();

    /** Who the client authenticated as, once {@link #complete()}. */
    Optional<Principal> principal();
}
