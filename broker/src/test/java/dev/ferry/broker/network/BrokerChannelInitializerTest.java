package dev.ferry.broker.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.broker.handler.ApiDispatcher;
import dev.ferry.broker.metrics.BrokerMetrics;
import dev.ferry.config.FerryConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerChannelInitializerTest {

    private static final List<String> PLAINTEXT_PIPELINE = List.of(BrokerChannelInitializer.FRAME_DECODER,
            BrokerChannelInitializer.REQUEST_DECODER, BrokerChannelInitializer.RESPONSE_ENCODER,
            BrokerChannelInitializer.REQUEST_PROCESSOR);

    @TempDir
    Path dir;

    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final NioSocketChannel channel = new NioSocketChannel();

    @AfterEach
    void closeChannel() {
        channel.unsafe().closeForcibly();
    }

    @Test
    void shouldBuildPlaintextPipelineWithZeroCopyEncoder() {
        initializer("PLAINTEXT", null).initChannel(channel);

        assertEquals(PLAINTEXT_PIPELINE, handlerNames());
        assertFalse(encoder().copiesFileRecords());
    }

    @Test
    void shouldPutSslHandlerFirstAndCopyRecordsOnTlsListener() throws Exception {
        SelfSignedKeyStore keyStore = SelfSignedKeyStore.generate(dir, "PKCS12");
        SslContext sslContext = ServerSslContexts.fromConfig(FerryConfig.of(Map.of(
                "listeners", "SSL://127.0.0.1:0",
                "ssl.keystore.type", "PKCS12",
                "ssl.keystore.location", keyStore.file().toString(),
                "ssl.keystore.password", SelfSignedKeyStore.PASSWORD)));

        initializer("SSL", sslContext).initChannel(channel);

        List<String> names = handlerNames();
        assertEquals(List.of(BrokerChannelInitializer.SSL_HANDLER, BrokerChannelInitializer.TLS_FAILURES),
                names.subList(0, 2));
        assertEquals(PLAINTEXT_PIPELINE, names.subList(2, names.size()));
        SslHandler ssl = assertInstanceOf(SslHandler.class,
                channel.pipeline().get(BrokerChannelInitializer.SSL_HANDLER));
        assertFalse(ssl.engine().getUseClientMode());
        assertTrue(encoder().copiesFileRecords());
    }

    @Test
    void shouldCloseAConnectionBeyondMaxConnectionsAndAdmitAgainOnceOneCloses() throws Exception {
        ConnectionLimits limits = new ConnectionLimits(1, Integer.MAX_VALUE);
        BrokerChannelInitializer initializer = new BrokerChannelInitializer("PLAINTEXT", null, false, 1024 * 1024,
                new ApiDispatcher(), Runnable::run, connections, new BrokerMetrics(true, id -> null),
                new ConnectionPolicy(limits, null, RequestThrottle.NONE));
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(initializer).bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            try (Socket admitted = connect(port); Socket refused = connect(port)) {
                assertEquals(-1, refused.getInputStream().read(), "the second connection is closed at once");
                assertEquals(1, limits.openConnections());
                assertEquals(1, connections.size());

                admitted.close();
                awaitOpenConnections(limits, 0);
                try (Socket later = connect(port)) {
                    awaitOpenConnections(limits, 1);
                }
            }
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void awaitOpenConnections(ConnectionLimits limits, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (limits.openConnections() != expected) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("open connections stayed " + limits.openConnections() + ", not " + expected);
            }
            Thread.sleep(5);
        }
    }

    private BrokerChannelInitializer initializer(String listenerName, SslContext sslContext) {
        return new BrokerChannelInitializer(listenerName, sslContext, 1024 * 1024, new ApiDispatcher(),
                Runnable::run, connections, new BrokerMetrics(true, id -> null));
    }

    private List<String> handlerNames() {
        // the tail context Netty appends to every pipeline is not a handler of ours
        return channel.pipeline().names().stream().filter(name -> !name.startsWith("DefaultChannelPipeline"))
                .toList();
    }

    private ResponseEncoder encoder() {
        return (ResponseEncoder) channel.pipeline().get(BrokerChannelInitializer.RESPONSE_ENCODER);
    }
}
