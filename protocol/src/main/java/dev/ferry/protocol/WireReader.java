package dev.ferry.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Checked reads of the protocol's primitive types, used by the generated message classes.
 *
 * <p>Every read verifies that its bytes are present before touching them and every length prefix is checked against
 * the remaining readable bytes before anything is allocated, so truncated or hostile input ends in a
 * {@link ProtocolException} rather than an {@link IndexOutOfBoundsException} or a huge allocation. Stateless and
 * thread-safe; the buffers passed in are not retained.
 */
public final class WireReader {
    /** Caps the up-front capacity of a list, so a large declared length only costs memory as elements arrive. */
    private static final int MAX_INITIAL_CAPACITY = 1024;

    private static final int MAX_VARINT_BYTES = 5;

    private WireReader() {
    }

    public static byte readInt8(ByteBuf in) {
        require(in, Byte.BYTES);
        return in.readByte();
    }

    public static short readInt16(ByteBuf in) {
        require(in, Short.BYTES);
        return in.readShort();
    }

    public static int readUint16(ByteBuf in) {
        require(in, Short.BYTES);
        return in.readUnsignedShort();
    }

    public static int readInt32(ByteBuf in) {
        require(in, Integer.BYTES);
        return in.readInt();
    }

    public static long readUint32(ByteBuf in) {
        require(in, Integer.BYTES);
        return in.readUnsignedInt();
    }

    public static long readInt64(ByteBuf in) {
        require(in, Long.BYTES);
        return in.readLong();
    }

    public static double readFloat64(ByteBuf in) {
        require(in, Double.BYTES);
        return in.readDouble();
    }

    /** Any non-zero byte is true, as in Kafka. */
    public static boolean readBool(ByteBuf in) {
        return readInt8(in) != 0;
    }

    public static UUID readUuid(ByteBuf in) {
        require(in, 2 * Long.BYTES);
        return new UUID(in.readLong(), in.readLong());
    }

    /**
     * Reads an unsigned varint of at most five bytes; like Kafka, bits beyond the 32nd are dropped.
     *
     * @throws ProtocolException if the varint is truncated or longer than five bytes
     */
    public static int readUnsignedVarint(ByteBuf in) {
        int value = 0;
        for (int i = 0; i < MAX_VARINT_BYTES; i++) {
            byte b = readInt8(in);
            value |= (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new ProtocolException("Unsigned varint is longer than " + MAX_VARINT_BYTES + " bytes");
    }

    /**
     * Reads a string: an int16 length, or an unsigned varint of length + 1 when {@code compact}; a negative length is
     * null.
     */
    public static String readString(ByteBuf in, boolean compact, boolean nullable, String field) {
        int length = compact ? readUnsignedVarint(in) - 1 : readInt16(in);
        if (length < 0) {
            return nullOrFail(nullable, field);
        }
        if (length > Short.MAX_VALUE) {
            throw new ProtocolException("String field " + field + " had invalid length " + length);
        }
        requireLength(in, length, field);
        String value = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
        in.skipBytes(length);
        return value;
    }

    /** Reads bytes: an int32 length, or an unsigned varint of length + 1 when {@code compact}. */
    public static byte[] readBytes(ByteBuf in, boolean compact, boolean nullable, String field) {
        int length = readLength(in, compact);
        if (length < 0) {
            return nullOrFail(nullable, field);
        }
        requireLength(in, length, field);
        byte[] value = new byte[length];
        in.readBytes(value);
        return value;
    }

    /**
     * Reads a records field as a non-retained slice of {@code in}: the records are valid only while {@code in} is.
     */
    public static Records readRecords(ByteBuf in, boolean compact, boolean nullable, String field) {
        int length = readLength(in, compact);
        if (length < 0) {
            return nullOrFail(nullable, field);
        }
        requireLength(in, length, field);
        Records records = new ByteBufRecords(in.slice(in.readerIndex(), length));
        in.skipBytes(length);
        return records;
    }

    /**
     * Reads an array's element count, -1 for a null array. A count above the remaining bytes is rejected: every
     * element Kafka encodes occupies at least one byte.
     */
    public static int readArrayLength(ByteBuf in, boolean compact, boolean nullable, String field) {
        int length = readLength(in, compact);
        if (length < 0) {
            if (!nullable) {
                throw new ProtocolException("Non-nullable field " + field + " was serialized as null");
            }
            return -1;
        }
        requireLength(in, length, field);
        return length;
    }

    /** A list capacity for {@code length} elements that never reserves much memory before the elements are read. */
    public static int initialCapacity(int length) {
        return Math.min(length, MAX_INITIAL_CAPACITY);
    }

    /** Reads the marker of a nullable struct: true when a struct follows, false for null. */
    public static boolean readStructPresent(ByteBuf in) {
        return readInt8(in) >= 0;
    }

    /** Reads the size of a tagged field's value and checks that many bytes follow. */
    public static int readTaggedFieldSize(ByteBuf in, int tag) {
        int size = readUnsignedVarint(in);
        if (size < 0 || size > in.readableBytes()) {
            throw new ProtocolException("Tagged field " + tag + " had invalid size " + size);
        }
        return size;
    }

    /** Checks that a known tagged field's value used exactly the bytes its size prefix declared. */
    public static void checkTaggedFieldConsumed(ByteBuf in, int start, int size, int tag) {
        int consumed = in.readerIndex() - start;
        if (consumed != size) {
            throw new ProtocolException("Tagged field " + tag + " declared " + size + " bytes but used " + consumed);
        }
    }

    /** Throws unless {@code version} lies within {@code [lowest, highest]}. */
    public static void checkVersion(short version, short lowest, short highest, String message) {
        if (version < lowest || version > highest) {
            throw new ProtocolException("Unsupported version " + version + " of " + message
                + " (supported " + lowest + " to " + highest + ")");
        }
    }

    private static int readLength(ByteBuf in, boolean compact) {
        return compact ? readUnsignedVarint(in) - 1 : readInt32(in);
    }

    private static <T> T nullOrFail(boolean nullable, String field) {
        if (!nullable) {
            throw new ProtocolException("Non-nullable field " + field + " was serialized as null");
        }
        return null;
    }

    private static void require(ByteBuf in, int bytes) {
        if (in.readableBytes() < bytes) {
            throw new ProtocolException("Truncated input: needed " + bytes + " bytes, " + in.readableBytes()
                + " remain");
        }
    }

    private static void requireLength(ByteBuf in, int length, String field) {
        if (length > in.readableBytes()) {
            throw new ProtocolException("Field " + field + " declared length " + length + " but only "
                + in.readableBytes() + " bytes remain");
        }
    }
}
