package dev.ferry.broker.network;

import dev.ferry.protocol.message.ResponseHeaderData;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.PromiseCombiner;
import java.util.List;

/**
 * Writes a {@link KafkaResponse} as Kafka frames it: an int32 size, the response header at the API's response header
 * version, then the body. Records held in files ({@link FetchSliceRecords}) are not copied: the output is split into
 * buffers and {@link FetchSliceRegion}s written in order, the size prefix counting the regions' bytes. Under TLS a
 * region cannot be sent as is (the SslHandler must encrypt the bytes), so a {@link #copying()} encoder reads the
 * records into the response buffer instead.
 *
 * <p><b>Ownership:</b> consumes each response. Its regions are released by Netty once sent, or when the write fails
 * (including on a closed channel), which closes their slices. Stateless and sharable.
 */
@Sharable
public final class ResponseEncoder extends ChannelOutboundHandlerAdapter {

    /** Responses up to this size are written into a buffer allocated at their exact size; larger ones grow it. */
    private static final int MAX_INITIAL_BUFFER_BYTES = 64 * 1024;
    private static final int SIZE_PREFIX_BYTES = 4;

    private final boolean copyFileRecords;

    /** An encoder sending records held in files as zero-copy file regions: for plaintext connections. */
    public ResponseEncoder() {
        this(false);
    }

    private ResponseEncoder(boolean copyFileRecords) {
        this.copyFileRecords = copyFileRecords;
    }

    /** An encoder copying records held in files into the response buffer: for connections under TLS. */
    public static ResponseEncoder copying() {
        return new ResponseEncoder(true);
    }

    /** True when this encoder copies records held in files rather than sending file regions. */
    boolean copiesFileRecords() {
        return copyFileRecords;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof KafkaResponse response)) {
            ctx.write(msg, promise);
            return;
        }
        List<Object> parts;
        try {
            parts = encode(ctx, response);
        } catch (RuntimeException e) {
            promise.setFailure(e);
            return;
        }
        if (parts.size() == 1) {
            ctx.write(parts.get(0), promise);
            return;
        }
        PromiseCombiner combiner = new PromiseCombiner(ctx.executor());
        for (Object part : parts) {
            combiner.add(ctx.write(part));
        }
        combiner.finish(promise);
    }

    private List<Object> encode(ChannelHandlerContext ctx, KafkaResponse response) {
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(response.correlationId());
        ByteBuf out = null;
        ResponseRecordsWriter writer = null;
        try {
            // sizing walks the body's records too: a failure there must still close the response's slices
            int frameBytes = header.size(response.headerVersion()) + response.body().size(response.apiVersion());
            out = ctx.alloc().ioBuffer(Math.min(SIZE_PREFIX_BYTES + frameBytes, MAX_INITIAL_BUFFER_BYTES));
            writer = copyFileRecords ? new RecordsCopyingWriter(out) : new ZeroCopyRecordsWriter(out);
            out.writeInt(frameBytes);
            header.write(out, response.headerVersion());
            response.body().write(out, response.apiVersion(), writer);
        } catch (RuntimeException | Error e) {
            if (writer != null) {
                writer.discard();
            } else if (out != null) {
                out.release();
            }
            KafkaResponse.discard(response.body());
            throw e;
        }
        return writer.parts();
    }
}
