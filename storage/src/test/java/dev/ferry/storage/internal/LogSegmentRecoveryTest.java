package dev.ferry.storage.internal;

import static dev.ferry.storage.internal.StorageTestSupport.asStored;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.TimestampOffset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recovery of the segment holding the recovery point: only the tail after its last flushed index entry is read. */
class LogSegmentRecoveryTest {

    private static final long NOW = 1_700_000_000_000L;
    private static final int INDEX_BYTES = 4096;
    private static final int BATCHES = 40;
    private static final int FLUSHED_BATCHES = 20;
    private static final long RECOVERY_POINT = 3L * FLUSHED_BATCHES;
    private static final long LOG_END = 3L * BATCHES;
    private static final LogSegment.IndexSettings SETTINGS = new LogSegment.IndexSettings() {
        @Override
        public int indexIntervalBytes() {
            return 200;
        }

        @Override
        public int segmentIndexBytes() {
            return INDEX_BYTES;
        }
    };

    @TempDir
    Path dir;

    private final List<Runnable> closerTasks = new ArrayList<>();
    private final SegmentCache cache = new SegmentCache(4, closerTasks::add);
    private final FileBatchReader reader = FileBatchReader.forThread();
    private final List<TimestampOffset> answersBeforeCrash = new ArrayList<>();
    private int batchLength;
    private byte[] offsetIndexBeforeCrash;
    private byte[] timeIndexBeforeCrash;
    private LogSegment segment;

    /**
     * Appends {@link #BATCHES} batches of three records, flushing half way as the log does before moving the
     * recovery point, then closes as a crash would: the indexes stay as they are, untrimmed unless {@code roll}.
     *
     * @param roll true to make the segment inactive first, as a roll does (indexes trimmed, final time entry)
     */
    private void writeAndCrash(final boolean roll) throws IOException {
        final LogSegment written = new LogSegment(dir, 0, 0, 0, INDEX_BYTES, NOW, cache, SETTINGS);
        assertTrue(written.acquire());
        for (int i = 0; i < BATCHES; i++) {
            final long base = 3L * i;
            final long timestamp = NOW + base;
            final ByteBuffer batch = ByteBuffer.wrap(asStored(TestBatches.batch().record(timestamp, "a")
                    .record(timestamp + 1, "b").record(timestamp + 2, "c").build(), base));
            batchLength = batch.remaining();
            written.append(batch, timestamp + 2, base + 2, timestamp + 2, base + 2);
            if (i == FLUSHED_BATCHES - 1) {
                written.flush();
            }
        }
        for (long timestamp = NOW - 1; timestamp <= NOW + LOG_END; timestamp += 7) {
            answersBeforeCrash.add(written.findOffsetByTimestamp(timestamp, 0, reader));
        }
        if (roll) {
            written.onBecomeInactive();
        }
        written.release();
        written.retire(true);
        closerTasks.forEach(Runnable::run);
        offsetIndexBeforeCrash = Files.readAllBytes(SegmentFiles.indexFile(dir, 0));
        timeIndexBeforeCrash = Files.readAllBytes(SegmentFiles.timeIndexFile(dir, 0));
    }

    @AfterEach
    void closeSegment() {
        if (segment != null) {
            segment.release();
            segment.retire(false);
        }
    }

    private long recoverAfterCrash() throws IOException {
        return recoverAfterCrash(INDEX_BYTES);
    }

    private long recoverAfterCrash(final int preallocateIndexBytes) throws IOException {
        final Path log = SegmentFiles.logFile(dir, 0);
        segment = new LogSegment(dir, 0, (int) Files.size(log), Long.MAX_VALUE, preallocateIndexBytes, NOW, cache,
                SETTINGS);
        segment.skipIndexCheck();
        assertTrue(segment.acquire());
        return segment.recover(RECOVERY_POINT);
    }

    private void assertEveryOffsetAt(final long logEnd) throws IOException {
        assertEquals(logEnd, segment.nextOffset());
        assertEquals(logEnd / 3 * batchLength, segment.size());
        for (long offset = 0; offset < logEnd; offset++) {
            assertEquals(offset / 3 * batchLength, segment.positionOf(offset, segment.size(), reader),
                    "offset " + offset);
        }
        assertEquals(-1, segment.positionOf(logEnd, segment.size(), reader));
    }

    @Test
    void shouldReadOnlyTheBatchesFromTheLastIndexEntryBelowTheRecoveryPoint() throws IOException {
        writeAndCrash(false);
        assertEquals(0, recoverAfterCrash());

        final long start = segment.recoveryStartPosition();
        assertEquals(0, start % batchLength, "resumes on a batch boundary");
        final long resumeBatch = start / batchLength;
        // entries are a little more than an interval apart, so the last one below the recovery point is that close
        final long batchesPerInterval = SETTINGS.indexIntervalBytes() / batchLength + 1;
        assertTrue(resumeBatch < FLUSHED_BATCHES && resumeBatch >= FLUSHED_BATCHES - batchesPerInterval,
                "resumed at batch " + resumeBatch);
        assertEquals(BATCHES - resumeBatch, segment.batchesChecked());
        assertEveryOffsetAt(LOG_END);
        assertArrayEquals(offsetIndexBeforeCrash, Files.readAllBytes(SegmentFiles.indexFile(dir, 0)),
                "kept entries and those appended after them are what the appends wrote");
        assertArrayEquals(timeIndexBeforeCrash, Files.readAllBytes(SegmentFiles.timeIndexFile(dir, 0)));
        assertEquals(NOW + LOG_END - 1, segment.maxTimestamp());
        assertEquals(LOG_END - 1, segment.offsetOfMaxTimestamp());
        assertEquals(NOW + 2, segment.firstBatchTimestamp());
    }

