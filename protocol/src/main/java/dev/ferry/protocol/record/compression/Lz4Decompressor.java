package dev.ferry.protocol.record.compression;

import static dev.ferry.protocol.record.compression.Lz4FrameDescriptor.BD_BLOCK_SIZE_MASK;
import static dev.ferry.protocol.record.compression.Lz4FrameDescriptor.BD_BLOCK_SIZE_SHIFT;
import static dev.ferry.protocol.record.compression.Lz4FrameDescriptor.BD_OFFSET;
import static dev.ferry.protocol.record.compression.Lz4FrameDescriptor.BD_RESERVED_MASK;
import static dev.ferry.protocol.record.compression.Lz4FrameDescriptor.BLOCK_UNCOMPRESSED_MASK;
import static dev.ferry.protocol.record.compression.Lz4FrameDescriptor.CONTENT_SIZE_OFFSET;
import static dev.ferry.protocol.record.compression.Lz4FrameDescriptor.CONTENT_SIZE_SIZE;
import static dev.ferry.protocol.record.compression.Lz4FrameDescriptor.FIELD_SIZE;
import static dev.ferry.protocol.record.compression.Lz4FrameDescriptor.FLG_BLOCK_CHECKSUM;
import static dev.ferry.protocol.record.compression.Lz4FrameDescriptor.FLG_BLOCK_INDEPENDENCE;
import static dev.ferry.protocol.record.compression.Lz4FrameDescriptor.FLG_CONTENT_CHECKSUM;
import static dev.ferry.protocol.record.compression.Lz4FrameDescriptor.FLG_CONTENT_SIZE;
import static dev.ferry.protocol.record.compression.Lz4FrameDescriptor.FLG_OFFSET;
import static dev.ferry.protocol.record.compression.Lz4FrameDescriptor.FLG_RESERVED_MASK;
import static dev.ferry.protocol.record.compression.Lz4FrameDescriptor.FLG_VERSION_1;
import static dev.ferry.protocol.record.compression.Lz4FrameDescriptor.FLG_VERSION_MASK;
import static dev.ferry.protocol.record.compression.Lz4FrameDescriptor.MAGIC;
import static dev.ferry.protocol.record.compression.Lz4FrameDescriptor.MIN_BLOCK_SIZE_ID;

import java.io.IOException;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Decompresses lz4 records sections: one LZ4 frame as {@link Lz4FrameDescriptor} draws it, read with the same rules
 * as Kafka's own reader (independent blocks only, header and block checksums verified, the content checksum skipped,
 * bytes after the end mark ignored), over lz4-java's bounds-checked block decompressor.
 */
final class Lz4Decompressor {
    private static final LZ4SafeDecompressor BLOCKS = LZ4Factory.fastestInstance().safeDecompressor();
    private static final XXHash32 XXHASH = XXHashFactory.fastestInstance().hash32();

    private Lz4Decompressor() {
    }

    /**
     * Decompresses one frame.
     *
     * @throws IOException if the bytes are not a frame Kafka would read, or are truncated or corrupt
     */
    static void decompress(byte[] source, int offset, int length, DecompressedOutput out) throws IOException {
        final int end = offset + length;
        require(offset, CONTENT_SIZE_OFFSET + 1, end, "frame header");
        final int magic = readIntLittleEndian(source, offset);
        if (magic != MAGIC) {
            throw new IOException("Not an LZ4 frame: magic 0x" + Integer.toHexString(magic));
        }
        final int flg = source[offset + FLG_OFFSET] & 0xff;
        final int bd = source[offset + BD_OFFSET] & 0xff;
        checkDescriptor(flg, bd);
        final int maxBlockSize = Lz4FrameDescriptor.maxBlockSize((bd & BD_BLOCK_SIZE_MASK) >>> BD_BLOCK_SIZE_SHIFT);
        final int contentSize = (flg & FLG_CONTENT_SIZE) != 0 ? CONTENT_SIZE_SIZE : 0;
        final int checksumOffset = offset + CONTENT_SIZE_OFFSET + contentSize;
        require(checksumOffset, 1, end, "frame header");
        final int headerHash = XXHASH.hash(source, offset + FLG_OFFSET, checksumOffset - offset - FLG_OFFSET, 0);
        if (source[checksumOffset] != (byte) (headerHash >>> 8)) {
            throw new IOException("LZ4 frame header checksum mismatch");
        }
        final boolean blockChecksums = (flg & FLG_BLOCK_CHECKSUM) != 0;
        final byte[] block = new byte[maxBlockSize];
        int position = checksumOffset + 1;
        while (true) {
            require(position, FIELD_SIZE, end, "block size");
            final int sizeField = readIntLittleEndian(source, position);
            position += FIELD_SIZE;
            final int size = sizeField & ~BLOCK_UNCOMPRESSED_MASK;
            if (size == 0) {
                if ((flg & FLG_CONTENT_CHECKSUM) != 0) {
                    require(position, FIELD_SIZE, end, "content checksum");
                }
                return;
            }
            if (size > maxBlockSize) {
                throw new IOException("LZ4 block of " + size + " bytes exceeds the frame's maximum of "
                        + maxBlockSize);
            }
            require(position, size + (blockChecksums ? FIELD_SIZE : 0), end, "block");
            if (blockChecksums && XXHASH.hash(source, position, size, 0) != readIntLittleEndian(source,
                    position + size)) {
                throw new IOException("LZ4 block checksum mismatch");
            }
            if ((sizeField & BLOCK_UNCOMPRESSED_MASK) != 0) {
                out.write(source, position, size);
            } else {
                out.write(block, 0, decompressBlock(source, position, size, block));
            }
            position += size + (blockChecksums ? FIELD_SIZE : 0);
        }
    }

    private static void checkDescriptor(int flg, int bd) throws IOException {
        if ((flg & FLG_VERSION_MASK) != FLG_VERSION_1 || (flg & FLG_RESERVED_MASK) != 0) {
            throw new IOException("Unsupported LZ4 frame descriptor FLG 0x" + Integer.toHexString(flg));
        }
        if ((flg & FLG_BLOCK_INDEPENDENCE) == 0) {
            throw new IOException("LZ4 frames of dependent blocks are not supported");
        }
        if ((bd & BD_RESERVED_MASK) != 0 || (bd & BD_BLOCK_SIZE_MASK) >>> BD_BLOCK_SIZE_SHIFT < MIN_BLOCK_SIZE_ID) {
            throw new IOException("Unsupported LZ4 frame descriptor BD 0x" + Integer.toHexString(bd));
        }
    }

    private static int decompressBlock(byte[] source, int position, int size, byte[] block) throws IOException {
        try {
            return BLOCKS.decompress(source, position, size, block, 0, block.length);
        } catch (LZ4Exception e) {
            throw new IOException("Corrupt LZ4 block: " + e.getMessage(), e);
        }
    }

    private static void require(int position, int length, int end, String what) throws IOException {
        if (length > end - position) {
            throw new IOException("LZ4 " + what + " truncated: " + length + " bytes needed, " + (end - position)
                    + " left");
        }
    }

    private static int readIntLittleEndian(byte[] source, int position) {
        return source[position] & 0xff | (source[position + 1] & 0xff) << 8 | (source[position + 2] & 0xff) << 16
                | (source[position + 3] & 0xff) << 24;
    }
}
