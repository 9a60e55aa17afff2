package dev.ferry.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.common.utils.ByteUtils;
import org.junit.jupiter.api.Test;

class WireReaderTest {

    @Test
    void shouldDecodeUnsignedVarintsLikeKafka() {
        int[] values = {0, 1, 127, 128, 300, 16_384, 2_097_152, 268_435_456, Integer.MAX_VALUE, -1};
        for (int value : values) {
            ByteBuffer kafka = ByteBuffer.allocate(5);
            ByteUtils.writeUnsignedVarint(value, kafka);
            kafka.flip();
            ByteBuf in = Unpooled.wrappedBuffer(kafka);
            assertEquals(value, WireReader.readUnsignedVarint(in));
            assertEquals(0, in.readableBytes());
        }
    }

    @Test
    void shouldRejectTruncatedFixedWidthValues() {
        assertRejected(new byte[] {}, WireReader::readInt8);
        assertRejected(new byte[] {1}, WireReader::readInt16);
        assertRejected(new byte[] {1}, WireReader::readUint16);
        assertRejected(new byte[] {1, 2, 3}, WireReader::readInt32);
        assertRejected(new byte[] {1, 2, 3}, WireReader::readUint32);
        assertRejected(new byte[7], WireReader::readInt64);
        assertRejected(new byte[7], WireReader::readFloat64);
        assertRejected(new byte[15], WireReader::readUuid);
    }

    @Test
    void shouldReadUnsignedTypesWithoutSignExtension() {
        assertEquals(Integer.valueOf(0xffff), read(new byte[] {-1, -1}, WireReader::readUint16));
        assertEquals(Long.valueOf(0xffffffffL), read(new byte[] {-1, -1, -1, -1}, WireReader::readUint32));
        assertEquals(Boolean.TRUE, read(new byte[] {2}, WireReader::readBool));
        assertEquals(new UUID(1L, 2L), read(new byte[] {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2},
            WireReader::readUuid));
    }

    @Test
    void shouldReadNullForNegativeLengthWhenNullable() {
        assertNull(read(new byte[] {-1, -1}, in -> WireReader.readString(in, false, true, "f")));
        assertNull(read(new byte[] {0}, in -> WireReader.readString(in, true, true, "f")));
        assertNull(read(new byte[] {-1, -1, -1, -1}, in -> WireReader.readBytes(in, false, true, "f")));
        assertNull(read(new byte[] {0}, in -> WireReader.readRecords(in, true, true, "f")));
        assertEquals(Integer.valueOf(-1), read(new byte[] {0}, in -> WireReader.readArrayLength(in, true, true, "f")));
    }

    @Test
    void shouldRejectNegativeLengthWhenNotNullable() {
        assertRejected(new byte[] {-1, -2}, in -> WireReader.readString(in, false, false, "f"));
        assertRejected(new byte[] {0}, in -> WireReader.readBytes(in, true, false, "f"));
        assertRejected(new byte[] {-1, -1, -1, -1}, in -> WireReader.readRecords(in, false, false, "f"));
        assertRejected(new byte[] {0}, in -> WireReader.readArrayLength(in, true, false, "f"));
    }

    @Test
    void shouldRejectLengthsBeyondTheInput() {
        assertRejected(new byte[] {0, 3, 'a', 'b'}, in -> WireReader.readString(in, false, false, "f"));
        assertRejected(new byte[] {0x7f, -1, -1, -1, 0}, in -> WireReader.readBytes(in, false, false, "f"));
        assertRejected(new byte[] {0x7f, -1, -1, -1}, in -> WireReader.readArrayLength(in, false, false, "f"));
        assertRejected(new byte[] {5, 1, 2}, in -> WireReader.readRecords(in, true, false, "f"));
    }

    @Test
    void shouldReadBytesAndStringsOfTheDeclaredLength() {
        assertArrayEquals(new byte[] {7, 8}, read(new byte[] {3, 7, 8, 9}, in -> WireReader.readBytes(in, true,
            false, "f")));
        assertEquals("h\u00e9", read(new byte[] {0, 3, 'h', (byte) 0xc3, (byte) 0xa9},
            in -> WireReader.readString(in, false, false, "f")));
    }

    @Test
    void shouldCapInitialListCapacity() {
        assertEquals(3, WireReader.initialCapacity(3));
        assertEquals(1024, WireReader.initialCapacity(100_000_000));
    }

    private static <T> T read(byte[] bytes, Function<ByteBuf, T> reader) {
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        try {
            return reader.apply(in);
        } finally {
            in.release();
        }
    }

    private static void assertRejected(byte[] bytes, Function<ByteBuf, ?> reader) {
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        try {
            assertThrows(ProtocolException.class, () -> reader.apply(in));
        } finally {
            in.release();
        }
    }
}
