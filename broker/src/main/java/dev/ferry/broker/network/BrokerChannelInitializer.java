package dev.ferry.broker.network;

import dev.ferry.broker.handler.ApiDispatcher;
import dev.ferry.broker.metrics.BrokerMetrics;
import dev.ferry.broker.metrics.ConnectionMetrics;
import dev.ferry.broker.metrics.RequestMetrics;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import java.util.concurrent.Executor;

/**
 * Builds the pipeline of every accepted connection, in order: framing, request decoding, response encoding, and the
 * per-connection processor that runs requests one at a time on the request-handler pool.
 *
 * <p>Inbound: bytes → {@value #FRAME_DECODER} → frame → {@value #REQUEST_DECODER} → {@link KafkaRequest} →
 * {@value #REQUEST_PROCESSOR}. Outbound: {@link KafkaResponse} → {@value #RESPONSE_ENCODER} → buffers and file
 * regions.
 *
 * <p>Every connection is counted open from here until its channel closes.
 */
public final class BrokerChannelInitializer extends ChannelInitializer<SocketChannel> {

    public static final String FRAME_DECODER = "frameDecoder";
    public static final String REQUEST_DECODER = "requestDecoder";
    public static final String RESPONSE_ENCODER = "responseEncoder";
    public static final String REQUEST_PROCESSOR = "requestProcessor";

    private static final ResponseEncoder RESPONSE_ENCODER_INSTANCE = new ResponseEncoder();

    private final String listenerName;
    private final int maxRequestBytes;
    private final ApiDispatcher dispatcher;
    private final Executor handlerPool;
    private final ChannelGroup connections;
    private final RequestMetrics requestMetrics;
    private final ConnectionMetrics connectionMetrics;
    private final ChannelFutureListener countClosed;

    /**
     * @param listenerName    the listener this initializer's connections arrive on
     * @param maxRequestBytes {@code socket.request.max.bytes}
     * @param dispatcher      the served APIs
     * @param handlerPool     where handlers run
     * @param connections     every open connection, so that shutdown can close them
     * @param metrics         where requests and this listener's connections are counted
     */
    public BrokerChannelInitializer(String listenerName, int maxRequestBytes, ApiDispatcher dispatcher,
                                    Executor handlerPool, ChannelGroup connections, BrokerMetrics metrics) {
        this.listenerName = listenerName;
        this.maxRequestBytes = maxRequestBytes;
        this.dispatcher = dispatcher;
        this.handlerPool = handlerPool;
        this.connections = connections;
        this.requestMetrics = metrics.requests();
        this.connectionMetrics = metrics.connections(listenerName);
        this.countClosed = closed -> connectionMetrics.closed();
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        connections.add(channel);
        connectionMetrics.opened();
        channel.closeFuture().addListener(countClosed);
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast(FRAME_DECODER, new KafkaFrameDecoder(maxRequestBytes));
        pipeline.addLast(REQUEST_DECODER, new RequestDecoder(dispatcher, listenerName));
        // outbound handlers sit before the processor: its writes travel towards the head
        pipeline.addLast(RESPONSE_ENCODER, RESPONSE_ENCODER_INSTANCE);
        pipeline.addLast(REQUEST_PROCESSOR, new RequestProcessor(dispatcher, handlerPool, requestMetrics));
    }
}
