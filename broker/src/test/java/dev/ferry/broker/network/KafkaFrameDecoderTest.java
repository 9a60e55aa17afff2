package dev.ferry.broker.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
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
