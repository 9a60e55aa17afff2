package dev.ferry.broker.producer;

/**
 * Layout of the producer id block file, which records where the next block of producer ids starts. Every id below
 * that value may already have been handed out; none at or above it has.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                         magic "FPID"                          |  0
 *  +---------------------------------------------------------------+
 *  |                        format version                         |  4
 *  +---------------------------------------------------------------+
 *  |                       next block start                        |  8
 *  |                            (int64)                            |
 *  +---------------------------------------------------------------+
 *  |               CRC-32C of bytes 0 to 15 (int32)                | 16
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * All fields are big-endian.
 */
public final class ProducerIdBlockDescriptor {

    /** "FPID" in ASCII. */
    public static final int MAGIC = 0x46504944;

    public static final int VERSION = 1;

    public static final int MAGIC_OFFSET = 0;

    public static final int VERSION_OFFSET = 4;

    public static final int NEXT_BLOCK_START_OFFSET = 8;

    public static final int CRC_OFFSET = 16;

    /** Bytes covered by the CRC: everything before it. */
    public static final int CHECKSUMMED_LENGTH = CRC_OFFSET;

    public static final int LENGTH = 20;

    private ProducerIdBlockDescriptor() {
    }
}
