package dev.ferry.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogSegmentTest {

    private static final LogSegment.IndexSettings SETTINGS = new LogSegment.IndexSettings() {
        @Override
        public int indexIntervalBytes() {
            return 4096;
        }

        @Override
        public int segmentIndexBytes() {
            return 4096;
        }
    };

    @TempDir
    Path dir;

    private final List<Runnable> closerTasks = new ArrayList<>();
    private final SegmentCache cache = new SegmentCache(4, closerTasks::add);

    @Test
    void shouldLeaveTheFinalCloseOfADeletedSegmentToTheCloserNotTheReleasingThread() {
        final LogSegment segment = new LogSegment(dir, 0, 0, 0, 4096, 0, cache, SETTINGS);
        assertTrue(segment.acquire());
        final FileChannel channel = segment.channel();
        segment.delete();
        assertFalse(Files.exists(SegmentFiles.logFile(dir, 0)), "unlinked at once");
        assertTrue(channel.isOpen(), "a reference is still held");

        segment.release();
        assertTrue(channel.isOpen(), "the releasing thread does not close");
        assertEquals(1, cache.openCount());
        assertEquals(1, closerTasks.size());

        closerTasks.get(0).run();
        assertFalse(channel.isOpen());
        assertEquals(0, cache.openCount());
    }

    @Test
    void shouldKeepARetiredSegmentOpenWhenTakenAgainBeforeTheCloserRuns() {
        final LogSegment segment = new LogSegment(dir, 0, 0, 0, 4096, 0, cache, SETTINGS);
        assertTrue(segment.acquire());
        final FileChannel channel = segment.channel();
        segment.retire(false);
        segment.release();
        assertTrue(segment.acquire(), "still open, so a reader may take it");

        closerTasks.get(0).run();
        assertTrue(channel.isOpen(), "the closer leaves a segment in use alone");
        segment.release();
        closerTasks.get(1).run();
        assertFalse(channel.isOpen());
        assertEquals(0, cache.openCount());
    }
}
