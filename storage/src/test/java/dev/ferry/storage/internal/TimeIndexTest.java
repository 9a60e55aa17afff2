package dev.ferry.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.TimestampOffset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeIndexTest {

    private static final long BASE = 500;

    @TempDir
    Path dir;

    @Test
    void shouldReturnOffsetOfFloorTimestamp() throws IOException {
        try (TimeIndex index = new TimeIndex(dir.resolve("a.timeindex"), BASE, 1200)) {
            index.maybeAppend(10_000, 510, false);
            index.maybeAppend(20_000, 530, false);
            index.maybeAppend(30_000, 560, false);
            assertEquals(530, index.lookupOffset(25_000));
            assertEquals(530, index.lookupOffset(20_000));
            assertEquals(560, index.lookupOffset(99_000));
            assertEquals(BASE, index.lookupOffset(9_999), "before the first entry the search starts at the base");
        }
    }

    @Test
    void shouldIgnoreTimestampsThatDoNotIncrease() throws IOException {
        try (TimeIndex index = new TimeIndex(dir.resolve("b.timeindex"), BASE, 1200)) {
            index.maybeAppend(10_000, 510, false);
            index.maybeAppend(10_000, 520, false);
            index.maybeAppend(9_000, 530, false);
            assertEquals(1, index.entries());
            assertEquals(10_000, index.lastTimestamp());
            assertEquals(510, index.lastEntryOffset());
        }
    }

    @Test
    void shouldIgnoreEntriesWithoutAnOffsetInTheSegment() throws IOException {
        try (TimeIndex index = new TimeIndex(dir.resolve("n.timeindex"), BASE, 1200)) {
            index.maybeAppend(-1, -1, true);
            assertEquals(0, index.entries());
        }
    }

    @Test
    void shouldKeepTheLastSlotForTheRollEntry() throws IOException {
        try (TimeIndex index = new TimeIndex(dir.resolve("c.timeindex"), BASE, 36)) {
            index.maybeAppend(1, 501, false);
            index.maybeAppend(2, 502, false);
            assertTrue(index.isFull());
            assertThrows(IllegalStateException.class, () -> index.maybeAppend(3, 503, false));
            index.maybeAppend(3, 503, true);
            assertEquals(3, index.entries());
            assertEquals(3, index.lastTimestamp());
        }
    }

    @Test
    void shouldReadLastEntryOfClosedFileWithoutMapping() throws IOException {
        final Path file = dir.resolve("d.timeindex");
        try (TimeIndex index = new TimeIndex(file, BASE, 1200)) {
            index.maybeAppend(10_000, 510, false);
            index.maybeAppend(40_000, 599, false);
        }
        assertEquals(24, Files.size(file));
        assertEquals(new TimestampOffset(40_000, 599), TimeIndex.readLastEntry(file, BASE));
        Files.write(dir.resolve("torn.timeindex"), new byte[13]);
        assertNull(TimeIndex.readLastEntry(dir.resolve("torn.timeindex"), BASE));
    }

    @Test
    void shouldDetectDecreasingTimestampsOrOffsetsPastTheSegment() throws IOException {
        try (TimeIndex index = new TimeIndex(dir.resolve("e.timeindex"), BASE, 1200)) {
            index.maybeAppend(10_000, 510, false);
            index.maybeAppend(20_000, 530, false);
            assertTrue(index.isConsistent(531));
            assertFalse(index.isConsistent(530));
        }
    }
}
