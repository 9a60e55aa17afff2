package dev.ferry.broker.network;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a TLS connection whose peer does not speak TLS or fails the handshake, with one log line naming the remote
 * address and the kind of failure. The failure's own message is left out on purpose: for a plaintext client it holds
 * the client's first bytes in hex, client id included, which may be a tenant's key. Other errors pass on.
 *
 * <p>Stateless and sharable; sits right after the {@code SslHandler}.
 */
@Sharable
final class TlsFailureHandler extends ChannelInboundHandlerAdapter {

    static final TlsFailureHandler INSTANCE = new TlsFailureHandler();

    private static final Logger LOG = LoggerFactory.getLogger(TlsFailureHandler.class);

    private TlsFailureHandler() {
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable tlsFailure = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (tlsFailure instanceof NotSslRecordException) {
            LOG.info("Closing connection from {}: not TLS, on a TLS listener", ctx.channel().remoteAddress());
            ctx.close();
        } else if (tlsFailure instanceof SSLException) {
            LOG.info("Closing connection from {}: TLS failed ({})", ctx.channel().remoteAddress(),
                    tlsFailure.getClass().getSimpleName());
            ctx.close();
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }
}
