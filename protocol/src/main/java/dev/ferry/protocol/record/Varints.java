package dev.ferry.protocol.record;

import io.netty.buffer.ByteBuf;

/**
 * Writes Kafka's zig-zag varints, as used inside v2 records. Stateless.
 */
final class Varints {
    private Varints() {
    }

    static int sizeOfVarint(int value) {
        return sizeOfUnsigned((value << 1) ^ (value >> 31));
    }

    static int sizeOfVarlong(long value) {
        long raw = (value << 1) ^ (value >> 63);
        int bytes = 1;
        while ((raw & ~0x7fL) != 0) {
            bytes++;
            raw >>>= 7;
        }
        return bytes;
    }

    static void writeVarint(ByteBuf out, int value) {
        int raw = (value << 1) ^ (value >> 31);
        while ((raw & ~0x7f) != 0) {
            out.writeByte((raw & 0x7f) | 0x80);
            raw >>>= 7;
        }
        out.writeByte(raw);
    }

    static void writeVarlong(ByteBuf out, long value) {
        long raw = (value << 1) ^ (value >> 63);
        while ((raw & ~0x7fL) != 0) {
            out.writeByte((int) (raw & 0x7f) | 0x80);
            raw >>>= 7;
        }
        out.writeByte((int) raw);
    }

    private static int sizeOfUnsigned(int raw) {
        int bytes = 1;
        while ((raw & ~0x7f) != 0) {
            bytes++;
            raw >>>= 7;
        }
        return bytes;
    }
}
