package dev.ferry.broker.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

/** Requests and responses as kafka-clients writes and reads them, so tests check the wire against Kafka's codec. */
final class KafkaWire {

    static final String CLIENT_ID = "wire-test";

    private KafkaWire() {
    }

    /** The header kafka-clients would send with {@code request} at its version. */
    static RequestHeader header(AbstractRequest request, int correlationId) {
        return new RequestHeader(request.apiKey(), request.version(), CLIENT_ID, correlationId);
    }

    /** A whole frame (size prefix, header, body) as kafka-clients writes it. */
    static ByteBuf frame(AbstractRequest request, int correlationId) {
        ByteBuffer body = request.serializeWithHeader(header(request, correlationId));
        return Unpooled.buffer(4 + body.remaining()).writeInt(body.remaining()).writeBytes(body);
    }

    /** A whole frame as kafka-clients writes it for a client with id {@code clientId}. */
    static ByteBuf frame(AbstractRequest request, int correlationId, String clientId) {
        ByteBuffer body = request.serializeWithHeader(
                new RequestHeader(request.apiKey(), request.version(), clientId, correlationId));
        return Unpooled.buffer(4 + body.remaining()).writeInt(body.remaining()).writeBytes(body);
    }

    /** The same, without the size prefix: what the frame decoder hands on. */
    static ByteBuf frameBody(AbstractRequest request, int correlationId) {
        ByteBuffer body = request.serializeWithHeader(header(request, correlationId));
        return Unpooled.wrappedBuffer(body);
    }

    /** Parses one response frame with kafka-clients, checking the size prefix and the correlation id. */
    static AbstractResponse parseResponse(byte[] frame, RequestHeader requestHeader) {
        ByteBuffer buffer = ByteBuffer.wrap(frame);
        assertEquals(frame.length - 4, buffer.getInt(), "size prefix");
        AbstractResponse response = AbstractResponse.parseResponse(buffer, requestHeader);
        assertEquals(0, buffer.remaining(), "bytes left after the response");
        return response;
    }
}
