package dev.ferry.broker.tenant;

/**
 * Layout of the registry file, {@code .ferry/tenants} in the first log directory: a fixed header, the applications
 * one after the other, and a checksum of everything before it.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                         magic "FTEN"                          |  0
 *  +---------------------------------------------------------------+
 *  |                        format version                         |  4
 *  +---------------------------------------------------------------+
 *  |                    generation (int64): +1 on                  |  8
 *  |                     every write of the file                   |
 *  +---------------------------------------------------------------+
 *  |                      application count                        | 16
 *  +---------------------------------------------------------------+
 *  |                   applications, variable size                 | 20
 *  |                              ...                              |
 *  +---------------------------------------------------------------+
 *  |            CRC-32C of every byte before it (int32)            | length - 4
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Each application, then each of its keys, in this order:
 *
 * <pre>
 *  application := id: string, created ms: int64, SCRAM iterations: int32, SCRAM salt: bytes,
 *                 setting count: int32, (name: string, value: string) * setting count,
 *                 key count: int32, key * key count
 *  key         := name: string, key id: string, role: int8 (see ROLE_*), created ms: int64,
 *                 hash salt: bytes, key hash: bytes,
 *                 SCRAM count: int8, (mechanism code: int8, stored key: bytes, server key: bytes) * SCRAM count
 *  string      := length: uint16, UTF-8 bytes
 *  bytes       := length: uint16, bytes
 * </pre>
 *
 * All integers are big-endian. Applications are written in id order and keys in name order, so equal registries
 * are equal files.
 */
public final class TenantFileDescriptor {

    /** "FTEN" in ASCII. */
    public static final int MAGIC = 0x4654454E;

    public static final int VERSION = 1;

    public static final int MAGIC_OFFSET = 0;

    public static final int VERSION_OFFSET = 4;

    public static final int GENERATION_OFFSET = 8;

    public static final int APPLICATION_COUNT_OFFSET = 16;

    public static final int APPLICATIONS_OFFSET = 20;

    public static final int CRC_LENGTH = 4;

    /** The shortest file: a header, no application, and the checksum. */
    public static final int MIN_LENGTH = APPLICATIONS_OFFSET + CRC_LENGTH;

    public static final byte ROLE_PRODUCE = 1;

    public static final byte ROLE_CONSUME = 2;

    public static final byte ROLE_ALL = 3;

    private TenantFileDescriptor() {
    }

    /** The offset of the checksum in a file of {@code length} bytes. */
    public static int crcOffset(int length) {
        return length - CRC_LENGTH;
    }

    static byte roleCode(Role role) {
        return switch (role) {
            case PRODUCE -> ROLE_PRODUCE;
            case CONSUME -> ROLE_CONSUME;
            case ALL -> ROLE_ALL;
        };
    }

    static Role role(int code) {
        return switch (code) {
            case ROLE_PRODUCE -> Role.PRODUCE;
            case ROLE_CONSUME -> Role.CONSUME;
            case ROLE_ALL -> Role.ALL;
            default -> throw new IllegalArgumentException("unknown role code " + code);
        };
    }
}
