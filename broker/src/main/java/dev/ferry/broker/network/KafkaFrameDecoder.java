package dev.ferry.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits the byte stream into Kafka request frames: a big-endian int32 size followed by that many bytes.
 *
 * <p>The declared size is checked against {@code socket.request.max.bytes} as soon as the four size bytes arrive,
 * before any of the body is buffered: a negative or oversize frame closes this connection only, as Kafka's
 * {@code NetworkReceive} does, so a hostile size never makes the broker allocate.
 *
 * <p>Memory stays proportional to the frames in flight, as with Kafka's receive buffers: a frame that arrived whole
 * within one read is passed on as a slice of that read's buffer, without a copy; a frame spread over several reads is
 * copied once into a buffer of its own, which starts at its declared size up to {@value #MAX_UNRECEIVED_BYTES} bytes
 * and grows with what arrives beyond that. Netty's accumulating decoder is not used on purpose: while any frame sliced
 * from its buffer is still being handled, that buffer can neither be compacted nor replaced, so under a client that
 * keeps requests coming it grows by everything read, to tens of megabytes per connection.
 *
 * <p><b>Ownership:</b> each frame is passed on as a buffer bounded to the frame (without the size prefix); the next
 * handler owns it and must release it. A partly received frame is released when the connection closes.
 */
public final class KafkaFrameDecoder extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaFrameDecoder.class);
    private static final int SIZE_PREFIX_BYTES = 4;
    /** The most a frame's buffer starts with, before its bytes arrive: a default-size produce request fits. */
    static final int MAX_UNRECEIVED_BYTES = 1024 * 1024;

    private final int maxFrameBytes;
    /** The size prefix read so far, big-endian, while {@link #sizeBytesRead} is under four. */
    private int partialSize;
    private int sizeBytesRead;
    /** The frame being filled, or null between frames. */
    private ByteBuf frame;
    private boolean rejected;

    /** @param maxFrameBytes the largest frame body accepted, {@code socket.request.max.bytes} */
    public KafkaFrameDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            while (in.isReadable() && !rejected && !ctx.isRemoved()) {
                if (frame == null) {
                    startFrame(ctx, in);
                } else {
                    frame.writeBytes(in, Math.min(in.readableBytes(), frame.maxWritableBytes()));
                    if (frame.maxWritableBytes() == 0) {
                        ByteBuf complete = frame;
                        frame = null;
                        ctx.fireChannelRead(complete);
                    }
                }
            }
        } finally {
            in.release();
        }
    }

    /**
     * Reads the size prefix, or as much of it as {@code in} holds. Once it is complete, either passes the frame on
     * as a slice of {@code in} (when all of it is there) or starts a buffer for it.
     */
    private void startFrame(ChannelHandlerContext ctx, ByteBuf in) {
        if (sizeBytesRead == 0 && in.readableBytes() >= SIZE_PREFIX_BYTES) {
            partialSize = in.readInt();
        } else {
            while (sizeBytesRead < SIZE_PREFIX_BYTES && in.isReadable()) {
                partialSize = (partialSize << Byte.SIZE) | in.readUnsignedByte();
                sizeBytesRead++;
            }
            if (sizeBytesRead < SIZE_PREFIX_BYTES) {
                return;
            }
        }
        int frameBytes = partialSize;
        partialSize = 0;
        sizeBytesRead = 0;
        if (frameBytes < 0 || frameBytes > maxFrameBytes) {
            reject(ctx, frameBytes);
        } else if (in.readableBytes() >= frameBytes) {
            ctx.fireChannelRead(in.readRetainedSlice(frameBytes));
        } else {
            frame = ctx.alloc().ioBuffer(Math.min(frameBytes, MAX_UNRECEIVED_BYTES), frameBytes);
        }
    }

    private void reject(ChannelHandlerContext ctx, int frameBytes) {
        rejected = true;
        LOG.warn("Closing connection from {}: request size {} is {} (socket.request.max.bytes = {})",
                ctx.channel().remoteAddress(), frameBytes, frameBytes < 0 ? "negative" : "too large", maxFrameBytes);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseFrame();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseFrame();
    }

    private void releaseFrame() {
        if (frame != null) {
            frame.release();
            frame = null;
        }
    }
}
