package dev.ferry.storage.internal;

import static dev.ferry.storage.internal.StorageTestSupport.asStored;
import static dev.ferry.storage.internal.StorageTestSupport.drain;
import static dev.ferry.storage.internal.StorageTestSupport.logConfig;
import static dev.ferry.storage.internal.StorageTestSupport.open;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.storage.AppendResult;
import dev.ferry.storage.LogConfig;
import dev.ferry.storage.LogDirectoryFullException;
import dev.ferry.storage.TopicPartition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log directory whose file system runs out of room: appends are refused with {@link LogDirectoryFullException}
 * before anything is written, what was acknowledged stays readable byte for byte, appends resume once space returns,
 * and the log reopens on a still-full disk. The full disk is simulated by a {@link DiskSpace} double.
 */
class FullDiskTest {

    private static final TopicPartition PARTITION = new TopicPartition("orders", 0);
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private final SimulatedDisk disk = new SimulatedDisk();
    private final List<byte[]> acknowledged = new ArrayList<>();
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
        final DefaultLog log = (DefaultLog) manager.getOrCreateLog(PARTITION, config);
        log.diskSpace(disk);
        return log;
    }

    private void appendAcknowledged(final DefaultLog log, final int count) {
        for (int i = 0; i < count; i++) {
            final ByteBuffer batch = TestBatches.sized(300, NOW + acknowledged.size());
            final byte[] original = StorageTestSupport.bytes(batch);
            final AppendResult result = log.append(batch, NOW);
            assertEquals(acknowledged.size(), result.baseOffset());
            acknowledged.add(asStored(ByteBuffer.wrap(original), result.baseOffset()));
        }
    }

    /** Every acknowledged batch, read back from offset 0 across segments, byte for byte. */
    private void assertAcknowledgedReadable(final DefaultLog log) throws IOException {
        final ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (byte[] batch : acknowledged) {
            expected.write(batch);
        }
        final ByteArrayOutputStream actual = new ByteArrayOutputStream();
        long offset = 0;
        while (offset < log.logEndOffset()) {
            final byte[] slice = drain(log.read(offset, Integer.MAX_VALUE, true));
            actual.write(slice);
            offset += StorageTestSupport.batchOffsets(slice).size();
        }
        assertEquals(acknowledged.size(), log.logEndOffset());
        assertArrayEquals(expected.toByteArray(), actual.toByteArray());
    }

    @Test
    void shouldRefuseAppendWhenDirectoryHasNoRoomAndKeepAcknowledgedRecordsReadable() throws IOException {
        final DefaultLog log = log(logConfig(1 << 20, 512));
        appendAcknowledged(log, 5);
        final long sizeBefore = log.sizeInBytes();

        disk.fill();
        assertThrows(LogDirectoryFullException.class, () -> log.append(TestBatches.sized(300, NOW), NOW));

        assertEquals(5, log.logEndOffset());
        assertEquals(sizeBefore, log.sizeInBytes());
        assertAcknowledgedReadable(log);
    }

    @Test
    void shouldResumeAppendsWithoutGapOnceSpaceReturns() throws IOException {
        final DefaultLog log = log(logConfig(1 << 20, 512));
        appendAcknowledged(log, 3);
        disk.fill();
        assertThrows(LogDirectoryFullException.class, () -> log.append(TestBatches.sized(300, NOW), NOW));
        assertThrows(LogDirectoryFullException.class, () -> log.append(TestBatches.sized(300, NOW), NOW));

        disk.free();
        appendAcknowledged(log, 4);

        assertEquals(7, log.logEndOffset());
        assertAcknowledgedReadable(log);
    }

    @Test
    void shouldRefuseIndexedAppendWhenDiskFillsAfterTheLastSpaceCheck() throws IOException {
        // the first append's free-space answer is still fresh, so claiming index space is what finds the disk full
        final DefaultLog log = log(logConfig(1 << 20, 100));
        appendAcknowledged(log, 1);
        final long sizeBefore = log.sizeInBytes();

        disk.failAllocationsOnly();
        assertThrows(LogDirectoryFullException.class, () -> log.append(TestBatches.sized(300, NOW), NOW));

        assertEquals(1, log.logEndOffset());
        assertEquals(sizeBefore, log.sizeInBytes());
        assertAcknowledgedReadable(log);
        disk.free();
        appendAcknowledged(log, 3);
        assertAcknowledgedReadable(log);
    }

    @Test
    void shouldNotRollOntoFullDiskAndRollOnceSpaceReturns() throws IOException {
        final DefaultLog log = log(logConfig(1024, 512));
        appendAcknowledged(log, 3);
        final int segmentsBefore = log.segmentCount();

        disk.fill();
        assertThrows(LogDirectoryFullException.class, () -> log.append(TestBatches.sized(300, NOW), NOW));
        assertEquals(segmentsBefore, log.segmentCount());

        disk.free();
        appendAcknowledged(log, 3);
        assertEquals(segmentsBefore + 1, log.segmentCount());
        assertAcknowledgedReadable(log);
    }

    @Test
    void shouldReopenOnFullDiskServeReadsAndAppendOnceSpaceReturns() throws IOException {
        appendAcknowledged(log(logConfig(1 << 20, 512)), 6);
        manager.close();
        manager = null;

        disk.fill();
        final DefaultLog reopened = log(logConfig(1 << 20, 512));
        assertAcknowledgedReadable(reopened);
        assertThrows(LogDirectoryFullException.class, () -> reopened.append(TestBatches.sized(300, NOW), NOW));
        assertAcknowledgedReadable(reopened);

        disk.free();
        appendAcknowledged(reopened, 3);
        assertAcknowledgedReadable(reopened);
    }

    /** A file system that is either roomy or full; allocations on a full one fail as ENOSPC does. */
    private static final class SimulatedDisk implements DiskSpace {
        private static final long ROOMY = 1L << 40;

        private volatile long usable = ROOMY;
        private volatile boolean allocationsFail;

        void fill() {
            usable = 0;
            allocationsFail = true;
        }

        /** Reports room, then fails the first allocation, as when another writer filled the disk meanwhile. */
        void failAllocationsOnly() {
            allocationsFail = true;
        }

        void free() {
            usable = ROOMY;
            allocationsFail = false;
        }

        @Override
        public long usableBytes(final Path dir) {
            return usable;
        }

        /** On a full disk, writes half the bytes and then fails, as a write that ran out of room does. */
        @Override
        public void write(final FileChannel channel, final ByteBuffer bytes, final long position) throws IOException {
            if (usable == 0) {
                final ByteBuffer half = bytes.duplicate();
                half.limit(half.position() + half.remaining() / 2);
                DiskSpace.SYSTEM.write(channel, half, position);
                throw new IOException("No space left on device");
            }
            DiskSpace.SYSTEM.write(channel, bytes, position);
        }

        @Override
        public void allocate(final FileChannel channel, final long position, final long length) throws IOException {
            if (allocationsFail) {
                usable = 0;
                throw new IOException("No space left on device");
            }
            DiskSpace.SYSTEM.allocate(channel, position, length);
        }
    }
}
