package dev.ferry.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.apache.kafka.common.utils.ByteUtils;
import org.junit.jupiter.api.Test;

class WireWriterTest {

    @Test
    void shouldEncodeUnsignedVarintsLikeKafka() {
        int[] values = {0, 1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, 268_435_455, 268_435_456,
            Integer.MAX_VALUE, -1, Integer.MIN_VALUE};
        for (int value : values) {
            ByteBuffer kafka = ByteBuffer.allocate(5);
            ByteUtils.writeUnsignedVarint(value, kafka);
            byte[] expected = new byte[kafka.position()];
            kafka.flip().get(expected);
            assertArrayEquals(expected, written(out -> WireWriter.writeUnsignedVarint(out, value)), "value " + value);
            assertEquals(expected.length, WireWriter.sizeOfUnsignedVarint(value), "size of " + value);
            assertEquals(ByteUtils.sizeOfUnsignedVarint(value), WireWriter.sizeOfUnsignedVarint(value));
        }
    }

    @Test
    void shouldWriteStringsAsUtf8WithShortOrCompactLength() {
        String text = "h\u00e9\u65e5";
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        byte[] classic = written(out -> WireWriter.writeString(out, text, false, false, "f"));
        assertArrayEquals(concat(new byte[] {0, (byte) utf8.length}, utf8), classic);
        byte[] compact = written(out -> WireWriter.writeString(out, text, true, false, "f"));
        assertArrayEquals(concat(new byte[] {(byte) (utf8.length + 1)}, utf8), compact);
        assertEquals(classic.length, WireWriter.sizeOfString(text, false));
        assertEquals(compact.length, WireWriter.sizeOfString(text, true));
    }

    @Test
    void shouldWriteNullAsMinusOneOrCompactZero() {
        assertArrayEquals(new byte[] {-1, -1}, written(out -> WireWriter.writeString(out, null, false, true, "f")));
        assertArrayEquals(new byte[] {0}, written(out -> WireWriter.writeString(out, null, true, true, "f")));
        assertArrayEquals(new byte[] {-1, -1, -1, -1},
            written(out -> WireWriter.writeBytes(out, null, false, true, "f")));
        assertArrayEquals(new byte[] {0}, written(out -> WireWriter.writeArrayLength(out, -1, true, true, "f")));
        assertArrayEquals(new byte[] {-1}, written(out -> WireWriter.writeNullStruct(out, true, "f")));
        assertEquals(2, WireWriter.sizeOfString(null, false));
        assertEquals(1, WireWriter.sizeOfBytes(null, true));
        assertEquals(4, WireWriter.sizeOfRecords(null, false));
    }

    @Test
    void shouldRejectNullWhereNotNullableNamingTheField() {
        ByteBuf out = Unpooled.buffer();
        try {
            ProtocolException e = assertThrows(ProtocolException.class,
                () -> WireWriter.writeString(out, null, true, false, "groupId"));
            assertTrue(e.getMessage().contains("groupId"));
            assertThrows(ProtocolException.class, () -> WireWriter.writeBytes(out, null, false, false, "f"));
            assertThrows(ProtocolException.class, () -> WireWriter.writeArrayLength(out, -1, false, false, "f"));
            assertThrows(ProtocolException.class, () -> WireWriter.writeNullStruct(out, false, "f"));
            assertThrows(ProtocolException.class, () -> WireWriter.writeUuid(out, null, "f"));
            assertEquals(0, out.writerIndex(), "nothing is written before the check");
        } finally {
            out.release();
        }
    }

    @Test
    void shouldRejectStringsLongerThanShortMax() {
        String tooLong = "x".repeat(Short.MAX_VALUE + 1);
        ByteBuf out = Unpooled.buffer();
        try {
            assertThrows(ProtocolException.class, () -> WireWriter.writeString(out, tooLong, true, false, "f"));
        } finally {
            out.release();
        }
    }

    @Test
    void shouldWriteRecordsLengthFromSizeInBytes() {
        Records records = () -> 300;
        assertArrayEquals(new byte[] {0, 0, 1, 44}, written(out -> WireWriter.writeRecordsLength(out, records, false,
            true, "records")));
        assertArrayEquals(new byte[] {(byte) 0xad, 0x02}, written(out -> WireWriter.writeRecordsLength(out, records,
            true, true, "records")));
        assertEquals(2 + 300, WireWriter.sizeOfRecords(records, true));
    }

    private static byte[] written(Consumer<ByteBuf> writer) {
        ByteBuf out = Unpooled.buffer();
        try {
            writer.accept(out);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] result = new byte[first.length + second.length];
        System.arraycopy(first, 0, result, 0, first.length);
        System.arraycopy(second, 0, result, first.length, second.length);
        return result;
    }
}
