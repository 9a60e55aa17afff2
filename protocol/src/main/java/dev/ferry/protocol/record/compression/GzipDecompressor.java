package dev.ferry.protocol.record.compression;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;

/** Decompresses gzip records sections with the JDK's inflater, as Kafka clients write them with the JDK's deflater. */
final class GzipDecompressor {
    private static final int INPUT_BUFFER_SIZE = 8 * 1024;

    private GzipDecompressor() {
    }

    /**
     * Decompresses one gzip stream (or several concatenated members, as the format allows).
     *
     * @throws IOException if the bytes are not gzip or are truncated or corrupt
     */
    static void decompress(byte[] source, int offset, int length, DecompressedOutput out) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(source, offset, length),
                INPUT_BUFFER_SIZE)) {
            out.writeAll(in);
        }
    }
}
