package dev.ferry.protocol.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.Message;
import dev.ferry.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Truncated, oversized and corrupt input must end in a {@link ProtocolException}: never another exception, a large
 * allocation or a loop that does not terminate.
 */
class MalformedInputTest {

    @Test
    void shouldRejectEveryTruncationOfEveryMessage() {
        MessageRandomizer randomizer = new MessageRandomizer(7L);
        int checkedPrefixes = 0;
        for (ApiMessageType type : ApiMessageType.values()) {
            for (short version = type.lowestSupportedVersion(); version <= type.highestSupportedVersion(); version++) {
                checkedPrefixes += assertEveryPrefixRejected(randomizer.request(type.apiKey(), version),
                    type.newRequest(), version);
                checkedPrefixes += assertEveryPrefixRejected(randomizer.response(type.apiKey(), version),
                    type.newResponse(), version);
            }
        }
        assertTrue(checkedPrefixes > 10_000, "expected many prefixes, checked " + checkedPrefixes);
    }

    @Test
    void shouldRejectNegativeLengthForNonNullableString() {
        ProtocolException e = assertReadFails(new SaslHandshakeRequestData(), (short) 1, out -> out.writeShort(-1));
        assertTrue(e.getMessage().contains("mechanism"), e.getMessage());
    }

    @Test
    void shouldRejectStringLongerThanRemainingBytes() {
        assertReadFails(new SaslHandshakeRequestData(), (short) 1,
            out -> out.writeShort(0x7fff).writeBytes(new byte[3]));
    }

    @Test
    void shouldRejectHugeArrayLengthWithoutAllocating() {
        assertReadFails(new ApiVersionsResponseData(), (short) 0,
            out -> out.writeShort(0).writeInt(Integer.MAX_VALUE).writeShort(1));
    }

    @Test
    void shouldRejectNegativeLengthForNonNullableArray() {
        assertReadFails(new ApiVersionsResponseData(), (short) 0, out -> out.writeShort(0).writeInt(-2));
    }

    @Test
    void shouldRejectHugeBytesLength() {
        assertReadFails(new SaslAuthenticateRequestData(), (short) 0,
            out -> out.writeInt(Integer.MAX_VALUE).writeLong(1L));
    }

    @Test
    void shouldRejectHugeRecordsLength() {
        assertReadFails(new ProduceRequestData(), (short) 3, out -> {
            out.writeShort(-1);
            out.writeShort(1);
            out.writeInt(1000);
            out.writeInt(1);
            out.writeShort(1).writeByte('t');
            out.writeInt(1);
            out.writeInt(0);
            out.writeInt(Integer.MAX_VALUE).writeLong(0L);
        });
    }

    @Test
    void shouldRejectHugeCompactStringLength() {
        // unsigned varint 0x7ffffff0: a compact length far beyond the input
        assertReadFails(new ApiVersionsRequestData(), (short) 3,
            out -> out.writeBytes(new byte[] {(byte) 0xf0, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07}));
    }

    @Test
    void shouldRejectCompactNullForNonNullableString() {
        assertReadFails(new ApiVersionsRequestData(), (short) 3, out -> out.writeByte(0));
    }

    @Test
    void shouldRejectVarintLongerThanFiveBytes() {
        ProtocolException e = assertReadFails(new ApiVersionsRequestData(), (short) 3,
            out -> out.writeBytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1}));
        assertTrue(e.getMessage().contains("varint"), e.getMessage());
    }

    @Test
    void shouldRejectTruncatedVarint() {
        assertReadFails(new ApiVersionsRequestData(), (short) 3, out -> out.writeByte(0x80));
    }

    @Test
    void shouldRejectTaggedFieldSizeBeyondInput() {
        assertReadFails(new ApiVersionsRequestData(), (short) 3, out -> {
            out.writeBytes(new byte[] {2, 'a', 2, 'b'});
            out.writeBytes(new byte[] {1, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07});
        });
    }

    @Test
    void shouldRejectHugeTaggedFieldCountOnShortInput() {
        assertReadFails(new ApiVersionsRequestData(), (short) 3, out -> {
            out.writeBytes(new byte[] {2, 'a', 2, 'b'});
            out.writeBytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 9, 0});
        });
    }

    @Test
    void shouldRejectKnownTaggedFieldWhoseValueOverrunsItsSize() {
        // ApiVersionsResponse v3: tag 0 (SupportedFeatures) declares 1 byte but holds a one-element array
        assertReadFails(new ApiVersionsResponseData(), (short) 3, out -> {
            out.writeShort(0);
            out.writeByte(1);
            out.writeInt(0);
            out.writeBytes(new byte[] {1, 0, 1, 2, 2, 'f', 0, 1, 0, 2, 0});
        });
    }

    @Test
    void shouldSkipUnknownTaggedFields() {
        ByteBuf in = Unpooled.buffer();
        try {
            in.writeBytes(new byte[] {2, 'a', 2, 'b'});
            in.writeBytes(new byte[] {2, 5, 3, 9, 9, 9, 7, 0});
            ApiVersionsRequestData request = new ApiVersionsRequestData(in, (short) 3);
            assertEquals("a", request.clientSoftwareName());
            assertEquals("b", request.clientSoftwareVersion());
            assertEquals(0, in.readableBytes());
        } finally {
            in.release();
        }
    }

    @Test
    void shouldRejectVersionsOutsideTheValidRange() {
        ProduceRequestData request = new ProduceRequestData();
        ByteBuf buffer = Unpooled.buffer();
        try {
            assertThrows(ProtocolException.class, () -> request.write(buffer, (short) 2));
            assertThrows(ProtocolException.class, () -> request.write(buffer, (short) 14));
            assertThrows(ProtocolException.class, () -> request.size((short) -1));
            assertEquals(0, buffer.writerIndex());
            buffer.writeZero(64);
            assertThrows(ProtocolException.class, () -> request.read(buffer, (short) 2));
            assertThrows(ProtocolException.class, () -> new RequestHeaderData(buffer, (short) 3));
        } finally {
            buffer.release();
        }
    }

    private static int assertEveryPrefixRejected(Message message, Message target, short version) {
        ByteBuf full = Unpooled.buffer();
        try {
            message.write(full, version);
            byte[] bytes = ByteBufUtil.getBytes(full);
            for (int length = 0; length < bytes.length; length++) {
                ByteBuf prefix = Unpooled.wrappedBuffer(bytes, 0, length);
                try {
                    assertThrows(ProtocolException.class, () -> target.read(prefix, version),
                        () -> message.getClass().getSimpleName() + " v" + version + " prefix of " + prefix.capacity());
                } finally {
                    prefix.release();
                }
            }
            return bytes.length;
        } finally {
            full.release();
        }
    }

    private static ProtocolException assertReadFails(Message target, short version, Consumer<ByteBuf> input) {
        ByteBuf in = Unpooled.buffer();
        try {
            input.accept(in);
            return assertThrows(ProtocolException.class, () -> target.read(in, version));
        } finally {
            in.release();
        }
    }
}
