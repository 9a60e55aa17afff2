package dev.ferry.broker.metrics;

import dev.ferry.broker.handler.RequestContext;
import dev.ferry.protocol.ApiMessage;
import dev.ferry.protocol.message.ApiMessageType;

/**
 * What the network layer reports about each request it runs, for the request, error and traffic metrics.
 *
 * <p>Implementations must be fast, must not throw, and must not keep the messages: both belong to the network layer,
 * and the request's records are slices of a frame released soon after.
 */
public interface RequestMetrics {

    /** Records nothing; for pipelines built without metrics. */
    RequestMetrics NONE = new RequestMetrics() {
        @Override
        public void handled(ApiMessageType api, RequestContext context, ApiMessage request, ApiMessage response) {
        }

        @Override
        public void completed(ApiMessageType api, RequestContext context) {
        }

        @Override
        public void throttled(ApiMessageType api, RequestContext context, int throttleMs) {
        }
    };

    /**
     * A handler has answered: {@code response} is what will be sent, or null when nothing is (a Produce with acks 0,
     * all of whose partitions were appended). Not called when the handler failed.
     *
     * <p>Called on the thread that completed the handler's future: a request-handler thread, whichever thread
     * completed a delayed response (a produce on a network thread may complete a waiting fetch), or the event loop
     * of a request handled there, as are the responses the network layer makes itself (the ApiVersions fallback).
     */
    void handled(ApiMessageType api, RequestContext context, ApiMessage request, ApiMessage response);

    /**
     * The request is over: its response has been handed to the socket, or there was none to send, or the connection
     * is being closed after a failure. Called once per request, on the connection's event loop.
     */
    void completed(ApiMessageType api, RequestContext context);

    /**
     * A quota held the connection back after this request: its response carries {@code throttleMs}, and the
     * connection reads nothing more for that long. Called on the connection's event loop.
     */
    void throttled(ApiMessageType api, RequestContext context, int throttleMs);
}
