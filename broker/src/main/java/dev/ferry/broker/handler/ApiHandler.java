package dev.ferry.broker.handler;

import dev.ferry.protocol.ApiMessage;
import java.util.concurrent.CompletableFuture;

/**
 * Serves one Kafka API. Called on a request-handler thread (never a Netty event loop), one request of a connection
 * at a time, so a handler may touch the disk but should not wait on other requests.
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
}
