package dev.ferry.protocol.record.compression;

/**
 * Byte layout of the LZ4 frame (format 1.5.1) Kafka clients write for v2 batches, integers little-endian:
 * <pre>
 *  offset size field
 *       0    4 magic                     0x184D2204
 *       4    1 FLG                       see below
 *       5    1 BD                        bit 7 reserved, bits 6-4 block max size id (4: 64 KiB, 5: 256 KiB,
 *                                        6: 1 MiB, 7: 4 MiB), bits 3-0 reserved
 *       6  0|8 content size              present when FLG's content size bit is set; not used
 *   6|14    1 HC                        (xxHash32 of FLG up to here, seed 0) &gt;&gt; 8 &amp; 0xFF
 *   7|15      blocks, each:
 *                 4 block size           bit 31 set: the data is stored uncompressed; size 0: end mark
 *                 n data                 an LZ4 block, independent of the previous ones
 *               0|4 block checksum       xxHash32 of the data, present when FLG's block checksum bit is set
 *             after the end mark:
 *               0|4 content checksum     present when FLG's content checksum bit is set; not verified, as in Kafka
 * </pre>
 * FLG:
 * <pre>
 *     7   6   5   4   3   2   1   0
 *   +---+---+---+---+---+---+---+---+
 *   |version| I | B | S | C |reserved|   version 01, I: independent blocks (required), B: block checksums,
 *   +---+---+---+---+---+---+---+---+   S: content size present, C: content checksum present
 * </pre>
 * Magic v0 and v1 messages carried a header checksum that wrongly covered the magic too; v2 batches carry the
 * correct one, so only that is accepted here.
 */
final class Lz4FrameDescriptor {
    /** The frame magic, read little-endian. */
    static final int MAGIC = 0x184D2204;
    /** Offset of the FLG byte, the first byte the header checksum covers. */
    static final int FLG_OFFSET = 4;
    /** Offset of the BD byte. */
    static final int BD_OFFSET = 5;
    /** Offset of the optional content size, or of the header checksum without it. */
    static final int CONTENT_SIZE_OFFSET = 6;
    /** Size of the optional content size field. */
    static final int CONTENT_SIZE_SIZE = Long.BYTES;

    /** FLG bits holding the format version. */
    static final int FLG_VERSION_MASK = 0xC0;
    /** The only FLG version, in place. */
    static final int FLG_VERSION_1 = 0x40;
    /** FLG bit set when blocks do not refer to earlier ones. */
    static final int FLG_BLOCK_INDEPENDENCE = 0x20;
    /** FLG bit set when each block is followed by its checksum. */
    static final int FLG_BLOCK_CHECKSUM = 0x10;
    /** FLG bit set when the header carries the content size. */
    static final int FLG_CONTENT_SIZE = 0x08;
    /** FLG bit set when the end mark is followed by a content checksum. */
    static final int FLG_CONTENT_CHECKSUM = 0x04;
    /** FLG bits that must be zero. */
    static final int FLG_RESERVED_MASK = 0x03;

    /** BD bits holding the block max size id. */
    static final int BD_BLOCK_SIZE_MASK = 0x70;
    /** Shift of the block max size id within BD. */
    static final int BD_BLOCK_SIZE_SHIFT = 4;
    /** BD bits that must be zero. */
    static final int BD_RESERVED_MASK = 0x8F;
    /** Smallest block max size id, 64 KiB. */
    static final int MIN_BLOCK_SIZE_ID = 4;

    /** Bit of a block size marking data stored uncompressed. */
    static final int BLOCK_UNCOMPRESSED_MASK = 0x80000000;
    /** Size of a block size, block checksum or content checksum field. */
    static final int FIELD_SIZE = Integer.BYTES;

    private Lz4FrameDescriptor() {
    }

    /**
     * Returns the largest block a block max size id allows: 2^(2 id + 8) bytes.
     *
     * @param id a block max size id, 4 to 7
     * @return the size in bytes
     */
    static int maxBlockSize(int id) {
        return 1 << (2 * id + 8);
    }
}
