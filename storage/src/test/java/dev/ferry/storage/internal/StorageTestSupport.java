package dev.ferry.storage.internal;

import dev.ferry.storage.FetchSlice;
import dev.ferry.storage.LogConfig;
import dev.ferry.storage.StorageConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Settings and byte helpers shared by the storage tests. */
final class StorageTestSupport {

    /** Background passes far apart: tests run them explicitly. */
    static final long NEVER_MS = 3_600_000;

    private StorageTestSupport() {
    }

    /**
     * Producers never expire: tests append at a fixed instant in the past, which the storage's own clock would find
     * more than a day old.
     */
    static StorageConfig storage(final Path dir, final int maxOpenSegments) {
        return new StorageConfig(List.of(dir), maxOpenSegments, NEVER_MS, NEVER_MS, Long.MAX_VALUE);
    }

    static DefaultLogManager open(final Path dir) {
        return DefaultLogManager.open(storage(dir, 64));
    }

    /** No time-based roll, no retention, OS flushing. */
    static LogConfig logConfig(final long segmentBytes, final int indexIntervalBytes) {
        return new LogConfig(segmentBytes, Long.MAX_VALUE, -1, -1, Long.MAX_VALUE, Long.MAX_VALUE,
                indexIntervalBytes, 64 * 1024, false);
    }

    static LogConfig withRetention(final LogConfig config, final long retentionMs, final long retentionBytes) {
        return new LogConfig(config.segmentBytes(), config.segmentMs(), retentionMs, retentionBytes,
                config.flushMessages(), config.flushMs(), config.indexIntervalBytes(), config.segmentIndexBytes(),
                config.logAppendTime());
    }

    /** Reads a slice's bytes through its channel and closes it. */
    static byte[] drain(final FetchSlice slice) {
        try (slice) {
            final ByteBuffer bytes = ByteBuffer.allocate(slice.length());
            while (bytes.hasRemaining()) {
                if (slice.channel().read(bytes, slice.position() + bytes.position()) < 0) {
                    throw new IOException("slice past end of file");
                }
            }
            return bytes.array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {base offset, last offset} of each batch in {@code bytes}, which must be whole batches. */
    static List<long[]> batchOffsets(final byte[] bytes) {
        final ByteBuffer buffer = ByteBuffer.wrap(bytes);
        final List<long[]> offsets = new ArrayList<>();
        int position = 0;
        while (position < bytes.length) {
            final long base = buffer.getLong(position);
            offsets.add(new long[] {base, base + buffer.getInt(position + 23)});
            position += buffer.getInt(position + 8) + 12;
        }
        if (position != bytes.length) {
            throw new AssertionError("bytes end inside a batch");
        }
        return offsets;
    }

    /** Splits whole batches into one array each. */
    static List<byte[]> split(final byte[] bytes) {
        final ByteBuffer buffer = ByteBuffer.wrap(bytes);
        final List<byte[]> batches = new ArrayList<>();
        int position = 0;
        while (position < bytes.length) {
            final int total = buffer.getInt(position + 8) + 12;
            final byte[] batch = new byte[total];
            buffer.get(position, batch);
            batches.add(batch);
            position += total;
        }
        return batches;
    }

    static byte[] bytes(final ByteBuffer buffer) {
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    /** {@code batch} as the log stores it: base offset and partition leader epoch (0) rewritten. */
    static byte[] asStored(final ByteBuffer batch, final long baseOffset) {
        final ByteBuffer copy = ByteBuffer.wrap(bytes(batch));
        copy.putLong(0, baseOffset);
        copy.putInt(12, 0);
        return copy.array();
    }
}
