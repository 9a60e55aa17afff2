package dev.ferry.broker.network;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class TlsFailureHandlerTest {

    private final AtomicReference<Throwable> passedOn = new AtomicReference<>();
    private final EmbeddedChannel channel = new EmbeddedChannel(TlsFailureHandler.INSTANCE,
            new ChannelInboundHandlerAdapter() {
                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    passedOn.set(cause);
                }
            });

    @Test
    void shouldCloseConnectionOfPlaintextPeerWithoutPassingTheErrorOn() {
        channel.pipeline().fireExceptionCaught(new DecoderException(new NotSslRecordException("not TLS: 0000")));

        assertFalse(channel.isOpen());
        assertNull(passedOn.get());
    }

    @Test
    void shouldCloseConnectionWhenHandshakeFails() {
        channel.pipeline().fireExceptionCaught(new SSLHandshakeException("no cipher suites in common"));

        assertFalse(channel.isOpen());
        assertNull(passedOn.get());
    }

    @Test
    void shouldPassOtherErrorsOn() {
        IllegalStateException other = new IllegalStateException("broken");

        channel.pipeline().fireExceptionCaught(other);

        assertTrue(channel.isOpen());
        assertSame(other, passedOn.get());
        channel.finishAndReleaseAll();
    }
}
