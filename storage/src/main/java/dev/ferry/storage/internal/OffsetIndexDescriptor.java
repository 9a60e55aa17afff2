package dev.ferry.storage.internal;

/**
 * Layout of a segment's sparse offset index ({@code <base offset>.index}): an array of fixed-size big-endian
 * entries, sorted by offset, mapping an offset to the byte position in the {@code .log} of the batch whose last
 * offset it is.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+  0
 *  |      Relative Offset (int32, offset minus segment base)       |
 *  +---------------------------------------------------------------+  4
 *  |          Position (int32, byte position in the .log)          |
 *  +---------------------------------------------------------------+  8
 * </pre>
 *
 * <p>While its segment is active the file is preallocated (zero-filled) to {@code segment.index.bytes}; it is
 * trimmed to exactly its entries when the segment rolls or closes.
 */
public final class OffsetIndexDescriptor {

    public static final int RELATIVE_OFFSET_OFFSET = 0;
    public static final int POSITION_OFFSET = 4;
    public static final int ENTRY_LENGTH = 8;

    private OffsetIndexDescriptor() {
    }

    public static int entryOffset(final int entry) {
        return entry * ENTRY_LENGTH;
    }
}
