package dev.ferry.storage.internal;

import static dev.ferry.storage.internal.TimeIndexDescriptor.ENTRY_LENGTH;
import static dev.ferry.storage.internal.TimeIndexDescriptor.RELATIVE_OFFSET_OFFSET;
import static dev.ferry.storage.internal.TimeIndexDescriptor.TIMESTAMP_OFFSET;
import static dev.ferry.storage.internal.TimeIndexDescriptor.entryOffset;

import dev.ferry.storage.TimestampOffset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A segment's sparse time index (layout in {@link TimeIndexDescriptor}): a floor lookup from a timestamp to the
 * offset where the log's largest timestamp first reached it.
 *
 * <p><b>Thread-safety:</b> as {@link MappedIndex}: one appender, lock-free readers. Lookups allocate nothing.
 */
final class TimeIndex extends MappedIndex {

    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    TimeIndex(final Path file, final long baseOffset, final int preallocateBytes) throws IOException {
        super(file, baseOffset, ENTRY_LENGTH, preallocateBytes);
    }

    TimeIndex(final Path file, final long baseOffset, final int preallocateBytes, final DiskSpace diskSpace)
            throws IOException {
        super(file, baseOffset, ENTRY_LENGTH, preallocateBytes, diskSpace);
    }

    /**
     * Reads the last entry of a closed index file without mapping it: the segment's largest timestamp and the
     * offset where it was reached; null when the file is empty or not a whole number of entries.
     */
    static TimestampOffset readLastEntry(final Path file, final long baseOffset) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            final long size = channel.size();
            if (size == 0 || size % ENTRY_LENGTH != 0) {
                return null;
            }
            final ByteBuffer entry = ByteBuffer.allocate(ENTRY_LENGTH);
            while (entry.hasRemaining()) {
                if (channel.read(entry, size - ENTRY_LENGTH + entry.position()) < 0) {
                    return null;
                }
            }
            return new TimestampOffset(entry.getLong(TIMESTAMP_OFFSET),
                    baseOffset + entry.getInt(RELATIVE_OFFSET_OFFSET));
        }
    }

    /** Full when only the slot reserved for the entry written on roll is left. */
    boolean isFull() {
        return entries() >= maxEntries() - 1;
    }

    /**
     * Adds an entry if {@code timestamp} is larger than the last one (and {@code offset} belongs to the segment: a
     * segment whose records carry no timestamp has no offset of its largest one).
     *
     * @param skipFullCheck true for the final entry of a rolling or closing segment, which may use the reserved slot
     * @throws IOException when the file system has no room for the entry; the index is unchanged
     */
    void maybeAppend(final long timestamp, final long offset, final boolean skipFullCheck) throws IOException {
        final int count = entries();
        if (!skipFullCheck && isFull()) {
            throw new IllegalStateException("time index " + file() + " is full at " + count + " entries");
        }
        if (offset < baseOffset || count >= maxEntries() || (count > 0 && timestamp <= timestamp(count - 1))) {
            return;
        }
        allocateNextEntry();
        final int index = entryOffset(count);
        buffer.putLong(index + TIMESTAMP_OFFSET, timestamp, ORDER);
        buffer.putInt(index + RELATIVE_OFFSET_OFFSET, (int) (offset - baseOffset), ORDER);
        entries(count + 1);
    }

    /**
     * The offset of the largest entry whose timestamp is at or below {@code targetTimestamp}, or the base offset
     * when there is none. Records in batches before the one holding that offset all have smaller timestamps, so a
     * search for the first record at or after the target can start there.
     */
    long lookupOffset(final long targetTimestamp) {
        final int count = entries();
        if (count == 0 || timestamp(0) > targetTimestamp) {
            return baseOffset;
        }
        int low = 0;
        int high = count - 1;
        while (low < high) {
            final int middle = (low + high + 1) >>> 1;
            if (timestamp(middle) <= targetTimestamp) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return baseOffset + relativeOffset(low);
    }

    /** The last entry's timestamp, or -1 when empty. */
    long lastTimestamp() {
        final int count = entries();
        return count == 0 ? -1 : timestamp(count - 1);
    }

    /** The last entry's offset, or the base offset when empty. */
    long lastEntryOffset() {
        final int count = entries();
        return count == 0 ? baseOffset : baseOffset + relativeOffset(count - 1);
    }

    /** Whole entries, timestamps strictly increasing, offsets not decreasing and inside {@code [base, nextOffset)}. */
    boolean isConsistent(final long nextOffset) {
        if (!isAligned()) {
            return false;
        }
        final int count = entries();
        long previousTimestamp = Long.MIN_VALUE;
        long previousOffset = 0;
        for (int i = 0; i < count; i++) {
            final long timestamp = timestamp(i);
            final int relative = relativeOffset(i);
            if (timestamp <= previousTimestamp || relative < previousOffset || baseOffset + relative >= nextOffset) {
                return false;
            }
            previousTimestamp = timestamp;
            previousOffset = relative;
        }
        return true;
    }

    /**
     * Counts the leading entries that are still trustworthy after a crash because they describe offsets at or below
     * {@code maxOffset} (flushed with the batches). Counting stops at the first unwritten (all-zero) slot, at the
     * first entry whose timestamp does not increase or whose offset decreases or leaves {@code [base, maxOffset]}.
     */
    int entriesUpTo(final long maxOffset) {
        if (!isAligned()) {
            return 0;
        }
        final int count = entries();
        long previousTimestamp = Long.MIN_VALUE;
        long previousOffset = 0;
        int kept = 0;
        for (int i = 0; i < count; i++) {
            final long timestamp = timestamp(i);
            final int relative = relativeOffset(i);
            final boolean unwritten = timestamp == 0 && relative == 0;
            if (unwritten || timestamp <= previousTimestamp || relative < previousOffset
                    || relative < 0 || baseOffset + relative > maxOffset) {
                break;
            }
            previousTimestamp = timestamp;
            previousOffset = relative;
            kept++;
        }
        return kept;
    }

    /** The timestamp recorded in {@code slot}, which must be below {@link #entries()}. */
    long timestampAt(final int slot) {
        return timestamp(slot);
    }

    /** The offset recorded in {@code slot}, which must be below {@link #entries()}. */
    long offsetAt(final int slot) {
        return baseOffset + relativeOffset(slot);
    }

    private long timestamp(final int slot) {
        return buffer.getLong(entryOffset(slot) + TIMESTAMP_OFFSET, ORDER);
    }

    private int relativeOffset(final int slot) {
        return buffer.getInt(entryOffset(slot) + RELATIVE_OFFSET_OFFSET, ORDER);
    }
}
