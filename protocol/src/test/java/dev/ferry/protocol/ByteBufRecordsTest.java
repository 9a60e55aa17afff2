package dev.ferry.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class ByteBufRecordsTest {

    @Test
    void shouldCompareByReadableContent() {
        ByteBuf padded = Unpooled.wrappedBuffer(new byte[] {9, 1, 2, 3});
        padded.skipBytes(1);
        ByteBufRecords sliced = new ByteBufRecords(padded);
        ByteBufRecords plain = new ByteBufRecords(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
        assertEquals(plain, sliced);
        assertEquals(plain.hashCode(), sliced.hashCode());
        assertEquals(3, sliced.sizeInBytes());
        assertNotEquals(plain, new ByteBufRecords(Unpooled.wrappedBuffer(new byte[] {1, 2, 4})));
    }

    @Test
    void shouldCopyReadableBytesWithoutMovingTheSource() {
        ByteBuf source = Unpooled.wrappedBuffer(new byte[] {0, 5, 6});
        source.skipBytes(1);
        ByteBuf out = Unpooled.buffer();
        try {
            RecordsWriter.COPYING.write(out, new ByteBufRecords(source));
            assertEquals(1, source.readerIndex());
            assertEquals(1, source.refCnt());
            assertEquals("0506", ByteBufUtil.hexDump(out));
        } finally {
            out.release();
            source.release();
        }
    }

    @Test
    void shouldRefuseToCopyOtherRecords() {
        ByteBuf out = Unpooled.buffer();
        try {
            assertThrows(ProtocolException.class, () -> RecordsWriter.COPYING.write(out, () -> 1));
        } finally {
            out.release();
        }
    }
}
