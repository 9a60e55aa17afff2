package dev.ferry.broker.handler;

import dev.ferry.protocol.ApiMessage;
import java.util.concurrent.CompletableFuture;

/**
 * Serves one Kafka API, one request of a connection at a time. Called on a request-handler thread, so a handler may
 * touch the disk but should not wait on other requests; or, for a request it says is {@link #handlesOnNetworkThread
 * quick}, on the connection's network thread.
 *
 * @param <Q> the generated request type
 */
public interface ApiHandler<Q extends ApiMessage> {

    /**
     * Handles a decoded request.
     *
     * <p>The request's records fields are slices of the frame buffer, which stays alive until the returned future
     * completes. A response holding {@code FetchSliceRecords} hands their ownership to the network layer.
     *
     * @return the response, or a future completed with {@code null} when the API sends none (Produce with acks=0)
     */
    CompletableFuture<? extends ApiMessage> handle(RequestContext context, Q request);

    /**
     * Whether {@code request} is handled on the network thread that read it rather than handed to the request-handler
     * pool: for work of microseconds that waits on nothing slower than the page cache, where the pool's two thread
     * hand-offs (there and back, each waking a thread) would cost more than the work itself. Everything such a
     * handler does delays the other connections of that network thread, and its future should be complete when it
     * returns (one that is not still works: its completion is handed back like a pool handler's).
     *
     * <p>Called on the network thread before {@link #handle}; must be cheap and must not throw.
     */
    default boolean handlesOnNetworkThread(Q request) {
        return false;
    }
}
