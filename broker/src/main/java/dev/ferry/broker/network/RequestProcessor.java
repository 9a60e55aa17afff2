package dev.ferry.broker.network;

import dev.ferry.broker.handler.ApiDispatcher;
import dev.ferry.broker.handler.ProduceHandler.UnacknowledgedProduceFailedException;
import dev.ferry.broker.handler.RequestContext;
import dev.ferry.broker.metrics.RequestMetrics;
import dev.ferry.protocol.ApiMessage;
import dev.ferry.protocol.ThrottledResponse;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a connection's requests one at a time, in arrival order, on the request-handler pool, and writes each
 * response before the next request starts — like Kafka, whose processor mutes a channel from the moment a request
 * is read until its response is sent. While a request is in flight the channel stops reading, so a client that
 * pipelines requests waits in its socket buffer rather than in broker memory.
 *
 * <p>A request whose handler {@link ApiDispatcher#handlesOnNetworkThread takes it on the network thread} (a produce
 * to open logs) is handled right here on the event loop, in the same order; when it completes at once the
 * connection never stops reading.
 *
 * <p>A handler that fails (throws or completes exceptionally) closes the connection after logging; the client
 * reconnects and retries. Handlers map the failures they expect to error codes themselves.
 *
 * <p><b>Threading:</b> all state is touched on the channel's event loop only; handlers run on the pool (or here),
 * and completions on any other thread hop back to the event loop. <b>Ownership:</b> releases every request's frame
 * after its handler's future completes (after the response, which may still refer to it, has been encoded), and
 * every queued request's frame when the connection closes.
 *
 * <p>Each request is reported to {@link RequestMetrics}: its response on the thread that completed the handler, and
 * its end on the event loop once the response is handed to the socket.
 *
 * <p><b>Quotas:</b> a {@link RequestThrottle} may answer a request without its handler, and may throttle a
 * connection after a response: the response then carries the throttle time, and the next request of the connection
 * starts (and reading resumes) only once that time has passed.
 */
