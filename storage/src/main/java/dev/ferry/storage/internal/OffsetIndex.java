package dev.ferry.storage.internal;

import static dev.ferry.storage.internal.OffsetIndexDescriptor.ENTRY_LENGTH;
import static dev.ferry.storage.internal.OffsetIndexDescriptor.POSITION_OFFSET;
import static dev.ferry.storage.internal.OffsetIndexDescriptor.RELATIVE_OFFSET_OFFSET;
import static dev.ferry.storage.internal.OffsetIndexDescriptor.entryOffset;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * A segment's sparse offset index (layout in {@link OffsetIndexDescriptor}): a floor lookup from an offset to the
 * position of a batch at or before the one holding it, from which a reader scans forward.
 *
 * <p><b>Thread-safety:</b> as {@link MappedIndex}: one appender, lock-free readers. Lookups allocate nothing.
 */
final class OffsetIndex extends MappedIndex {

    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    OffsetIndex(final Path file, final long baseOffset, final int preallocateBytes) throws IOException {
        super(file, baseOffset, ENTRY_LENGTH, preallocateBytes);
    }

    OffsetIndex(final Path file, final long baseOffset, final int preallocateBytes, final DiskSpace diskSpace)
            throws IOException {
        super(file, baseOffset, ENTRY_LENGTH, preallocateBytes, diskSpace);
    }

    boolean isFull() {
        return entries() >= maxEntries();
    }

    /**
     * Adds an entry: {@code offset} is the last offset of the batch (or run of batches) starting at {@code position}.
     * Offsets must increase from entry to entry.
     *
     * @throws IOException when the file system has no room for the entry; the index is unchanged
     */
    void append(final long offset, final int position) throws IOException {
        final int count = entries();
        if (count >= maxEntries()) {
            throw new IllegalStateException("offset index " + file() + " is full at " + count + " entries");
        }
        allocateNextEntry();
        final int index = entryOffset(count);
        buffer.putInt(index + RELATIVE_OFFSET_OFFSET, (int) (offset - baseOffset), ORDER);
        buffer.putInt(index + POSITION_OFFSET, position, ORDER);
        entries(count + 1);
    }

    /**
     * The position recorded for the largest indexed offset at or below {@code targetOffset}, or 0 (the segment's
     * start) when there is none.
     */
    int lookupPosition(final long targetOffset) {
        final int slot = floorSlot(entries(), targetOffset);
        return slot < 0 ? 0 : position(slot);
    }

    /**
     * The largest indexed position at or below {@code maxPosition}, or 0 when there is none. Indexed positions are
     * batch boundaries, so a reader bounded by a byte budget can jump there before scanning.
     */
    int lookupPositionAtOrBelow(final long maxPosition) {
        final int count = entries();
        if (count == 0 || position(0) > maxPosition) {
            return 0;
        }
        int low = 0;
        int high = count - 1;
        while (low < high) {
            final int middle = (low + high + 1) >>> 1;
            if (position(middle) <= maxPosition) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return position(low);
    }

    /** The offset of the last entry, or the base offset when the index is empty. */
    long lastOffset() {
        final int count = entries();
        return count == 0 ? baseOffset : baseOffset + relativeOffset(count - 1);
    }

    /** The position of the last entry, or 0 when the index is empty. */
    int lastPosition() {
        final int count = entries();
        return count == 0 ? 0 : position(count - 1);
    }

    /**
     * Checks what a crash or a stray edit could have broken: whole entries, offsets and positions strictly
     * increasing, positions inside the segment.
     */
    boolean isConsistent(final long segmentSize) {
        if (!isAligned()) {
            return false;
        }
        final int count = entries();
        long previousOffset = -1;
        long previousPosition = -1;
        for (int i = 0; i < count; i++) {
            final int relative = relativeOffset(i);
            final int position = position(i);
            if (relative < 0 || relative <= previousOffset || position <= previousPosition || position >= segmentSize) {
                return false;
            }
            previousOffset = relative;
            previousPosition = position;
        }
        return true;
    }

    /**
     * Finds the last entry, read from the first one, that is still trustworthy after a crash because its batches
     * end below {@code limitOffset} (they were flushed with the index). Reading stops at the first unwritten (zero)
     * slot, at the first entry whose offset or position does not increase, and at the first entry at or past
     * {@code limitOffset}: none of these can have been flushed in order.
     *
     * @param limitOffset the first offset not known to be on disk (the recovery point)
     * @param segmentSize the size of the {@code .log} file
     * @return the slot, or -1 when there is none or the index cannot be trusted (a partial entry at the end of the
     *         file, or a trusted entry pointing beyond the file)
     */
    int lastSlotBelow(final long limitOffset, final long segmentSize) {
        if (!isAligned()) {
            return -1;
        }
        final int count = entries();
        int last = -1;
        long previousRelative = 0;
        long previousPosition = 0;
        for (int i = 0; i < count; i++) {
            final int relative = relativeOffset(i);
            final int position = position(i);
            // the first batch is never indexed, so a real entry has both fields above zero and above its predecessor
            if (relative <= previousRelative || position <= previousPosition || baseOffset + relative >= limitOffset) {
                break;
            }
            if (position >= segmentSize) {
                return -1;
            }
            last = i;
            previousRelative = relative;
            previousPosition = position;
        }
        return last;
    }

    /** The offset recorded in {@code slot}, which must be below {@link #entries()}. */
    long offsetAt(final int slot) {
        return baseOffset + relativeOffset(slot);
    }

    /** The position recorded in {@code slot}, which must be below {@link #entries()}. */
    int positionAt(final int slot) {
        return position(slot);
    }

    private int floorSlot(final int count, final long targetOffset) {
        final long target = targetOffset - baseOffset;
        if (count == 0 || target < relativeOffset(0)) {
            return -1;
        }
        int low = 0;
        int high = count - 1;
        while (low < high) {
            final int middle = (low + high + 1) >>> 1;
            if (relativeOffset(middle) <= target) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return low;
    }

    private int relativeOffset(final int slot) {
        return buffer.getInt(entryOffset(slot) + RELATIVE_OFFSET_OFFSET, ORDER);
    }

    private int position(final int slot) {
        return buffer.getInt(entryOffset(slot) + POSITION_OFFSET, ORDER);
    }
}
