package dev.ferry.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.UUID;

/**
 * Writes and sizes the protocol's variable-length primitive types for the generated message classes.
 *
 * <p>Strings are encoded straight into the buffer as UTF-8, without an intermediate byte array. Stateless and
 * thread-safe; the buffers passed in are not retained.
 */
public final class WireWriter {
    private WireWriter() {
    }

    public static void writeUnsignedVarint(ByteBuf out, int value) {
        int remaining = value;
        while ((remaining & ~0x7f) != 0) {
            out.writeByte((remaining & 0x7f) | 0x80);
            remaining >>>= 7;
        }
        out.writeByte(remaining);
    }

    public static int sizeOfUnsignedVarint(int value) {
        // one byte per started group of seven significant bits
        int significantBits = Integer.SIZE - Integer.numberOfLeadingZeros(value);
        return Math.max(1, (significantBits + 6) / 7);
    }

    public static void writeBool(ByteBuf out, boolean value) {
        out.writeByte(value ? 1 : 0);
    }

    public static void writeUuid(ByteBuf out, UUID value, String field) {
        requireNonNull(value, field);
        out.writeLong(value.getMostSignificantBits());
        out.writeLong(value.getLeastSignificantBits());
    }

    /** Writes a string with an int16 length, or an unsigned varint of length + 1 when {@code compact}. */
    public static void writeString(ByteBuf out, String value, boolean compact, boolean nullable, String field) {
        if (value == null) {
            writeNullLength(out, compact, nullable, field, true);
            return;
        }
        int length = ByteBufUtil.utf8Bytes(value);
        if (length > Short.MAX_VALUE) {
            throw new ProtocolException("String field " + field + " is " + length + " bytes, above the limit of "
                + Short.MAX_VALUE);
        }
        if (compact) {
            writeUnsignedVarint(out, length + 1);
        } else {
            out.writeShort(length);
        }
        ByteBufUtil.reserveAndWriteUtf8(out, value, length);
    }

    public static int sizeOfString(String value, boolean compact) {
        if (value == null) {
            return compact ? 1 : Short.BYTES;
        }
        int length = ByteBufUtil.utf8Bytes(value);
        return (compact ? sizeOfUnsignedVarint(length + 1) : Short.BYTES) + length;
    }

    /** Writes bytes with an int32 length, or an unsigned varint of length + 1 when {@code compact}. */
    public static void writeBytes(ByteBuf out, byte[] value, boolean compact, boolean nullable, String field) {
        if (value == null) {
            writeNullLength(out, compact, nullable, field, false);
            return;
        }
        writeLength(out, value.length, compact);
        out.writeBytes(value);
    }

    public static int sizeOfBytes(byte[] value, boolean compact) {
        return value == null ? sizeOfLength(-1, compact) : sizeOfLength(value.length, compact) + value.length;
    }

    /**
     * Writes the length prefix of a records field from {@link Records#sizeInBytes()}; the caller then hands non-null
     * records to its {@link RecordsWriter}.
     */
    public static void writeRecordsLength(ByteBuf out, Records value, boolean compact, boolean nullable,
                                          String field) {
        if (value == null) {
            writeNullLength(out, compact, nullable, field, false);
            return;
        }
        writeLength(out, value.sizeInBytes(), compact);
    }

    public static int sizeOfRecords(Records value, boolean compact) {
        return value == null ? sizeOfLength(-1, compact)
            : sizeOfLength(value.sizeInBytes(), compact) + value.sizeInBytes();
    }

    /** Writes an array's element count, or the null marker when {@code length} is -1. */
    public static void writeArrayLength(ByteBuf out, int length, boolean compact, boolean nullable, String field) {
        if (length < 0) {
            writeNullLength(out, compact, nullable, field, false);
            return;
        }
        writeLength(out, length, compact);
    }

    public static int sizeOfArrayLength(int length, boolean compact) {
        return sizeOfLength(length, compact);
    }

    /** Writes the marker of a null struct, or throws when the field may not be null at this version. */
    public static void writeNullStruct(ByteBuf out, boolean nullable, String field) {
        if (!nullable) {
            throw new ProtocolException("Non-nullable field " + field + " was null");
        }
        out.writeByte(-1);
    }

    /** Throws a {@link ProtocolException} naming {@code field} when {@code value} is null. */
    public static void requireNonNull(Object value, String field) {
        if (value == null) {
            throw new ProtocolException("Non-nullable field " + field + " was null");
        }
    }

    /** Throws because a field the version lacks holds a value other than its default. */
    public static ProtocolException unsupportedField(String field, short version) {
        return new ProtocolException("Attempted to write a non-default " + field + " at version " + version);
    }

    private static void writeLength(ByteBuf out, int length, boolean compact) {
        if (compact) {
            writeUnsignedVarint(out, length + 1);
        } else {
            out.writeInt(length);
        }
    }

    private static int sizeOfLength(int length, boolean compact) {
        return compact ? sizeOfUnsignedVarint(length + 1) : Integer.BYTES;
    }

    private static void writeNullLength(ByteBuf out, boolean compact, boolean nullable, String field,
                                        boolean shortLength) {
        if (!nullable) {
            throw new ProtocolException("Non-nullable field " + field + " was null");
        }
        if (compact) {
            writeUnsignedVarint(out, 0);
        } else if (shortLength) {
            out.writeShort(-1);
        } else {
            out.writeInt(-1);
        }
    }
}
