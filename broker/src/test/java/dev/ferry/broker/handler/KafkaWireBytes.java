package dev.ferry.broker.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.protocol.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.ByteBufferAccessor;

/** Encodes a message with Ferry's codec, for decoding with kafka-clients' own classes in handler tests. */
final class KafkaWireBytes {

    private KafkaWireBytes() {
    }

    /** The bytes of {@code message} at {@code version}, after checking they are as many as its size says. */
    static ByteBufferAccessor encode(Message message, short version) {
        ByteBuf out = Unpooled.buffer();
        try {
            message.write(out, version);
            assertEquals(message.size(version), out.readableBytes());
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            return new ByteBufferAccessor(ByteBuffer.wrap(bytes));
        } finally {
            out.release();
        }
    }
}
