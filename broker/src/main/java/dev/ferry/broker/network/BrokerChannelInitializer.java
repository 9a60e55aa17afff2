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
import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;

/**
 * Builds the pipeline of every accepted connection, in order: TLS on a TLS listener, framing, request decoding,
 * response encoding, and the per-connection processor that runs requests one at a time on the request-handler pool.
 *
 * <p>Inbound: bytes → ({@value #SSL_HANDLER}, {@value #TLS_FAILURES}) → {@value #FRAME_DECODER} → frame →
 * {@value #REQUEST_DECODER} → {@link KafkaRequest} → ({@value #AUTHENTICATOR} on a tenant broker) →
 * {@value #REQUEST_PROCESSOR}. Outbound: {@link KafkaResponse} →
 * {@value #RESPONSE_ENCODER} → buffers and file regions, or under TLS buffers only, which {@value #SSL_HANDLER}
 * encrypts.
 *
 * <p>A connection beyond {@link ConnectionLimits} is closed here at once, before any handler is built for it. Every
 * other connection is counted open from here until its channel closes.
 */
public final class BrokerChannelInitializer extends ChannelInitializer<SocketChannel> {

    public static final String SSL_HANDLER = "ssl";
    public static final String TLS_FAILURES = "tlsFailures";
    public static final String FRAME_DECODER = "frameDecoder";
    public static final String REQUEST_DECODER = "requestDecoder";
    public static final String RESPONSE_ENCODER = "responseEncoder";
    public static final String AUTHENTICATOR = "authenticator";
    public static final String REQUEST_PROCESSOR = "requestProcessor";

    private static final ResponseEncoder ZERO_COPY_ENCODER = new ResponseEncoder();
    private static final ResponseEncoder COPYING_ENCODER = ResponseEncoder.copying();

    private final String listenerName;
    private final SslContext sslContext;
    private final int maxRequestBytes;
    private final ApiDispatcher dispatcher;
    private final Executor handlerPool;
    private final ChannelGroup connections;
    private final RequestMetrics requestMetrics;
    private final ConnectionMetrics connectionMetrics;
    private final ChannelFutureListener countClosed;
    private final boolean saslOnly;
    private final ConnectionPolicy policy;

    /**
     * The pipeline builder of an open broker's plaintext or TLS listener.
     *
     * @param listenerName    the listener this initializer's connections arrive on
     * @param sslContext      the server TLS context of a TLS listener, {@code null} for a plaintext one
     * @param maxRequestBytes {@code socket.request.max.bytes}
     * @param dispatcher      the served APIs
     * @param handlerPool     where handlers run
     * @param connections     every open connection, so that shutdown can close them
     * @param metrics         where requests and this listener's connections are counted
     */
    public BrokerChannelInitializer(String listenerName, SslContext sslContext, int maxRequestBytes,
                                    ApiDispatcher dispatcher, Executor handlerPool, ChannelGroup connections,
                                    BrokerMetrics metrics) {
        this(listenerName, sslContext, false, maxRequestBytes, dispatcher, handlerPool, connections, metrics,
                ConnectionPolicy.OPEN);
    }

    /**
     * The pipeline builder of any listener.
     *
     * @param saslOnly whether this is a SASL listener, where only SASL authenticates
     * @param policy   the broker's limits, tenant authentication and quotas
     */
    public BrokerChannelInitializer(String listenerName, SslContext sslContext, boolean saslOnly, int maxRequestBytes,
                                    ApiDispatcher dispatcher, Executor handlerPool, ChannelGroup connections,
                                    BrokerMetrics metrics, ConnectionPolicy policy) {
        this.listenerName = listenerName;
        this.sslContext = sslContext;
        this.saslOnly = saslOnly;
        this.maxRequestBytes = maxRequestBytes;
        this.dispatcher = dispatcher;
        this.handlerPool = handlerPool;
        this.connections = connections;
        this.requestMetrics = metrics.requests();
        this.connectionMetrics = metrics.connections(listenerName);
        this.countClosed = closed -> connectionMetrics.closed();
        this.policy = policy;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        InetSocketAddress remote = channel.remoteAddress();
        InetAddress address = remote == null ? null : remote.getAddress();
        ConnectionLimits limits = policy.limits();
        if (!limits.tryOpen(address, listenerName)) {
            // no handler, no count, nothing kept for a refused connection
            channel.close();
            return;
        }
        channel.closeFuture().addListener(closed -> limits.closed(address));
        connections.add(channel);
        connectionMetrics.opened();
        channel.closeFuture().addListener(countClosed);
        ChannelPipeline pipeline = channel.pipeline();
        if (sslContext != null) {
            pipeline.addLast(SSL_HANDLER, sslContext.newHandler(channel.alloc()));
            pipeline.addLast(TLS_FAILURES, TlsFailureHandler.INSTANCE);
        }
        pipeline.addLast(FRAME_DECODER, new KafkaFrameDecoder(maxRequestBytes));
        pipeline.addLast(REQUEST_DECODER, new RequestDecoder(dispatcher, listenerName));
        // outbound handlers sit before the processor: its writes travel towards the head
        // a file region would bypass TLS encryption: under TLS, records are copied into buffers instead
        pipeline.addLast(RESPONSE_ENCODER, sslContext != null ? COPYING_ENCODER : ZERO_COPY_ENCODER);
        if (policy.tenants() != null) {
            pipeline.addLast(AUTHENTICATOR, policy.tenants().newAuthenticator(listenerName, saslOnly));
        }
        pipeline.addLast(REQUEST_PROCESSOR,
                new RequestProcessor(dispatcher, handlerPool, requestMetrics, policy.throttle()));
    }
}
