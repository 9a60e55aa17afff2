package dev.ferry.broker.handler;

import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.SaslAuthenticateRequestData;
import dev.ferry.protocol.message.SaslAuthenticateResponseData;
import dev.ferry.protocol.message.SaslHandshakeRequestData;
import dev.ferry.protocol.message.SaslHandshakeResponseData;
import java.util.concurrent.CompletableFuture;

/**
 * The answer to SASL requests that reach a handler: on a tenant broker the network layer answers them during
 * authentication, so here they come to an open broker, or after authentication. Both get ILLEGAL_SASL_STATE, as
 * Kafka answers SASL on a listener that does not authenticate with it.
 */
final class SaslOutOfPlace {

    private SaslOutOfPlace() {
    }

    static CompletableFuture<SaslHandshakeResponseData> handshake(RequestContext context,
                                                                  SaslHandshakeRequestData request) {
        return CompletableFuture.completedFuture(
                new SaslHandshakeResponseData().setErrorCode(Errors.ILLEGAL_SASL_STATE.code()));
    }

    static CompletableFuture<SaslAuthenticateResponseData> authenticate(RequestContext context,
                                                                        SaslAuthenticateRequestData request) {
        return CompletableFuture.completedFuture(new SaslAuthenticateResponseData()
                .setErrorCode(Errors.ILLEGAL_SASL_STATE.code())
                .setErrorMessage("SASL authentication is not enabled on this listener"));
    }
}
