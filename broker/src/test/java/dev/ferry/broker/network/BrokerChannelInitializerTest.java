package dev.ferry.broker.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.broker.handler.ApiDispatcher;
import dev.ferry.broker.metrics.BrokerMetrics;
import dev.ferry.config.FerryConfig;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
