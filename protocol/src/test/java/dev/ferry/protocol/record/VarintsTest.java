package dev.ferry.protocol.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import org.apache.kafka.common.utils.ByteUtils;
import org.junit.jupiter.api.Test;

class VarintsTest {
    private static final int[] INTS = {0, 1, -1, 63, -64, 64, -65, 8191, 8192, -8193, 1 << 20, Integer.MAX_VALUE,
        Integer.MIN_VALUE, 300, -300};
    private static final long[] LONGS = {0L, 1L, -1L, 63L, -64L, 64L, 1L << 35, -(1L << 35), 1L << 56,
        Long.MAX_VALUE, Long.MIN_VALUE, 1_700_000_000_000L};

    @Test
    void shouldEncodeVarintsByteForByteAsKafka() {
        for (int value : INTS) {
            ByteBuffer kafka = ByteBuffer.allocate(5);
            ByteUtils.writeVarint(value, kafka);
            ByteBuf ours = Unpooled.buffer();
            try {
                Varints.writeVarint(ours, value);

                assertEquals(ByteUtils.sizeOfVarint(value), Varints.sizeOfVarint(value), "size of " + value);
                assertEquals(ByteBuffer.wrap(kafka.array(), 0, kafka.position()),
                        ByteBuffer.wrap(ByteBufUtil.getBytes(ours)), "bytes of " + value);
                ByteBufCursor cursor = new ByteBufCursor().reset(ours, 0, ours.writerIndex());
                assertEquals(value, cursor.readVarint());
                assertFalse(cursor.overrun());
                assertEquals(ours.writerIndex(), cursor.position());
            } finally {
                ours.release();
            }
        }
    }

    @Test
    void shouldEncodeVarlongsByteForByteAsKafka() {
        for (long value : LONGS) {
            ByteBuffer kafka = ByteBuffer.allocate(10);
            ByteUtils.writeVarlong(value, kafka);
            ByteBuf ours = Unpooled.buffer();
            try {
                Varints.writeVarlong(ours, value);

                assertEquals(ByteUtils.sizeOfVarlong(value), Varints.sizeOfVarlong(value), "size of " + value);
                assertEquals(ByteBuffer.wrap(kafka.array(), 0, kafka.position()),
                        ByteBuffer.wrap(ByteBufUtil.getBytes(ours)), "bytes of " + value);
                ByteBufCursor cursor = new ByteBufCursor().reset(ours, 0, ours.writerIndex());
                assertEquals(value, cursor.readVarlong());
                assertFalse(cursor.overrun());
            } finally {
                ours.release();
            }
        }
    }

    @Test
    void shouldMarkAVarintLongerThanFiveBytesAsOverrun() {
        ByteBuf buffer = Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
            (byte) 0x80, 0x01});
        try {
            ByteBufCursor cursor = new ByteBufCursor().reset(buffer, 0, buffer.writerIndex());

            assertEquals(0, cursor.readVarint());
            assertTrue(cursor.overrun());
        } finally {
            buffer.release();
        }
    }

    @Test
    void shouldStopAtTheLimitInsteadOfReadingFurther() {
        ByteBuf buffer = Unpooled.wrappedBuffer(new byte[] {(byte) 0x96, 0x01, 5, 6, 7});
        try {
            ByteBufCursor cursor = new ByteBufCursor().reset(buffer, 0, 1);

            assertEquals(0, cursor.readVarint());
            assertTrue(cursor.overrun());

            cursor.reset(buffer, 0, 5);
            assertEquals(75, cursor.readVarint());
            cursor.skip(4);
            assertTrue(cursor.overrun());
            assertEquals(2, cursor.position());
        } finally {
            buffer.release();
        }
    }
}