    @Test
    void shouldResumeInARolledSegmentAndTrimItsRebuiltIndexes() throws IOException {
        writeAndCrash(true);
        final long indexBytesAtRoll = Files.size(SegmentFiles.indexFile(dir, 0));
        assertEquals(0, recoverAfterCrash(0));

        final long resumeBatch = segment.recoveryStartPosition() / batchLength;
        assertTrue(resumeBatch > 0 && resumeBatch < FLUSHED_BATCHES, "resumed at batch " + resumeBatch);
        assertEquals(BATCHES - resumeBatch, segment.batchesChecked());
        assertEveryOffsetAt(LOG_END);
        assertEquals(indexBytesAtRoll, Files.size(SegmentFiles.indexFile(dir, 0)), "same entries, trimmed");
        final List<TimestampOffset> answers = new ArrayList<>();
        for (long timestamp = NOW - 1; timestamp <= NOW + LOG_END; timestamp += 7) {
            answers.add(segment.findOffsetByTimestamp(timestamp, 0, reader));
        }
        assertEquals(answersBeforeCrash, answers);
    }

    @Test
    void shouldAnswerTimestampLookupsAsBeforeTheCrash() throws IOException {
        writeAndCrash(false);
        recoverAfterCrash();
        final List<TimestampOffset> answers = new ArrayList<>();
        for (long timestamp = NOW - 1; timestamp <= NOW + LOG_END; timestamp += 7) {
            answers.add(segment.findOffsetByTimestamp(timestamp, 0, reader));
        }
        assertEquals(answersBeforeCrash, answers);
        assertEquals(new TimestampOffset(NOW + 100, 100), segment.findOffsetByTimestamp(NOW + 100, 0, reader));
    }

    @Test
    void shouldCutATornLastBatch() throws IOException {
        writeAndCrash(false);
        try (FileChannel channel = FileChannel.open(SegmentFiles.logFile(dir, 0), StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 10);
        }
        assertEquals(batchLength - 10, recoverAfterCrash());
        assertTrue(segment.recoveryStartPosition() > 0);
        assertEveryOffsetAt(LOG_END - 3);
        assertEquals(NOW + LOG_END - 4, segment.maxTimestamp());
    }

    @Test
    void shouldTrustACorruptByteBeforeTheResumePoint() throws IOException {
        writeAndCrash(false);
        corruptLastByteOfBatch(2);
        assertEquals(0, recoverAfterCrash());
        assertTrue(segment.recoveryStartPosition() > 3L * batchLength);
        assertEveryOffsetAt(LOG_END);
    }

    @Test
    void shouldCutAtACorruptByteAfterTheResumePoint() throws IOException {
        writeAndCrash(false);
        corruptLastByteOfBatch(30);
        assertEquals((BATCHES - 30L) * batchLength, recoverAfterCrash());
        assertEveryOffsetAt(90);
        assertEquals(NOW + 89, segment.maxTimestamp());
        assertEquals(new TimestampOffset(NOW + 50, 50), segment.findOffsetByTimestamp(NOW + 50, 0, reader));
    }

    @Test
    void shouldScanTheWholeSegmentWhenTheIndexEntryDoesNotPointAtABatch() throws IOException {
        writeAndCrash(false);
        // every written entry now points one byte into its batch
        try (FileChannel channel = FileChannel.open(SegmentFiles.indexFile(dir, 0), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            final ByteBuffer entry = ByteBuffer.allocate(OffsetIndexDescriptor.ENTRY_LENGTH);
            for (int slot = 0; channel.read(entry.clear(), OffsetIndexDescriptor.entryOffset(slot)) > 0; slot++) {
                final int position = entry.getInt(OffsetIndexDescriptor.POSITION_OFFSET);
                if (position == 0) {
                    break;
                }
                entry.putInt(OffsetIndexDescriptor.POSITION_OFFSET, position + 1);
                channel.write(entry.flip(), OffsetIndexDescriptor.entryOffset(slot));
            }
        }
        assertEquals(0, recoverAfterCrash());
        assertEquals(0, segment.recoveryStartPosition());
        assertEquals(BATCHES, segment.batchesChecked());
        assertEveryOffsetAt(LOG_END);
    }

    @Test
    void shouldScanTheWholeSegmentWhenTheRecoveryPointPrecedesEveryIndexEntry() throws IOException {
        writeAndCrash(false);
        final Path log = SegmentFiles.logFile(dir, 0);
        segment = new LogSegment(dir, 0, (int) Files.size(log), Long.MAX_VALUE, INDEX_BYTES, NOW, cache, SETTINGS);
        segment.skipIndexCheck();
        assertTrue(segment.acquire());
        assertEquals(0, segment.recover(3));
        assertEquals(0, segment.recoveryStartPosition());
        assertEquals(BATCHES, segment.batchesChecked());
        assertEveryOffsetAt(LOG_END);
    }

    private void corruptLastByteOfBatch(final int batch) throws IOException {
        try (FileChannel channel = FileChannel.open(SegmentFiles.logFile(dir, 0), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            final long position = (batch + 1L) * batchLength - 1;
            final ByteBuffer value = ByteBuffer.allocate(1);
            channel.read(value, position);
            channel.write(ByteBuffer.wrap(new byte[] {(byte) (value.get(0) ^ 0x5A)}), position);
        }
    }
}
