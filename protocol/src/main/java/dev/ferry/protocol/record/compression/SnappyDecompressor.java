package dev.ferry.protocol.record.compression;

import static dev.ferry.protocol.record.compression.XerialSnappyDescriptor.CHUNK_LENGTH_SIZE;
import static dev.ferry.protocol.record.compression.XerialSnappyDescriptor.HEADER_SIZE;
import static dev.ferry.protocol.record.compression.XerialSnappyDescriptor.MAGIC;
import static dev.ferry.protocol.record.compression.XerialSnappyDescriptor.MIN_VERSION;
import static dev.ferry.protocol.record.compression.XerialSnappyDescriptor.VERSION_OFFSET;

import java.io.IOException;
import java.util.Arrays;
import org.xerial.snappy.Snappy;

/**
 * Decompresses snappy records sections laid out as {@link XerialSnappyDescriptor} draws, over snappy-java's block
 * codec. Reading the framing here rather than through {@code SnappyInputStream} lets every block's declared size be
 * checked against the input and the output cap before anything is allocated.
 */
final class SnappyDecompressor {

    private SnappyDecompressor() {
    }

    /**
     * Decompresses a framed stream, or a single raw block when the input does not start with the magic.
     *
     * @throws IOException if a chunk runs past the input or a block is corrupt
     */
    static void decompress(byte[] source, int offset, int length, DecompressedOutput out) throws IOException {
        final int end = offset + length;
        if (!startsWithMagic(source, offset, end)) {
            decompressBlock(source, offset, length, out);
            return;
        }
        int position = offset;
        while (position < end) {
            if (startsWithMagic(source, position, end)) {
                position = skipHeader(source, position, end);
                continue;
            }
            if (end - position < CHUNK_LENGTH_SIZE) {
                throw new IOException("Snappy chunk length truncated at byte " + (position - offset));
            }
            final int chunkLength = readIntBigEndian(source, position);
            position += CHUNK_LENGTH_SIZE;
            if (chunkLength <= 0 || chunkLength > end - position) {
                throw new IOException("Snappy chunk of " + chunkLength + " bytes at byte " + (position - offset)
                        + " does not fit the " + length + " bytes of input");
            }
            decompressBlock(source, position, chunkLength, out);
            position += chunkLength;
        }
    }

    private static int skipHeader(byte[] source, int position, int end) throws IOException {
        if (end - position < HEADER_SIZE) {
            throw new IOException("Snappy stream header truncated");
        }
        final int version = readIntBigEndian(source, position + VERSION_OFFSET);
        if (version < MIN_VERSION) {
            throw new IOException("Snappy stream of unsupported version " + version);
        }
        return position + HEADER_SIZE;
    }

    private static void decompressBlock(byte[] source, int offset, int length, DecompressedOutput out)
            throws IOException {
        final int uncompressedLength = Snappy.uncompressedLength(source, offset, length);
        if (uncompressedLength < 0) {
            throw new IOException("Snappy block declares " + uncompressedLength + " bytes");
        }
        final int index = out.reserve(uncompressedLength);
        final int written = Snappy.uncompress(source, offset, length, out.array(), index);
        if (written != uncompressedLength) {
            throw new IOException("Snappy block yielded " + written + " bytes but declares " + uncompressedLength);
        }
        out.advance(written);
    }

    private static boolean startsWithMagic(byte[] source, int position, int end) {
        return end - position >= MAGIC.length
                && Arrays.equals(source, position, position + MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    private static int readIntBigEndian(byte[] source, int position) {
        return (source[position] & 0xff) << 24 | (source[position + 1] & 0xff) << 16
                | (source[position + 2] & 0xff) << 8 | source[position + 3] & 0xff;
    }
}
