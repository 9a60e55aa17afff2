package dev.ferry.protocol.record.compression;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Decompresses zstd records sections with zstd-jni's streaming decoder, which Kafka clients also use; the stream
 * form is needed because producers do not record the content size in the frame.
 */
final class ZstdDecompressor {

    private ZstdDecompressor() {
    }

    /**
     * Decompresses one or more concatenated zstd frames.
     *
     * @throws IOException if the bytes are not zstd or are truncated or corrupt
     */
    static void decompress(byte[] source, int offset, int length, DecompressedOutput out) throws IOException {
        // the no-finalizer variant frees its native context on close rather than leaving it to the GC
        try (ZstdInputStreamNoFinalizer in = new ZstdInputStreamNoFinalizer(
                new ByteArrayInputStream(source, offset, length))) {
            out.writeAll(in);
        }
    }
}