public final class RequestProcessor extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(RequestProcessor.class);

    private final ApiDispatcher dispatcher;
    private final Executor handlerPool;
    private final RequestMetrics metrics;
    private final RequestThrottle throttle;
    private final ArrayDeque<KafkaRequest> waiting = new ArrayDeque<>();
    private KafkaRequest inFlight;
    /** Whether the connection waits out a quota throttle before its next request. */
    private boolean throttled;

    public RequestProcessor(ApiDispatcher dispatcher, Executor handlerPool) {
        this(dispatcher, handlerPool, RequestMetrics.NONE, RequestThrottle.NONE);
    }

    public RequestProcessor(ApiDispatcher dispatcher, Executor handlerPool, RequestMetrics metrics,
                            RequestThrottle throttle) {
        this.dispatcher = dispatcher;
        this.handlerPool = handlerPool;
        this.metrics = metrics;
        this.throttle = throttle;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof KafkaRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        waiting.add(request);
        startNext(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseWaiting();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseWaiting();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("Connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            LOG.warn("Closing connection from {} after an unexpected error", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    /**
     * Starts waiting requests until one is left in flight or a throttle holds the connection, and stops reading
     * until then; resumes reading once nothing is left.
     */
    private void startNext(ChannelHandlerContext ctx) {
        while (inFlight == null && !throttled) {
            if (!ctx.channel().isActive()) {
                releaseWaiting();
                return;
            }
            KafkaRequest next = waiting.poll();
            if (next == null) {
                ctx.channel().config().setAutoRead(true);
                return;
            }
            inFlight = next;
            ApiMessage answer = next.immediate() != null ? next.immediate()
                    : throttle.answerWithoutHandling(next.context(), next.body());
            if (answer != null) {
                metrics.handled(next.api(), next.context(), next.body(), answer);
                finish(ctx, next, answer, null);
                continue;
            }
            if (dispatcher.handlesOnNetworkThread(next.context(), next.body())) {
                runHandlerHere(ctx, next);
                continue;
            }
            try {
                handlerPool.execute(() -> runHandler(ctx, next));
            } catch (RejectedExecutionException e) {
                finish(ctx, next, null, e);
            }
        }
        // set here, not on every read: a request that completed on the spot leaves reading on
        ctx.channel().config().setAutoRead(false);
    }

    /**
     * On the event loop: runs a handler that takes its request here. A future complete on return (the rule) finishes
     * the request on the spot; one that is not is handled as a pool handler's.
     */
    private void runHandlerHere(ChannelHandlerContext ctx, KafkaRequest request) {
        CompletableFuture<? extends ApiMessage> future = dispatcher.dispatch(request.context(), request.body());
        if (future.isDone()) {
            // whenComplete on a completed future runs now, on this thread
            future.whenComplete((response, error) -> {
                try {
                    countHandled(request, response, error);
                } finally {
                    finish(ctx, request, response, error);
                }
            });
        } else {
            future.whenComplete((response, error) -> completedElsewhere(ctx, request, response, error));
        }
    }

    /** On a request-handler thread: runs the handler and hops back to the event loop with its outcome. */
    private void runHandler(ChannelHandlerContext ctx, KafkaRequest request) {
        CompletableFuture<? extends ApiMessage> future = dispatcher.dispatch(request.context(), request.body());
        future.whenComplete((response, error) -> completedElsewhere(ctx, request, response, error));
    }

    /**
     * On whichever thread completed a handler's future after the handler returned: reports it and hops back to the
     * event loop. The metrics are taken here rather than there: counting fetched records reads batch headers from
     * disk.
     */
    private void completedElsewhere(ChannelHandlerContext ctx, KafkaRequest request, ApiMessage response,
                                    Throwable error) {
        try {
            countHandled(request, response, error);
        } finally {
            // whatever the metrics did, the connection gets its response
            hopBack(ctx, request, response, error);
        }
    }

    private void countHandled(KafkaRequest request, ApiMessage response, Throwable error) {
        if (error == null) {
            metrics.handled(request.api(), request.context(), request.body(), response);
        }
    }

    /** Hands the handler's outcome to the event loop, or drops it when the event loop is gone. */
    private void hopBack(ChannelHandlerContext ctx, KafkaRequest request, ApiMessage response, Throwable error) {
        try {
            ctx.executor().execute(() -> {
                finish(ctx, request, response, error);
                startNext(ctx);
            });
        } catch (RejectedExecutionException e) {
            // the event loop is gone: the broker is stopping and the connection with it
            if (response != null) {
                KafkaResponse.discard(response);
            }
            request.release();
            LOG.debug("Dropped the response to {} from {}: the network threads have stopped",
                    request.api().apiName(), request.context().remoteAddress());
        }
    }

    /**
     * On the event loop: writes the response (or closes after a failure), then releases the request's frame. A
     * throttle holds the connection's next request back for the throttle time.
     */
    private void finish(ChannelHandlerContext ctx, KafkaRequest request, ApiMessage response, Throwable error) {
        inFlight = null;
        metrics.completed(request.api(), request.context());
        try {
            if (error == null && request.immediate() == null) {
                throttle(ctx, request, response);
            }
            if (error != null) {
                logFailure(request, error);
                ctx.close();
            } else if (response != null && !ctx.channel().isActive()) {
                // the pipeline may already be torn down, so no encoder would see the response: drop it here
                KafkaResponse.discard(response);
            } else if (response != null) {
                short version = request.context().apiVersion();
                ChannelFuture write = ctx.writeAndFlush(new KafkaResponse(request.context().correlationId(),
                        request.api().responseHeaderVersion(version), version, response))
                        .addListener(written -> {
                            if (!written.isSuccess() && ctx.channel().isActive()) {
                                LOG.error("Could not write the {} response to {}; closing the connection",
                                        request.api().apiName(), request.context().remoteAddress(), written.cause());
                                ctx.close();
                            }
                        });
                if (request.closeAfterResponse()) {
                    write.addListener(ChannelFutureListener.CLOSE);
                }
            } else if (request.closeAfterResponse()) {
                ctx.close();
            }
        } finally {
            request.release();
        }
    }

    /** Asks the quotas what the request cost; when over a quota, puts the throttle in the response and mutes. */
    private void throttle(ChannelHandlerContext ctx, KafkaRequest request, ApiMessage response) {
        int throttleMs = throttle.throttleMs(request.context(), request.body(), request.sizeInBytes(), response);
        if (throttleMs <= 0) {
            return;
        }
        metrics.throttled(request.api(), request.context(), throttleMs);
        if (response instanceof ThrottledResponse throttledResponse) {
            throttledResponse.setThrottleTimeMs(Math.max(throttledResponse.throttleTimeMs(), throttleMs));
        }
        throttled = true;
        ctx.executor().schedule(() -> {
            throttled = false;
            startNext(ctx);
        }, throttleMs, TimeUnit.MILLISECONDS);
    }

    private static void logFailure(KafkaRequest request, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        RequestContext context = request.context();
        if (cause instanceof RejectedExecutionException) {
            LOG.debug("{} request from {} not handled: the broker is stopping", request.api().apiName(),
                    context.remoteAddress());
        } else if (cause instanceof UnacknowledgedProduceFailedException) {
            LOG.info("Closing the connection from {}: {}", context.remoteAddress(), cause.getMessage());
        } else {
            LOG.error("{} v{} request from {} (client id '{}', correlation id {}) failed; closing the connection",
                    request.api().apiName(), context.apiVersion(), context.remoteAddress(), context.clientId(),
                    context.correlationId(), cause);
        }
    }

    private void releaseWaiting() {
        KafkaRequest request;
        while ((request = waiting.poll()) != null) {
            request.release();
        }
    }
}
