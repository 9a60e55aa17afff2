package dev.ferry.protocol.record.compression;

/**
 * Byte layout of the snappy stream that snappy-java's {@code SnappyOutputStream} writes, and so Kafka's Java
 * clients, all integers big-endian:
 * <pre>
 *  offset size field
 *       0    8 magic                     0x82 'S' 'N' 'A' 'P' 'P' 'Y' 0x00
 *       8    4 version                   1
 *      12    4 compatible version        1
 *      16      chunks, each:
 *                 4 compressed length    bytes of the block that follows
 *                 n block                a raw snappy block (varint uncompressed length, then the tagged data)
 * </pre>
 * A stream may be followed by another, starting again with the 16-byte header. Input that does not start with the
 * magic is a single raw snappy block, as librdkafka writes it; snappy-java's reader accepts both, and so does Ferry.
 */
final class XerialSnappyDescriptor {
    /** The magic at the start of a framed stream. */
    static final byte[] MAGIC = {(byte) 0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};
    /** Offset of the version, an int32. */
    static final int VERSION_OFFSET = 8;
    /** Offset of the lowest reader version able to read the stream, an int32. */
    static final int COMPATIBLE_VERSION_OFFSET = 12;
    /** Size of the header, and offset of the first chunk. */
    static final int HEADER_SIZE = 16;
    /** Size of a chunk's length prefix. */
    static final int CHUNK_LENGTH_SIZE = Integer.BYTES;
    /** The lowest version snappy-java reads. */
    static final int MIN_VERSION = 1;

    private XerialSnappyDescriptor() {
    }
}
