package dev.ferry.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits the byte stream into Kafka request frames: a big-endian int32 size followed by that many bytes.
 *
 * <p>The declared size is checked against {@code socket.request.max.bytes} as soon as the four size bytes arrive,
 * before any of the body is buffered: a negative or oversize frame closes this connection only, as Kafka's
 * {@code NetworkReceive} does, so a hostile size never makes the broker allocate.
 *
 * <p><b>Ownership:</b> each frame is passed on as a retained slice bounded to the frame (without the size prefix);
 * the next handler owns it and must release it.
 */
public final class KafkaFrameDecoder extends ByteToMessageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaFrameDecoder.class);
    private static final int SIZE_PREFIX_BYTES = 4;

    private final int maxFrameBytes;
    private boolean rejected;

    /** @param maxFrameBytes the largest frame body accepted, {@code socket.request.max.bytes} */
    public KafkaFrameDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (rejected) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < SIZE_PREFIX_BYTES) {
            return;
        }
        int frameBytes = in.getInt(in.readerIndex());
        if (frameBytes < 0 || frameBytes > maxFrameBytes) {
            rejected = true;
            in.skipBytes(in.readableBytes());
            LOG.warn("Closing connection from {}: request size {} is {} (socket.request.max.bytes = {})",
                    ctx.channel().remoteAddress(), frameBytes, frameBytes < 0 ? "negative" : "too large",
                    maxFrameBytes);
            ctx.close();
            return;
        }
        if (in.readableBytes() < SIZE_PREFIX_BYTES + frameBytes) {
            return;
        }
        // bound the next decoder to this frame
        out.add(in.retainedSlice(in.readerIndex() + SIZE_PREFIX_BYTES, frameBytes));
        in.skipBytes(SIZE_PREFIX_BYTES + frameBytes);
    }
}
