package dev.ferry.broker.network;

import dev.ferry.broker.handler.RequestContext;
import dev.ferry.protocol.ApiMessage;

/**
 * Quotas as {@link RequestProcessor} applies them, the way Kafka does since KIP-219: a request over its client's quota
 * is still answered, with {@code throttle_time_ms} set, and the connection is then not read from until the throttle
 * time has passed.
 *
 * <p>Called on the connection's event loop, once per request; implementations must not block.
 */
public interface RequestThrottle {

    /** No quotas: every request is handled and never throttled. */
    RequestThrottle NONE = new RequestThrottle() {
        @Override
        public ApiMessage answerWithoutHandling(RequestContext context, ApiMessage request) {
            return null;
        }

        @Override
        public int throttleMs(RequestContext context, ApiMessage request, int requestBytes, ApiMessage response) {
            return 0;
        }
    };

    /**
     * Before the handler runs: a response that answers the request instead, or null to handle it. Kafka answers a
     * fetch from a client already over its byte rate with an empty response rather than reading more for it.
     */
    ApiMessage answerWithoutHandling(RequestContext context, ApiMessage request);

    /**
     * Once the request is answered: records what it used and returns how long, in milliseconds, its connection must
     * wait before the next request is read; 0 when within every quota.
     *
     * @param requestBytes the request's size on the wire
     * @param response     the response, or null when none is sent (Produce with acks=0)
     */
    int throttleMs(RequestContext context, ApiMessage request, int requestBytes, ApiMessage response);
}
