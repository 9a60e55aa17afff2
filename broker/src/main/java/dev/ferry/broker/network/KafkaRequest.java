package dev.ferry.broker.network;

import dev.ferry.broker.handler.RequestContext;
import dev.ferry.broker.tenant.Principal;
import dev.ferry.protocol.ApiMessage;
import dev.ferry.protocol.message.ApiMessageType;
import io.netty.buffer.ByteBuf;

/**
 * A decoded request on its way from {@link RequestDecoder} to {@link RequestProcessor}.
 *
 * <p><b>Ownership:</b> owns {@code frame}, the buffer the body's records fields are slices of. Whoever holds the
 * request last calls {@link #release()} once: the processor after the handler's future completes, or whoever drops
 * it on the way.
 *
 * @param api                the request's API
 * @param context            what the handler learns of the request beyond its body
 * @param body               the request body, decoded at {@code context.apiVersion()}
 * @param frame              the frame buffer the body was decoded from
 * @param immediate          a response to send without calling a handler (the ApiVersions fallback, the SASL
 *                           exchange), or null
 * @param closeAfterResponse whether the connection closes once {@code immediate} is written (a failed
 *                           authentication)
 */
record KafkaRequest(ApiMessageType api, RequestContext context, ApiMessage body, ByteBuf frame,
                    ApiMessage immediate, boolean closeAfterResponse) {

    KafkaRequest(ApiMessageType api, RequestContext context, ApiMessage body, ByteBuf frame, ApiMessage immediate) {
        this(api, context, body, frame, immediate, false);
    }

    /** This request acting for {@code principal}. */
    KafkaRequest withPrincipal(Principal principal) {
        return new KafkaRequest(api, context.withPrincipal(principal), body, frame, immediate, closeAfterResponse);
    }

    /** This request answered with {@code response} instead of by its handler, then the connection closed if asked. */
    KafkaRequest answeredWith(ApiMessage response, boolean close) {
        return new KafkaRequest(api, context, body, frame, response, close);
    }

    /** The size of the request on the wire, without its size prefix: what produce quotas count. */
    int sizeInBytes() {
        return frame.capacity();
    }

    /** Releases the frame; the body must not be used afterwards. */
    void release() {
        frame.release();
    }
}
