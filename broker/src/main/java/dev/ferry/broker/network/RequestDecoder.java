package dev.ferry.broker.network;

import dev.ferry.broker.handler.ApiDispatcher;
import dev.ferry.broker.handler.ApiDispatcher.Registration;
import dev.ferry.broker.handler.ApiVersionsHandler;
import dev.ferry.broker.handler.RequestContext;
import dev.ferry.protocol.ApiMessage;
import dev.ferry.protocol.ProtocolException;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.RequestHeaderData;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a frame into a {@link KafkaRequest}: the API key and version first, then the request header at the version
 * that API needs, then the body.
 *
 * <p>Mirrors Kafka's {@code SocketServer}: an API key the broker does not serve, a version outside the served range,
 * or a malformed header or body closes the connection. The one exception is ApiVersions at a version the broker does
 * not know: its body is not parsed and the request is answered at version 0 with UNSUPPORTED_VERSION and the
 * ApiVersions range the broker does serve, so that newer clients can retry at a version both sides know. Bytes left
 * after the body are ignored, as Kafka's {@code RequestContext.parseRequest} ignores them.
 *
 * <p><b>Ownership:</b> takes ownership of each frame; passes it on inside the {@link KafkaRequest} or releases it
 * when the request is refused. Not sharable: one instance per connection.
 */
public final class RequestDecoder extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(RequestDecoder.class);
    private static final int API_KEY_AND_VERSION_BYTES = 4;

    private final ApiDispatcher dispatcher;
    private final String listenerName;
    private boolean closing;

    public RequestDecoder(ApiDispatcher dispatcher, String listenerName) {
        this.dispatcher = dispatcher;
        this.listenerName = listenerName;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (closing) {
            frame.release();
            return;
        }
        KafkaRequest request;
        try {
            request = decode(ctx, frame);
        } catch (InvalidRequestException e) {
            frame.release();
            closing = true;
            LOG.info("Closing connection from {} on listener {}: {}", ctx.channel().remoteAddress(), listenerName,
                    e.getMessage());
            ctx.close();
            return;
        }
        ctx.fireChannelRead(request);
    }

    private KafkaRequest decode(ChannelHandlerContext ctx, ByteBuf frame) {
        long receivedNanos = System.nanoTime();
        if (frame.readableBytes() < API_KEY_AND_VERSION_BYTES) {
            throw new InvalidRequestException("a request of " + frame.readableBytes() + " bytes has no header");
        }
        short apiKey = frame.getShort(frame.readerIndex());
        short version = frame.getShort(frame.readerIndex() + 2);
        ApiMessageType api = ApiMessageType.fromApiKey(apiKey);
        Registration registration = api == null ? null : dispatcher.registration(apiKey);
        if (registration == null) {
            throw new InvalidRequestException("unknown API key " + apiKey);
        }
        boolean unsupportedApiVersions = false;
        if (!registration.supports(version)) {
            if (api != ApiMessageType.API_VERSIONS) {
                throw new InvalidRequestException(api.apiName() + " version " + version + " is not enabled (serving "
                        + registration.minVersion() + " to " + registration.maxVersion() + ")");
            }
            unsupportedApiVersions = true;
        }
        RequestHeaderData header = new RequestHeaderData();
        try {
            header.read(frame, headerVersion(api, version));
        } catch (ProtocolException | IndexOutOfBoundsException e) {
            throw new InvalidRequestException("malformed " + api.apiName() + " request header: " + e.getMessage(), e);
        }
        // Kafka treats a null client id (a quirk of the header schema) as empty
        String clientId = header.clientId() == null ? "" : header.clientId();
        short bodyVersion = unsupportedApiVersions ? 0 : version;
        RequestContext context = new RequestContext(apiKey, bodyVersion, header.correlationId(), clientId,
                inetAddress(ctx.channel().remoteAddress()), listenerName, receivedNanos);
        ApiMessage body = api.newRequest();
        if (unsupportedApiVersions) {
            LOG.debug("ApiVersions version {} from {} is not supported; answering at version 0", version,
                    ctx.channel().remoteAddress());
            return new KafkaRequest(api, context, body, frame,
                    ApiVersionsHandler.unsupportedVersionResponse(registration));
        }
        try {
            body.read(frame, version);
        } catch (ProtocolException | IndexOutOfBoundsException e) {
            throw new InvalidRequestException("malformed " + api.apiName() + " v" + version
                    + " request (correlation id " + header.correlationId() + "): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new InvalidRequestException("unreadable " + api.apiName() + " v" + version + " request: " + e, e);
        }
        if (frame.isReadable()) {
            LOG.debug("Ignoring {} bytes after a {} v{} request from {}", frame.readableBytes(), api.apiName(),
                    version, ctx.channel().remoteAddress());
        }
        return new KafkaRequest(api, context, body, frame, null);
    }

    /**
     * The request header version of {@code api} at {@code version}. For an ApiVersions request newer than any known
     * version, the header is read as the newest known version reads it (flexibility never goes away once introduced),
     * as Kafka derives it from the spec's open-ended flexible range.
     */
    private static short headerVersion(ApiMessageType api, short version) {
        short known = version;
        if (version > api.highestSupportedVersion()) {
            known = api.highestSupportedVersion();
        } else if (version < api.lowestSupportedVersion()) {
            known = api.lowestSupportedVersion();
        }
        return api.requestHeaderVersion(known);
    }

    private static InetSocketAddress inetAddress(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet : null;
    }
}
