package dev.ferry.storage.internal;

import java.io.IOException;
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
 *
 * <p><b>Full disks:</b> the preallocated tail of an active index is a sparse file, so it costs no disk until used.
 * The blocks behind each entry are allocated through {@link DiskSpace} (a channel write, which fails with an
 * {@link IOException} on a full file system) before the entry is stored through the mapping (which would fault).
 */
abstract class MappedIndex implements AutoCloseable {

    /** Bytes allocated at a time ahead of the writer: a few thousand entries per allocation. */
    static final int ALLOCATION_CHUNK_BYTES = 64 * 1024;

    protected final long baseOffset;
    protected final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
    private final Path file;
    private final int entryLength;
    private final boolean aligned;
    private final DiskSpace diskSpace;
    private final long mapLength;
    private MappedByteBuffer mapping;
    /** Bytes from the file's start known to have disk blocks behind them. Writer only. */
    private long allocatedEnd;
    private volatile int entries;
    private int maxEntries;
    private boolean trimmed;

    /**
     * Opens (creating if absent) an index file and maps it.
     *
     * <p>When the file system has no room to extend the file, the index is mapped as it is, with no room for more
     * entries: it reads as before and reports itself full, so the next append rolls the segment, which checks for
     * space first.
     *
     * @param preallocateBytes the size to extend the file to while its segment is active, or 0 to map it as it is
     */
    MappedIndex(final Path file, final long baseOffset, final int entryLength, final int preallocateBytes,
                final DiskSpace diskSpace) throws IOException {
        this.file = file;
        this.baseOffset = baseOffset;
        this.entryLength = entryLength;
        this.diskSpace = diskSpace;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            final long length = channel.size();
            aligned = length % entryLength == 0 && length <= Integer.MAX_VALUE;
            final int existing = (int) Math.min(length / entryLength, Integer.MAX_VALUE / entryLength);
            final long existingLength = (long) existing * entryLength;
            long mapLength = existingLength;
            if (preallocateBytes > 0) {
                final long preallocated = (long) (preallocateBytes / entryLength) * entryLength;
                mapLength = Math.max(mapLength, preallocated);
                if (length != mapLength && !setLength(channel, mapLength, diskSpace)) {
                    mapLength = existingLength;
                }
            }
            this.mapLength = mapLength;
            if (mapLength > 0) {
                mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, mapLength);
                buffer.wrap(mapping);
            }
            maxEntries = (int) (mapLength / entryLength);
            entries = existing;
        }
    }

    MappedIndex(final Path file, final long baseOffset, final int entryLength, final int preallocateBytes)
            throws IOException {
        this(file, baseOffset, entryLength, preallocateBytes, DiskSpace.SYSTEM);
    }

    /** Grows the file sparsely (the zero tail costs no disk until allocated) or cuts it; false when out of room. */
    private boolean setLength(final FileChannel channel, final long length, final DiskSpace space) throws IOException {
        if (channel.size() > length) {
            channel.truncate(length);
            return true;
        }
        final long before = channel.size();
        try {
            // a single byte at the new end: one block, and only the last page has one behind it
            space.allocate(channel, length - 1, 1);
            return true;
        } catch (IOException noRoom) {
            if (space.usableBytes(file.getParent()) > ALLOCATION_CHUNK_BYTES) {
                throw noRoom;
            }
            System.getLogger(MappedIndex.class.getName()).log(System.Logger.Level.WARNING,
                    "no room to preallocate index " + file + "; mapping it as it is", noRoom);
            channel.truncate(before);
            return false;
        }
    }

    /**
     * Backs the next entry's bytes with disk blocks, allocating a chunk ahead, so that storing it through the
     * mapping cannot fault. Does nothing when the index is full. Writer only.
     *
     * @throws IOException when the file system has no room: nothing was stored, the index is unchanged
     */
    void allocateNextEntry() throws IOException {
        final int count = entries;
        if (count >= maxEntries) {
            return;
        }
        final long from = (long) count * entryLength;
        final long to = from + entryLength;
        if (to <= allocatedEnd) {
            return;
        }
        // the region is past the published entries, so nobody reads it and zeroes may overwrite it
        final long chunkEnd = Math.min(mapLength, Math.max(to, from + ALLOCATION_CHUNK_BYTES));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            diskSpace.allocate(channel, from, chunkEnd - from);
        }
        allocatedEnd = chunkEnd;
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
