package dev.ferry.storage.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A memory-mapped array of fixed-size index entries, the common part of {@link OffsetIndex} and {@link TimeIndex}.
 *
 * <p><b>Thread-safety:</b> one writer (the log's append path, or recovery) and any number of readers. Readers see
 * only entries below the volatile entry count, which the writer publishes after writing an entry. The caller must
 * ensure nobody reads while {@link #close()} unmaps (the segment's reference count does).
 */
abstract class MappedIndex implements AutoCloseable {

    protected final long baseOffset;
    protected final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
    private final Path file;
    private final int entryLength;
    private final boolean aligned;
    private MappedByteBuffer mapping;
    private volatile int entries;
    private int maxEntries;
    private boolean trimmed;

    /**
     * Opens (creating if absent) an index file and maps it.
     *
     * @param preallocateBytes the size to extend the file to while its segment is active, or 0 to map it as it is
     */
    MappedIndex(final Path file, final long baseOffset, final int entryLength, final int preallocateBytes)
            throws IOException {
        this.file = file;
        this.baseOffset = baseOffset;
        this.entryLength = entryLength;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            final long length = channel.size();
            aligned = length % entryLength == 0 && length <= Integer.MAX_VALUE;
            final int existing = (int) Math.min(length / entryLength, Integer.MAX_VALUE / entryLength);
            long mapLength = (long) existing * entryLength;
            if (preallocateBytes > 0) {
                final long preallocated = (long) (preallocateBytes / entryLength) * entryLength;
                mapLength = Math.max(mapLength, preallocated);
                if (length != mapLength) {
                    // grows sparsely: the zero tail costs no disk until written
                    setLength(channel, mapLength);
                }
            }
            if (mapLength > 0) {
                mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, mapLength);
                buffer.wrap(mapping);
            }
            maxEntries = (int) (mapLength / entryLength);
            entries = existing;
        }
    }

    private static void setLength(final FileChannel channel, final long length) throws IOException {
        if (channel.size() > length) {
            channel.truncate(length);
        } else {
            channel.write(ByteBuffer.allocate(1), length - 1);
        }
    }

    Path file() {
        return file;
    }

    int entries() {
        return entries;
    }

    int maxEntries() {
        return maxEntries;
    }

    /** True when the file length is a whole number of entries. */
    boolean isAligned() {
        return aligned;
    }

    protected int entryLength() {
        return entryLength;
    }

    /** Publishes entries written below {@code count}. Writer only. */
    protected void entries(final int count) {
        entries = count;
    }

    /**
     * Cuts the file down to its entries, as when the segment stops being active. The mapping is kept until
     * {@link #close()}, so concurrent readers stay safe; no entry may be appended afterwards.
     */
    void trimToEntries() throws IOException {
        final long validLength = (long) entries * entryLength;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            if (channel.size() != validLength) {
                channel.truncate(validLength);
            }
        } catch (NoSuchFileException deleted) {
            return;
        }
        maxEntries = entries;
        trimmed = true;
    }

    boolean isTrimmed() {
        return trimmed;
    }

    void flush() {
        if (mapping != null) {
            mapping.force();
        }
    }

    /** Trims the file to its entries (unless {@code leaveFile}: deleted, or closed as by a crash) and unmaps it. */
    void close(final boolean leaveFile) throws IOException {
        try {
            if (!leaveFile && !trimmed) {
                trimToEntries();
            }
        } finally {
            unmap();
        }
    }

    @Override
    public void close() throws IOException {
        close(false);
    }

    private void unmap() {
        if (mapping != null) {
            buffer.wrap(new byte[0]);
            IoUtil.unmap(mapping);
            mapping = null;
        }
    }
}
