package dev.ferry.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetIndexTest {

    private static final long BASE = 1_000;

    @TempDir
    Path dir;

    private OffsetIndex filledIndex() throws IOException {
        final OffsetIndex index = new OffsetIndex(dir.resolve("x.index"), BASE, 1024);
        index.append(1_010, 400);
        index.append(1_020, 800);
        index.append(1_035, 1_300);
        return index;
    }

    @Test
    void shouldReturnFloorEntryForUnindexedOffset() throws IOException {
        try (OffsetIndex index = filledIndex()) {
            assertEquals(800, index.lookupPosition(1_025));
            assertEquals(400, index.lookupPosition(1_019));
            assertEquals(1_300, index.lookupPosition(5_000));
        }
    }

    @Test
    void shouldReturnExactEntryForIndexedOffset() throws IOException {
        try (OffsetIndex index = filledIndex()) {
            assertEquals(400, index.lookupPosition(1_010));
            assertEquals(800, index.lookupPosition(1_020));
            assertEquals(1_300, index.lookupPosition(1_035));
        }
    }

    @Test
    void shouldReturnSegmentStartBelowFirstEntry() throws IOException {
        try (OffsetIndex index = filledIndex()) {
            assertEquals(0, index.lookupPosition(1_009));
            assertEquals(0, index.lookupPosition(BASE));
            assertEquals(0, index.lookupPosition(3));
        }
    }

    @Test
    void shouldReturnSegmentStartWhenEmpty() throws IOException {
        try (OffsetIndex index = new OffsetIndex(dir.resolve("e.index"), BASE, 1024)) {
            assertEquals(0, index.lookupPosition(1_500));
            assertEquals(BASE, index.lastOffset());
            assertEquals(0, index.entries());
        }
    }

    @Test
    void shouldFindLastBatchBoundaryWithinAByteBudget() throws IOException {
        try (OffsetIndex index = filledIndex()) {
            assertEquals(800, index.lookupPositionAtOrBelow(1_299));
            assertEquals(1_300, index.lookupPositionAtOrBelow(1_300));
            assertEquals(0, index.lookupPositionAtOrBelow(399));
        }
    }

    @Test
    void shouldPreallocateWhileActiveAndTrimToEntriesOnClose() throws IOException {
        try (OffsetIndex index = filledIndex()) {
            assertEquals(1024, Files.size(dir.resolve("x.index")));
            assertEquals(128, index.maxEntries());
        }
        assertEquals(3 * OffsetIndexDescriptor.ENTRY_LENGTH, Files.size(dir.resolve("x.index")));
        try (OffsetIndex reopened = new OffsetIndex(dir.resolve("x.index"), BASE, 0)) {
            assertEquals(3, reopened.entries());
            assertEquals(1_035, reopened.lastOffset());
            assertEquals(1_300, reopened.lastPosition());
            assertEquals(800, reopened.lookupPosition(1_030));
            assertTrue(reopened.isFull());
        }
    }

    @Test
    void shouldRefuseAppendsBeyondItsCapacity() throws IOException {
        try (OffsetIndex index = new OffsetIndex(dir.resolve("s.index"), BASE, 16)) {
            index.append(1_001, 10);
            index.append(1_002, 20);
            assertTrue(index.isFull());
            assertThrows(IllegalStateException.class, () -> index.append(1_003, 30));
        }
    }

    @Test
    void shouldStoreEntriesBigEndianAsRelativeOffsetAndPosition() throws IOException {
        try (OffsetIndex index = filledIndex()) {
            index.trimToEntries();
        }
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("x.index")));
        assertEquals(10, bytes.getInt(0));
        assertEquals(400, bytes.getInt(4));
        assertEquals(35, bytes.getInt(16));
        assertEquals(1_300, bytes.getInt(20));
    }

    @Test
    void shouldDetectEntriesThatCannotBelongToTheSegment() throws IOException {
        try (OffsetIndex index = filledIndex()) {
            assertTrue(index.isConsistent(2_000));
            assertFalse(index.isConsistent(1_300), "a position at or past the segment end");
        }
        try (FileChannel channel = FileChannel.open(dir.resolve("x.index"), StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(8).putInt(5).putInt(900).flip(), 16);
        }
        try (OffsetIndex corrupt = new OffsetIndex(dir.resolve("x.index"), BASE, 0)) {
            assertFalse(corrupt.isConsistent(2_000), "offsets must increase");
        }
        Files.write(dir.resolve("odd.index"), new byte[13]);
        try (OffsetIndex torn = new OffsetIndex(dir.resolve("odd.index"), BASE, 0)) {
            assertFalse(torn.isConsistent(2_000), "a partial entry");
        }
    }
}
