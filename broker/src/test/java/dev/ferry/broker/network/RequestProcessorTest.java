package dev.ferry.broker.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.broker.handler.ApiDispatcher;
import dev.ferry.broker.handler.ApiHandler;
import dev.ferry.broker.handler.RequestContext;
import dev.ferry.broker.metrics.RequestMetrics;
import dev.ferry.protocol.ApiMessage;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.DescribeClusterRequestData;
import dev.ferry.protocol.message.DescribeClusterResponseData;
import dev.ferry.protocol.message.MetadataResponseData;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.apache.kafka.common.requests.DescribeClusterRequest;
import org.apache.kafka.common.requests.DescribeClusterResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RequestProcessorTest {

    private static final MetadataRequest REQUEST = new MetadataRequest.Builder(List.of("t"), false).build((short) 12);
    /** Stands for a produce to open logs: its handler takes it on the network thread. */
    private static final DescribeClusterRequest QUICK_REQUEST =
            new DescribeClusterRequest.Builder(new org.apache.kafka.common.message.DescribeClusterRequestData())
                    .build((short) 1);

    private final Deque<CompletableFuture<MetadataResponseData>> pending = new ArrayDeque<>();
    private final List<Integer> handled = new ArrayList<>();
    /** What the quick handler answers with, given the request's correlation id. */
    private IntFunction<CompletableFuture<DescribeClusterResponseData>> quickAnswer =
            id -> CompletableFuture.completedFuture(new DescribeClusterResponseData().setClusterId("quick-" + id));
    /** Whether the channel was reading while the quick handler ran, per request. */
    private final List<Boolean> readingDuringQuickHandler = new ArrayList<>();
    private ApiDispatcher dispatcher;
    private EmbeddedChannel channel;

    @BeforeEach
    void startChannel() {
        dispatcher = new ApiDispatcher();
        dispatcher.register(ApiMessageType.METADATA, (context, request) -> {
            handled.add(context.correlationId());
            CompletableFuture<MetadataResponseData> future = new CompletableFuture<>();
            pending.add(future);
            return future;
        });
        dispatcher.register(ApiMessageType.DESCRIBE_CLUSTER, new ApiHandler<DescribeClusterRequestData>() {
            @Override
            public CompletableFuture<DescribeClusterResponseData> handle(RequestContext context,
                                                                         DescribeClusterRequestData request) {
                handled.add(context.correlationId());
                readingDuringQuickHandler.add(channel.config().isAutoRead());
                return quickAnswer.apply(context.correlationId());
            }

            @Override
            public boolean handlesOnNetworkThread(DescribeClusterRequestData request) {
                return true;
            }
        });
        channel = new EmbeddedChannel(new KafkaFrameDecoder(1 << 20), new RequestDecoder(dispatcher, "PLAINTEXT"),
                new ResponseEncoder(), new RequestProcessor(dispatcher, Runnable::run));
    }

    @AfterEach
    void closeChannel() {
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldStartSecondRequestOnlyAfterFirstResponseIsWritten() {
        ByteBuf first = KafkaWire.frame(REQUEST, 1);
        ByteBuf second = KafkaWire.frame(REQUEST, 2);
        channel.writeInbound(Unpooled.wrappedBuffer(first, second));
        channel.runPendingTasks();

        assertEquals(List.of(1), handled, "the second request waits for the first");
        assertNull(channel.readOutbound());
        assertFalse(channel.config().isAutoRead(), "reading pauses while a request is in flight");

        pending.poll().complete(new MetadataResponseData().setClusterId("first"));
        channel.runPendingTasks();

        assertEquals("first", clusterIdOf(1));
        assertEquals(List.of(1, 2), handled);
        assertNull(channel.readOutbound());

        pending.poll().complete(new MetadataResponseData().setClusterId("second"));
        channel.runPendingTasks();

        assertEquals("second", clusterIdOf(2));
        assertTrue(channel.config().isAutoRead(), "reading resumes once nothing is queued");
    }

    @Test
    void shouldHandleOnTheEventLoopWhatTheHandlerTakesThereWithoutPausingReads() {
        List<Runnable> pool = new ArrayList<>();
        channel.finishAndReleaseAll();
        channel = new EmbeddedChannel(new KafkaFrameDecoder(1 << 20), new RequestDecoder(dispatcher, "PLAINTEXT"),
                new ResponseEncoder(), new RequestProcessor(dispatcher, pool::add));

        channel.writeInbound(Unpooled.wrappedBuffer(KafkaWire.frame(QUICK_REQUEST, 1),
                KafkaWire.frame(QUICK_REQUEST, 2)));

        assertEquals(List.of(1, 2), handled);
        assertTrue(pool.isEmpty(), "the request-handler pool is not involved");
        assertEquals(List.of(true, true), readingDuringQuickHandler);
        assertEquals("quick-1", quickClusterIdOf(1));
        assertEquals("quick-2", quickClusterIdOf(2));
        assertNull(channel.readOutbound());
        assertTrue(channel.config().isAutoRead());
    }

    @Test
    void shouldKeepArrivalOrderBetweenPoolAndEventLoopRequests() {
        channel.writeInbound(Unpooled.wrappedBuffer(KafkaWire.frame(REQUEST, 1), KafkaWire.frame(QUICK_REQUEST, 2),
                KafkaWire.frame(REQUEST, 3)));
        channel.runPendingTasks();

        assertEquals(List.of(1), handled, "the quick request waits for the one before it");
        assertFalse(channel.config().isAutoRead());

        pending.poll().complete(new MetadataResponseData().setClusterId("first"));
        channel.runPendingTasks();

        assertEquals("first", clusterIdOf(1));
        assertEquals("quick-2", quickClusterIdOf(2));
        assertEquals(List.of(1, 2, 3), handled);
        assertNull(channel.readOutbound());
        assertFalse(channel.config().isAutoRead(), "the third request is in flight");

        pending.poll().complete(new MetadataResponseData().setClusterId("third"));
        channel.runPendingTasks();
        assertEquals("third", clusterIdOf(3));
        assertTrue(channel.config().isAutoRead());
    }

    @Test
    void shouldAnswerAnEventLoopRequestWhoseFutureCompletesLaterOnAnotherThread() throws Exception {
        CompletableFuture<DescribeClusterResponseData> later = new CompletableFuture<>();
        quickAnswer = id -> id == 1 ? later : CompletableFuture.completedFuture(
                new DescribeClusterResponseData().setClusterId("quick-" + id));
        channel.writeInbound(Unpooled.wrappedBuffer(KafkaWire.frame(QUICK_REQUEST, 1),
                KafkaWire.frame(QUICK_REQUEST, 2)));

        assertEquals(List.of(1), handled);
        assertFalse(channel.config().isAutoRead(), "reading pauses while the request is in flight");
        Thread completer = new Thread(() -> later.complete(new DescribeClusterResponseData().setClusterId("later")));
        completer.start();
        completer.join();
        channel.runPendingTasks();

        assertEquals("later", quickClusterIdOf(1));
        assertEquals("quick-2", quickClusterIdOf(2));
        assertEquals(List.of(1, 2), handled);
        assertTrue(channel.config().isAutoRead());
    }

    @Test
    void shouldCloseConnectionWhenAnEventLoopHandlerFails() {
        quickAnswer = id -> CompletableFuture.failedFuture(new IllegalStateException("disk on fire"));
        channel.writeInbound(Unpooled.wrappedBuffer(KafkaWire.frame(QUICK_REQUEST, 1),
                KafkaWire.frame(QUICK_REQUEST, 2)));

        assertFalse(channel.isOpen());
        assertNull(channel.readOutbound());
        assertEquals(List.of(1), handled);
    }

    @Test
    void shouldLeaveARequestToThePoolWhenTheHandlersCheckThrows() {
        ApiDispatcher broken = new ApiDispatcher();
        broken.register(ApiMessageType.DESCRIBE_CLUSTER, new ApiHandler<DescribeClusterRequestData>() {
            @Override
            public CompletableFuture<DescribeClusterResponseData> handle(RequestContext context,
                                                                         DescribeClusterRequestData request) {
                return CompletableFuture.completedFuture(new DescribeClusterResponseData().setClusterId("pooled"));
            }

            @Override
            public boolean handlesOnNetworkThread(DescribeClusterRequestData request) {
                throw new IllegalStateException("bug in the check");
            }
        });
        List<Runnable> pool = new ArrayList<>();
        channel.finishAndReleaseAll();
        channel = new EmbeddedChannel(new KafkaFrameDecoder(1 << 20), new RequestDecoder(broken, "PLAINTEXT"),
                new ResponseEncoder(), new RequestProcessor(broken, pool::add));

        channel.writeInbound(KafkaWire.frame(QUICK_REQUEST, 1));
        assertEquals(1, pool.size());
        pool.remove(0).run();
        channel.runPendingTasks();

        assertEquals("pooled", quickClusterIdOf(1));
    }

    @Test
    void shouldCloseConnectionWhenHandlerFails() {
        channel.writeInbound(Unpooled.wrappedBuffer(KafkaWire.frame(REQUEST, 1), KafkaWire.frame(REQUEST, 2)));
        channel.runPendingTasks();

        pending.poll().completeExceptionally(new IllegalStateException("disk on fire"));
        channel.runPendingTasks();

        assertFalse(channel.isOpen());
        assertNull(channel.readOutbound());
        assertEquals(List.of(1), handled, "requests queued behind a failure are dropped with the connection");
    }

    @Test
    void shouldCloseConnectionWhenHandlerThrows() {
        ApiDispatcher throwing = new ApiDispatcher();
        throwing.register(ApiMessageType.METADATA, (context, request) -> {
            throw new IllegalArgumentException("bug");
        });
        EmbeddedChannel failing = new EmbeddedChannel(new KafkaFrameDecoder(1 << 20),
                new RequestDecoder(throwing, "PLAINTEXT"), new ResponseEncoder(),
                new RequestProcessor(throwing, Runnable::run));

        failing.writeInbound(KafkaWire.frame(REQUEST, 1));
        failing.runPendingTasks();

        assertFalse(failing.isOpen());
        assertNull(failing.readOutbound());
        failing.finishAndReleaseAll();
    }

    @Test
    void shouldSendNothingForANullResponseAndGoOn() {
        channel.writeInbound(Unpooled.wrappedBuffer(KafkaWire.frame(REQUEST, 1), KafkaWire.frame(REQUEST, 2)));
        channel.runPendingTasks();

        pending.poll().complete(null);
        channel.runPendingTasks();

        assertNull(channel.readOutbound());
        assertEquals(List.of(1, 2), handled);
        pending.poll().complete(new MetadataResponseData().setClusterId("after-silence"));
        channel.runPendingTasks();
        assertEquals("after-silence", clusterIdOf(2));
    }

    @Test
    void shouldReleaseEveryFrameWhenTheConnectionClosesMidRequest() {
        EmbeddedChannel framesIn = new EmbeddedChannel(new RequestDecoder(dispatcher, "PLAINTEXT"),
                new ResponseEncoder(), new RequestProcessor(dispatcher, Runnable::run));
        ByteBuf inFlight = KafkaWire.frameBody(REQUEST, 1);
        ByteBuf queued = KafkaWire.frameBody(REQUEST, 2);
        framesIn.writeInbound(inFlight.retain(), queued.retain());
        framesIn.runPendingTasks();

        framesIn.close();
        assertEquals(1, queued.refCnt(), "a queued request is released when its connection closes");
        assertEquals(2, inFlight.refCnt(), "the in-flight request stays alive while its handler runs");

        pending.poll().complete(new MetadataResponseData());
        framesIn.runPendingTasks();
        assertEquals(1, inFlight.refCnt(), "released once its handler completes");
        assertNull(framesIn.readOutbound(), "nothing is written to a closed connection");

        inFlight.release();
        queued.release();
        framesIn.finishAndReleaseAll();
    }

    @Test
    void shouldPutTheThrottleInTheResponseAndHoldTheNextRequestUntilItEnds() {
        List<Integer> throttles = new ArrayList<>(List.of(200, 0));
        List<String> recorded = new ArrayList<>();
        RequestMetrics metrics = new RequestMetrics() {
            @Override
            public void handled(ApiMessageType api, RequestContext context, ApiMessage request, ApiMessage response) {
            }

            @Override
            public void completed(ApiMessageType api, RequestContext context) {
            }

            @Override
            public void throttled(ApiMessageType api, RequestContext context, int throttleMs) {
                recorded.add(api.apiName() + " " + context.correlationId() + " " + throttleMs);
            }
        };
        EmbeddedChannel throttled = new EmbeddedChannel(new KafkaFrameDecoder(1 << 20),
                new RequestDecoder(dispatcher, "PLAINTEXT"), new ResponseEncoder(),
                new RequestProcessor(dispatcher, Runnable::run, metrics, new RequestThrottle() {
                    @Override
                    public ApiMessage answerWithoutHandling(RequestContext context, ApiMessage request) {
                        return null;
                    }

                    @Override
                    public int throttleMs(RequestContext context, ApiMessage request, int requestBytes,
                                          ApiMessage response) {
                        assertEquals(KafkaWire.frameBody(REQUEST, context.correlationId()).readableBytes(),
                                requestBytes);
                        return throttles.remove(0);
                    }
                }));
        throttled.writeInbound(Unpooled.wrappedBuffer(KafkaWire.frame(REQUEST, 1), KafkaWire.frame(REQUEST, 2)));
        throttled.runPendingTasks();
        pending.poll().complete(new MetadataResponseData().setClusterId("first"));
        throttled.runPendingTasks();

        MetadataResponse first = metadataResponse(throttled, 1);
        assertEquals(200, first.throttleTimeMs());
        assertEquals(List.of(1), handled, "the next request waits out the throttle");
        assertFalse(throttled.config().isAutoRead());

        throttled.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        throttled.runScheduledPendingTasks();
        assertEquals(List.of(1, 2), handled);
        pending.poll().complete(new MetadataResponseData().setClusterId("second"));
        throttled.runPendingTasks();
        assertEquals(0, metadataResponse(throttled, 2).throttleTimeMs());
        assertTrue(throttled.config().isAutoRead());
        assertEquals(List.of("Metadata 1 200"), recorded, "only the throttled request is reported");
        throttled.finishAndReleaseAll();
    }

    @Test
    void shouldAnswerWithTheThrottlesResponseWithoutCallingTheHandler() {
        EmbeddedChannel preempted = new EmbeddedChannel(new KafkaFrameDecoder(1 << 20),
                new RequestDecoder(dispatcher, "PLAINTEXT"), new ResponseEncoder(),
                new RequestProcessor(dispatcher, Runnable::run, RequestMetrics.NONE, new RequestThrottle() {
                    @Override
                    public ApiMessage answerWithoutHandling(RequestContext context, ApiMessage request) {
                        return new MetadataResponseData().setClusterId("throttled").setThrottleTimeMs(50);
                    }

                    @Override
                    public int throttleMs(RequestContext context, ApiMessage request, int requestBytes,
                                          ApiMessage response) {
                        return 50;
                    }
                }));
        preempted.writeInbound(KafkaWire.frame(REQUEST, 1));
        preempted.runPendingTasks();

        MetadataResponse response = metadataResponse(preempted, 1);
        assertEquals("throttled", response.data().clusterId());
        assertEquals(50, response.throttleTimeMs());
        assertTrue(handled.isEmpty());
        preempted.finishAndReleaseAll();
    }

    private static MetadataResponse metadataResponse(EmbeddedChannel channel, int correlationId) {
        ByteBuf out = channel.readOutbound();
        try {
            return (MetadataResponse) KafkaWire.parseResponse(ByteBufUtil.getBytes(out),
                    KafkaWire.header(REQUEST, correlationId));
        } finally {
            out.release();
        }
    }

    private String quickClusterIdOf(int correlationId) {
        ByteBuf out = channel.readOutbound();
        try {
            DescribeClusterResponse response = (DescribeClusterResponse) KafkaWire.parseResponse(
                    ByteBufUtil.getBytes(out), KafkaWire.header(QUICK_REQUEST, correlationId));
            return response.data().clusterId();
        } finally {
            out.release();
        }
    }

    private String clusterIdOf(int correlationId) {
        ByteBuf out = channel.readOutbound();
        try {
            MetadataResponse response = (MetadataResponse) KafkaWire.parseResponse(ByteBufUtil.getBytes(out),
                    KafkaWire.header(REQUEST, correlationId));
            return response.data().clusterId();
        } finally {
            out.release();
        }
    }
}
