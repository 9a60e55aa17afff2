package dev.ferry.storage.internal;

/**
 * Layout of a segment's sparse time index ({@code <base offset>.timeindex}): an array of fixed-size big-endian
 * entries with strictly increasing timestamps, each saying "the largest timestamp seen up to this offset is this".
 * The last entry of a closed segment carries the segment's largest timestamp, which retention reads.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+  0
 *  |                      Timestamp (int64, ms)                    |
 *  |                                                               |
 *  +---------------------------------------------------------------+  8
 *  |      Relative Offset (int32, offset minus segment base)       |
 *  +---------------------------------------------------------------+ 12
 * </pre>
 *
 * <p>Preallocated and trimmed like the offset index; the last slot is kept free for the entry written on roll.
 */
public final class TimeIndexDescriptor {

    public static final int TIMESTAMP_OFFSET = 0;
    public static final int RELATIVE_OFFSET_OFFSET = 8;
    public static final int ENTRY_LENGTH = 12;

    private TimeIndexDescriptor() {
    }

    public static int entryOffset(final int entry) {
        return entry * ENTRY_LENGTH;
    }
}
