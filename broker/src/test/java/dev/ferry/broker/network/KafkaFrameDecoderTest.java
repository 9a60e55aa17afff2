package dev.ferry.broker.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PoolArenaMetric;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KafkaFrameDecoderTest {

    private static final int MAX_FRAME_BYTES = 64;

    private final EmbeddedChannel channel = new EmbeddedChannel(new KafkaFrameDecoder(MAX_FRAME_BYTES));

    @AfterEach
    void closeChannel() {
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldEmitFrameOnlyOnceItsLastByteArrives() {
        ByteBuf wire = frame(new byte[] {1, 2, 3, 4, 5});

        assertFalse(channel.writeInbound(wire.readRetainedSlice(2)));
        assertFalse(channel.writeInbound(wire.readRetainedSlice(4)));
        assertTrue(channel.writeInbound(wire.readRetainedSlice(3)));
        wire.release();

        assertFrame(new byte[] {1, 2, 3, 4, 5}, channel.readInbound());
        assertNull(channel.readInbound());
    }

    @Test
    void shouldSplitSeveralFramesArrivingTogether() {
        ByteBuf wire = Unpooled.buffer();
        writeFrame(wire, new byte[] {7});
        writeFrame(wire, new byte[0]);
        writeFrame(wire, new byte[] {8, 9});
        wire.writeBytes(new byte[] {0, 0}); // start of a fourth frame's size

        channel.writeInbound(wire);

        assertFrame(new byte[] {7}, channel.readInbound());
        assertFrame(new byte[0], channel.readInbound());
        assertFrame(new byte[] {8, 9}, channel.readInbound());
        assertNull(channel.readInbound());
        assertTrue(channel.isOpen());
    }

    @Test
    void shouldAcceptFrameOfExactlyTheLimit() {
        byte[] body = new byte[MAX_FRAME_BYTES];
        body[MAX_FRAME_BYTES - 1] = 42;

        channel.writeInbound(frame(body));

        assertFrame(body, channel.readInbound());
        assertTrue(channel.isOpen());
    }

    @Test
    void shouldCloseConnectionOnOversizeFrameBeforeItsBodyArrives() {
        ByteBuf sizeOnly = Unpooled.buffer().writeInt(MAX_FRAME_BYTES + 1);

        assertFalse(channel.writeInbound(sizeOnly));

        assertFalse(channel.isOpen());
        assertNull(channel.readInbound());
    }

    @Test
    void shouldCloseConnectionOnNegativeSize() {
        ByteBuf wire = Unpooled.buffer().writeInt(-1).writeBytes(new byte[] {1, 2, 3});

        assertFalse(channel.writeInbound(wire));

        assertFalse(channel.isOpen());
        assertNull(channel.readInbound());
    }

    @Test
    void shouldPassFramesAsSlicesBoundedToTheFrame() {
        ByteBuf wire = Unpooled.buffer();
        writeFrame(wire, new byte[] {1, 2});
        writeFrame(wire, new byte[] {3, 4, 5});

        channel.writeInbound(wire);

        ByteBuf first = channel.readInbound();
        assertEquals(2, first.readableBytes());
        assertEquals(2, first.capacity(), "a reader of the first frame must not see the second");
        first.release();
        ByteBuf second = channel.readInbound();
        assertFrame(new byte[] {3, 4, 5}, second);
    }

    @Test
    void shouldKeepNoReadBufferForTheStartOfAFrame() {
        ByteBuf firstRead = Unpooled.buffer();
        writeFrame(firstRead, new byte[] {1, 2});
        firstRead.writeInt(3).writeByte(3);

        channel.writeInbound(firstRead);
        ByteBuf first = channel.readInbound();
        assertEquals(1, firstRead.refCnt(), "only the first frame, a slice of the read, holds it");
        assertFrame(new byte[] {1, 2}, first);
        assertEquals(0, firstRead.refCnt(), "the second frame's start is copied out, not kept in the read buffer");

        ByteBuf secondRead = Unpooled.buffer().writeBytes(new byte[] {4, 5});
        channel.writeInbound(secondRead);
        assertEquals(0, secondRead.refCnt());
        assertFrame(new byte[] {3, 4, 5}, channel.readInbound());
    }

    @Test
    void shouldAssembleFrameLargerThanItsFirstAllocationFromManyReads() {
        int bodyBytes = KafkaFrameDecoder.MAX_UNRECEIVED_BYTES * 3 + 17;
        EmbeddedChannel large = new EmbeddedChannel(new KafkaFrameDecoder(bodyBytes));
        byte[] body = new byte[bodyBytes];
        for (int i = 0; i < bodyBytes; i++) {
            body[i] = (byte) (i * 31);
        }
        ByteBuf wire = frame(body);
        try {
            while (wire.readableBytes() > 65_536) {
                assertFalse(large.writeInbound(wire.readRetainedSlice(65_536)));
            }
            assertTrue(large.writeInbound(wire.readRetainedSlice(wire.readableBytes())));

            ByteBuf assembled = large.readInbound();
            assertEquals(bodyBytes, assembled.capacity());
            assertFrame(body, assembled);
            assertNull(large.readInbound());
        } finally {
            wire.release();
            large.finishAndReleaseAll();
        }
    }

    @Test
    void shouldReleasePartlyReceivedFrameWhenConnectionCloses() {
        // no thread caches, so a released buffer shows as deallocated at once
        PooledByteBufAllocator allocator = new PooledByteBufAllocator(true, 0, 1, 8192, 9, 0, 0, false);
        EmbeddedChannel closing = new EmbeddedChannel(new KafkaFrameDecoder(MAX_FRAME_BYTES));
        closing.config().setAllocator(allocator);

        closing.writeInbound(Unpooled.buffer().writeInt(10).writeBytes(new byte[] {1, 2, 3}));
        assertEquals(1, activeAllocations(allocator), "the partial frame's buffer");
        closing.close();

        assertEquals(0, activeAllocations(allocator));
        assertNull(closing.readInbound());
    }

    @Test
    void shouldReadSizePrefixSplitAcrossReads() {
        ByteBuf wire = frame(new byte[] {6, 7, 8});

        for (int i = 0; i < 4; i++) {
            assertFalse(channel.writeInbound(wire.readRetainedSlice(1)));
        }
        assertTrue(channel.writeInbound(wire.readRetainedSlice(3)));
        wire.release();

        assertFrame(new byte[] {6, 7, 8}, channel.readInbound());
    }

    private static long activeAllocations(PooledByteBufAllocator allocator) {
        return allocator.metric().directArenas().stream().mapToLong(PoolArenaMetric::numActiveAllocations).sum();
    }

    private static ByteBuf frame(byte[] body) {
        return writeFrame(Unpooled.buffer(), body);
    }

    private static ByteBuf writeFrame(ByteBuf wire, byte[] body) {
        return wire.writeInt(body.length).writeBytes(body);
    }

    private static void assertFrame(byte[] expected, ByteBuf frame) {
        try {
            assertArrayEquals(expected, ByteBufUtil.getBytes(frame));
        } finally {
            frame.release();
        }
    }
}
