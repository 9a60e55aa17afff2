package dev.ferry.broker.network;

import dev.ferry.broker.handler.RequestContext;
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
 * @param api       the request's API
 * @param context   what the handler learns of the request beyond its body
 * @param body      the request body, decoded at {@code context.apiVersion()}
 * @param frame     the frame buffer the body was decoded from
 * @param immediate a response to send without calling a handler (the ApiVersions fallback), or null
 */
record KafkaRequest(ApiMessageType api, RequestContext context, ApiMessage body, ByteBuf frame,
                    ApiMessage immediate) {

    /** Releases the frame; the body must not be used afterwards. */
    void release() {
        frame.release();
    }
}
