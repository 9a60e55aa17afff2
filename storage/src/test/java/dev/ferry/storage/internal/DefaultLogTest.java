package dev.ferry.storage.internal;

import static dev.ferry.storage.internal.StorageTestSupport.asStored;
import static dev.ferry.storage.internal.StorageTestSupport.batchOffsets;
import static dev.ferry.storage.internal.StorageTestSupport.bytes;
import static dev.ferry.storage.internal.StorageTestSupport.drain;
import static dev.ferry.storage.internal.StorageTestSupport.logConfig;
import static dev.ferry.storage.internal.StorageTestSupport.open;
import static dev.ferry.storage.internal.StorageTestSupport.split;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.AppendResult;
import dev.ferry.storage.AppendResult.Status;
import dev.ferry.storage.FetchSlice;
import dev.ferry.storage.LogClosedException;
import dev.ferry.storage.LogConfig;
import dev.ferry.storage.OffsetOutOfRangeException;
import dev.ferry.storage.TimestampOffset;
import dev.ferry.storage.TopicPartition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultLogTest {

    private static final TopicPartition PARTITION = new TopicPartition("orders", 0);
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private DefaultLogManager manager;

    @AfterEach
    void closeManager() {
        if (manager != null) {
            manager.close();
        }
    }

    private DefaultLog log(final LogConfig config) {
        if (manager == null) {
            manager = open(dir);
        }
        return (DefaultLog) manager.getOrCreateLog(PARTITION, config);
    }

    private Path partitionDir() {
        return dir.resolve("orders-0");
    }

    @Test
    void shouldSyncThePartitionDirectoryWhenAFlushCoversANewSegment() {
        final DefaultLog log = log(logConfig(1024, 256));
        final List<Path> synced = new CopyOnWriteArrayList<>();
        log.directorySync(synced::add);
        final Path partitionDir = partitionDir().toAbsolutePath().normalize();
        final Path logDir = dir.toAbsolutePath().normalize();

        log.append(TestBatches.records(3, NOW), NOW);
        log.flush();
        assertEquals(List.of(partitionDir, logDir), synced,
                "the first segment's file is new, and so is the partition directory's own name");

        log.append(TestBatches.records(3, NOW), NOW);
        log.flush();
        assertEquals(2, synced.size(), "no new segment, no directory sync");

        while (log.segmentCount() < 2) {
            log.append(TestBatches.records(3, NOW), NOW);
        }
        log.flush();
        assertEquals(List.of(partitionDir, logDir, partitionDir), synced, "a rolled segment's file is new");
    }

    @Test
    void shouldLeaveTheLogDirectoryToTheFirstFlushWhenCreatingALog() {
        final DefaultLog log = log(logConfig(1024, 256));
        final List<Path> synced = new CopyOnWriteArrayList<>();
        log.directorySync(synced::add);
        assertTrue(Files.isDirectory(partitionDir()));

        log.flush();
        assertEquals(List.of(), synced, "an empty log has nothing to flush");

        log.append(TestBatches.records(3, NOW), NOW);
        log.flush();
        assertEquals(List.of(partitionDir().toAbsolutePath().normalize(), dir.toAbsolutePath().normalize()), synced,
                "the partition directory's name is made durable with its first data");
    }

    @Test
    void shouldNotMoveTheRecoveryPointWhenTheLogDirectoryCannotBeSynced() {
        final DefaultLog log = log(logConfig(1024, 256));
        final Path logDir = dir.toAbsolutePath().normalize();
        log.directorySync(path -> {
            if (path.equals(logDir)) {
                throw new IOException("device gone");
            }
        });
        log.append(TestBatches.records(3, NOW), NOW);
        assertThrows(UncheckedIOException.class, log::flush);
        assertEquals(0, log.recoveryPoint(), "nothing is vouched for until the directory entry is durable");

        log.directorySync(path -> { });
        log.flush();
        assertEquals(3, log.recoveryPoint());
    }

    @Test
    void shouldThrowLogClosedExceptionOnceTheLogIsDeletedOrTheStorageClosed() {
        final DefaultLog log = log(logConfig(1024, 256));
        log.append(TestBatches.records(3, NOW), NOW);
        manager.deleteLog(PARTITION);
        assertThrows(LogClosedException.class, () -> log.append(TestBatches.records(1, NOW), NOW));
        assertThrows(LogClosedException.class, () -> log.read(0, 1000, true));
        assertThrows(LogClosedException.class, log::logEndOffset);

        final DefaultLog recreated = log(logConfig(1024, 256));
        manager.close();
        assertThrows(LogClosedException.class, recreated::logEndOffset);
        assertThrows(LogClosedException.class, () -> recreated.read(0, 1000, true));
        manager = null;
    }

    @Test
    void shouldReadBackAppendedBatchesWithAssignedOffsetsAcrossSegments() {
        final DefaultLog log = log(logConfig(1024, 256));
        final List<byte[]> originals = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            final ByteBuffer batch = TestBatches.records(3, NOW + i);
            originals.add(bytes(batch));
            final AppendResult result = log.append(batch, NOW);
            assertEquals(new AppendResult(Status.OK, 3L * i, 3L * i + 2, -1, 0), result);
        }
        assertEquals(90, log.logEndOffset());
        assertTrue(log.segmentCount() >= 3, "segments: " + log.segmentCount());

        int batchNumber = 0;
        long offset = 0;
        while (offset < log.logEndOffset()) {
            final byte[] read = drain(log.read(offset, 700, true));
            for (byte[] batch : split(read)) {
                assertArrayEquals(asStored(ByteBuffer.wrap(originals.get(batchNumber)), 3L * batchNumber), batch,
                        "batch " + batchNumber);
                batchNumber++;
            }
            offset = batchOffsets(read).get(batchOffsets(read).size() - 1)[1] + 1;
        }
        assertEquals(30, batchNumber);
    }

    @Test
    void shouldAssignConsecutiveOffsetsToSeveralBatchesOfOneAppend() {
        final DefaultLog log = log(logConfig(1 << 20, 4096));
        final AppendResult result = log.append(TestBatches.concat(TestBatches.records(2, NOW),
                TestBatches.records(4, NOW), TestBatches.records(1, NOW)), NOW);
        assertEquals(0, result.baseOffset());
        assertEquals(6, result.lastOffset());
        final List<long[]> offsets = batchOffsets(drain(log.read(0, 1 << 20, true)));
        assertEquals(3, offsets.size());
        assertArrayEquals(new long[] {0, 1}, offsets.get(0));
        assertArrayEquals(new long[] {2, 5}, offsets.get(1));
        assertArrayEquals(new long[] {6, 6}, offsets.get(2));
    }

    @Test
    void shouldRollWhenTheNextAppendWouldExceedSegmentBytes() {
        final int size = TestBatches.records(1, NOW).remaining();
        final DefaultLog log = log(logConfig(3L * size, 4096));
        for (int i = 0; i < 7; i++) {
            log.append(TestBatches.records(1, NOW), NOW);
        }
        assertEquals(3, log.segmentCount());
        assertTrue(Files.exists(partitionDir().resolve("00000000000000000000.log")));
        assertTrue(Files.exists(partitionDir().resolve("00000000000000000003.log")));
        assertTrue(Files.exists(partitionDir().resolve("00000000000000000006.log")));
    }

    @Test
    void shouldPutABatchLargerThanSegmentBytesAloneInItsOwnSegment() throws Exception {
        final DefaultLog log = log(logConfig(500, 4096));
        final int bigSize = TestBatches.sized(2_000, NOW).remaining();
        log.append(TestBatches.sized(100, NOW), NOW);
        log.append(TestBatches.sized(2_000, NOW), NOW);
        log.append(TestBatches.sized(100, NOW), NOW);
        assertEquals(3, log.segmentCount());
        assertEquals(bigSize, Files.size(partitionDir().resolve("00000000000000000001.log")));
        final FetchSlice big = log.read(1, 100, true);
        assertEquals(bigSize, big.length());
        assertEquals(1, batchOffsets(drain(big)).size());
    }

    @Test
    void shouldRollWhenTheFirstBatchIsOlderThanSegmentMs() {
        final LogConfig base = logConfig(1 << 20, 4096);
        final DefaultLog log = log(new LogConfig(base.segmentBytes(), 1_000, -1, -1, Long.MAX_VALUE,
                Long.MAX_VALUE, 4096, 64 * 1024, false));
        log.append(TestBatches.records(1, 10_000), NOW);
        log.append(TestBatches.records(1, 11_000), NOW);
        assertEquals(1, log.segmentCount(), "exactly segment.ms later does not roll");
        log.append(TestBatches.records(1, 11_001), NOW);
        assertEquals(2, log.segmentCount());
        assertTrue(Files.exists(partitionDir().resolve("00000000000000000002.log")));
    }

    @Test
    void shouldReturnAnEmptySliceAtTheLogEnd() {
        final DefaultLog log = log(logConfig(1 << 20, 4096));
        assertEquals(0, log.read(0, 1000, true).length());
        log.append(TestBatches.records(2, NOW), NOW);
        final FetchSlice slice = log.read(2, 1000, true);
        assertEquals(0, slice.length());
        assertNull(slice.channel());
        slice.close();
    }

    @Test
    void shouldRejectOffsetsOutsideTheLog() {
        final DefaultLog log = log(logConfig(1 << 20, 4096));
        log.append(TestBatches.records(5, NOW), NOW);
        assertThrows(OffsetOutOfRangeException.class, () -> log.read(6, 1000, true));
        assertThrows(OffsetOutOfRangeException.class, () -> log.read(-1, 1000, true));
        log.deleteRecordsBefore(3);
        assertThrows(OffsetOutOfRangeException.class, () -> log.read(2, 1000, true));
        assertEquals(1, batchOffsets(drain(log.read(3, 1000, true))).size());
    }

    @Test
    void shouldReturnTheFirstBatchAloneWhenLargerThanMaxBytesOnlyIfAsked() {
        final DefaultLog log = log(logConfig(1 << 20, 4096));
        final int size = TestBatches.sized(800, NOW).remaining();
        log.append(TestBatches.sized(800, NOW), NOW);
        log.append(TestBatches.sized(800, NOW), NOW);
        final FetchSlice one = log.read(0, 100, true);
        assertEquals(size, one.length());
        one.close();
        assertEquals(0, log.read(0, 100, false).length());
    }

    @Test
    void shouldReturnOnlyWholeBatchesWithinMaxBytes() {
        final DefaultLog log = log(logConfig(1 << 20, 300));
        final int size = TestBatches.sized(200, NOW).remaining();
        for (int i = 0; i < 20; i++) {
            log.append(TestBatches.sized(200, NOW), NOW);
        }
        final byte[] read = drain(log.read(0, size * 5 + size / 2, true));
        assertEquals(size * 5, read.length);
        assertEquals(5, batchOffsets(read).size());
        final byte[] middle = drain(log.read(7, size * 9 - 1, false));
        assertEquals(8, batchOffsets(middle).size());
        assertEquals(7, batchOffsets(middle).get(0)[0]);
    }

    @Test
    void shouldStartAReadAtTheBatchHoldingAnOffsetInsideIt() {
        final DefaultLog log = log(logConfig(1 << 20, 4096));
        log.append(TestBatches.records(5, NOW), NOW);
        log.append(TestBatches.records(5, NOW), NOW);
        final List<long[]> offsets = batchOffsets(drain(log.read(7, 1 << 20, true)));
        assertEquals(1, offsets.size());
        assertArrayEquals(new long[] {5, 9}, offsets.get(0));
    }

    @Test
    void shouldFindTheFirstRecordAtOrAfterATimestamp() {
        final DefaultLog log = log(logConfig(300, 100));
        for (int i = 0; i < 10; i++) {
            log.append(TestBatches.batch().record(1_000 + 100L * i, "a").record(1_050 + 100L * i, "b").build(), NOW);
        }
        assertTrue(log.segmentCount() > 2);
        assertEquals(new TimestampOffset(1_000, 0), log.offsetForTimestamp(0));
        assertEquals(new TimestampOffset(1_550, 11), log.offsetForTimestamp(1_501));
        assertEquals(new TimestampOffset(1_600, 12), log.offsetForTimestamp(1_551));
        assertEquals(new TimestampOffset(1_950, 19), log.offsetForTimestamp(1_950));
        assertNull(log.offsetForTimestamp(1_951));
    }

    @Test
    void shouldAnswerCompressedBatchesAtBatchGranularity() {
        final DefaultLog log = log(logConfig(1 << 20, 4096));
        log.append(TestBatches.batch().record(1_000, "a").record(2_000, "b").record(3_000, "c").compression(1)
                .build(), NOW);
        assertEquals(new TimestampOffset(3_000, 0), log.offsetForTimestamp(2_500));
        assertEquals(new TimestampOffset(3_000, 0), log.maxTimestamp());
    }

    @Test
    void shouldReportTheMaxTimestampAndTheRecordCarryingIt() {
        final DefaultLog log = log(logConfig(300, 100));
        assertNull(log.maxTimestamp());
        log.append(TestBatches.batch().record(5_000, "a").record(9_000, "b").record(7_000, "c").build(), NOW);
        log.append(TestBatches.records(3, 1_000), NOW);
        log.append(TestBatches.records(3, 2_000), NOW);
        assertEquals(new TimestampOffset(9_000, 1), log.maxTimestamp());
    }

    @Test
    void shouldStampLogAppendTimeAndRecomputeTheCrc() {
        final LogConfig base = logConfig(1 << 20, 4096);
        final DefaultLog log = log(new LogConfig(base.segmentBytes(), base.segmentMs(), -1, -1, Long.MAX_VALUE,
                Long.MAX_VALUE, 4096, 64 * 1024, true));
        final AppendResult heap = log.append(TestBatches.records(3, 5), 123_456L);
        final AppendResult direct = log.append(TestBatches.batch().record(6, "v").direct().build(), 123_999L);
        assertEquals(123_456L, heap.logAppendTimeMs());
        assertEquals(123_999L, direct.logAppendTimeMs());
        final ByteBuffer stored = ByteBuffer.wrap(drain(log.read(0, 1 << 20, true)));
        final int second = stored.getInt(8) + 12;
        assertEquals(0x08, stored.getShort(21) & 0x08, "timestamp type bit");
        assertEquals(123_456L, stored.getLong(35));
        assertEquals(5L, stored.getLong(27), "the base timestamp is the producer's");
        assertTrue(TestBatches.crcIsValid(stored, 0));
        assertEquals(123_999L, stored.getLong(second + 35));
        assertTrue(TestBatches.crcIsValid(stored, second));
        assertEquals(new TimestampOffset(123_456L, 0), log.offsetForTimestamp(123_000L));
        assertEquals(new TimestampOffset(123_999L, 3), log.offsetForTimestamp(123_500L));
    }

    @Test
    void shouldAnswerARetryOfAnyOfTheLastFiveBatchesWithItsOriginalOffsets() {
        final DefaultLog log = log(logConfig(1 << 20, 4096));
        final List<ByteBuffer> sent = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            final ByteBuffer batch = TestBatches.batch().producer(7, 0, 2 * i).record(NOW, "a").record(NOW, "b")
                    .build();
            sent.add(ByteBuffer.wrap(bytes(batch)));
            assertEquals(Status.OK, log.append(batch, NOW).status());
        }
        final long size = log.sizeInBytes();
        for (int i = 1; i < 6; i++) {
            final AppendResult retry = log.append(ByteBuffer.wrap(bytes(sent.get(i))), NOW + 5);
            assertEquals(new AppendResult(Status.DUPLICATE, 2L * i, 2L * i + 1, NOW, 0), retry);
        }
        assertEquals(12, log.logEndOffset());
        assertEquals(size, log.sizeInBytes());
        assertEquals(Status.OUT_OF_ORDER_SEQUENCE, log.append(ByteBuffer.wrap(bytes(sent.get(0))), NOW).status(),
                "the oldest batch is no longer remembered");
    }

    @Test
    void shouldRejectASequenceGapOrAnOldEpochWithoutWriting() {
        final DefaultLog log = log(logConfig(1 << 20, 4096));
        assertEquals(Status.OK, log.append(TestBatches.batch().producer(9, 2, 0).record(NOW, "a").build(), NOW)
                .status());
        final AppendResult gap = log.append(TestBatches.batch().producer(9, 2, 2).record(NOW, "b").build(), NOW);
        assertEquals(AppendResult.failed(Status.OUT_OF_ORDER_SEQUENCE, 0), gap);
        final AppendResult fenced = log.append(TestBatches.batch().producer(9, 1, 1).record(NOW, "b").build(), NOW);
        assertEquals(AppendResult.failed(Status.INVALID_PRODUCER_EPOCH, 0), fenced);
        assertEquals(1, log.logEndOffset());
        assertEquals(Status.OK, log.append(TestBatches.batch().producer(9, 2, 1).record(NOW, "b").build(), NOW)
                .status());
    }

    @Test
    void shouldFlushOnceFlushMessagesAreUnflushed() {
        final LogConfig base = logConfig(1 << 20, 4096);
        final DefaultLog log = log(new LogConfig(base.segmentBytes(), base.segmentMs(), -1, -1, 3, Long.MAX_VALUE,
                4096, 64 * 1024, false));
        log.append(TestBatches.records(1, NOW), NOW);
        log.append(TestBatches.records(1, NOW), NOW);
        assertEquals(0, log.recoveryPoint());
        log.append(TestBatches.records(1, NOW), NOW);
        assertEquals(3, log.recoveryPoint());
    }

    @Test
    void shouldRejectMalformedBatchesWithoutWriting() {
        final DefaultLog log = log(logConfig(1 << 20, 4096));
        final ByteBuffer wrongMagic = TestBatches.records(1, NOW);
        wrongMagic.put(16, (byte) 1);
        assertThrows(IllegalArgumentException.class, () -> log.append(wrongMagic, NOW));
        final ByteBuffer tooLong = TestBatches.records(1, NOW);
        tooLong.putInt(8, 10_000);
        assertThrows(IllegalArgumentException.class, () -> log.append(tooLong, NOW));
        final ByteBuffer cut = TestBatches.records(2, NOW).limit(40);
        assertThrows(IllegalArgumentException.class, () -> log.append(cut, NOW));
        assertThrows(IllegalArgumentException.class, () -> log.append(ByteBuffer.allocate(0), NOW));
        assertThrows(IllegalArgumentException.class,
                () -> log.append(TestBatches.records(1, NOW).asReadOnlyBuffer(), NOW));
        assertEquals(0, log.logEndOffset());
        assertEquals(0, log.sizeInBytes());
    }

    @Test
    void shouldLeaveTheCallersBufferPositionUnchanged() {
        final DefaultLog log = log(logConfig(1 << 20, 4096));
        final ByteBuffer padded = ByteBuffer.allocate(500);
        final ByteBuffer batch = TestBatches.records(2, NOW);
        padded.position(100);
        padded.put(batch.duplicate());
        padded.limit(padded.position()).position(100);
        log.append(padded, NOW);
        assertEquals(100, padded.position());
        assertEquals(asStored(batch, 0).length, drain(log.read(0, 1000, true)).length);
        assertArrayEquals(asStored(batch, 0), drain(log.read(0, 1000, true)));
    }
}
