package dev.ferry.storage.internal;

import static dev.ferry.storage.internal.BatchHeaderDescriptor.HEADER_LENGTH;
import static dev.ferry.storage.internal.BatchHeaderDescriptor.NO_TIMESTAMP;

import dev.ferry.storage.TimestampOffset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One segment of a partition log: the {@code .log} file of v2 batches starting at {@link #baseOffset()}, with its
 * offset index and time index. The files are opened lazily and may be closed and reopened any number of times
 * under the {@link SegmentCache}'s bound; the metadata (size, offsets, largest timestamp) stays in memory.
 *
 * <p><b>Reference counting:</b> every use of the files happens between {@link #acquire()} and {@link #release()};
 * a segment with references is never closed. Deletion unlinks the files at once (open descriptors and mappings stay
 * readable) and closes them, on the cache's closer, when the last reference goes.
 *
 * <p><b>Thread-safety:</b> appends, rolls and recovery are called by the owning log under its lock; reads and
 * flushes come from any thread holding a reference. Metadata fields are volatile; the size is published after the
 * bytes are written, so readers never see a partial batch.
 */
final class LogSegment {

    private static final System.Logger LOG = System.getLogger(LogSegment.class.getName());
    private static final int CLOSED = -1;
    private static final long UNKNOWN = Long.MIN_VALUE;

    private final long baseOffset;
    private final Path logFile;
    private final Path indexFile;
    private final Path timeIndexFile;
    private final SegmentCache cache;
    private final IndexSettings settings;
    private final long createdMs;
    private final AtomicInteger refs = new AtomicInteger(CLOSED);
    private volatile long lastAccessNanos = System.nanoTime();
    private volatile boolean deleted;
    private volatile boolean retired;
    private volatile boolean halted;

    private volatile int size;
    private volatile long nextOffset;
    private volatile long maxTimestamp = NO_TIMESTAMP;
    private volatile long offsetOfMaxTimestamp = -1;
    private long firstBatchTimestamp = UNKNOWN;
    private int bytesSinceLastIndexEntry;
    private int preallocateIndexBytes;
    private boolean indexesVerified;
    private long recoveryStartPosition;
    private int batchesChecked;

    private FileChannel channel;
    private OffsetIndex offsetIndex;
    private TimeIndex timeIndex;

    /** The log's current index settings, read when a segment opens or rebuilds its indexes. */
    interface IndexSettings {
        int indexIntervalBytes();

        int segmentIndexBytes();

        /** Where index space is allocated before it is written through a mapping. */
        default DiskSpace diskSpace() {
            return DiskSpace.SYSTEM;
        }
    }

    /**
     * @param size                  bytes already in the {@code .log} file (0 for a new segment)
     * @param nextOffset            the offset after the segment's last batch, or {@code Long.MAX_VALUE} if unknown
     *                              until the segment is validated
     * @param preallocateIndexBytes the index size to preallocate while the segment is active, 0 when inactive
     */
    LogSegment(final Path dir, final long baseOffset, final int size, final long nextOffset,
               final int preallocateIndexBytes, final long createdMs, final SegmentCache cache,
               final IndexSettings settings) {
        this.baseOffset = baseOffset;
        this.logFile = SegmentFiles.logFile(dir, baseOffset);
        this.indexFile = SegmentFiles.indexFile(dir, baseOffset);
        this.timeIndexFile = SegmentFiles.timeIndexFile(dir, baseOffset);
        this.size = size;
        this.nextOffset = nextOffset;
        this.preallocateIndexBytes = preallocateIndexBytes;
        this.createdMs = createdMs;
        this.cache = cache;
        this.settings = settings;
    }

    long baseOffset() {
        return baseOffset;
    }

    /** Committed bytes: everything below is whole batches visible to readers. */
    int size() {
        return size;
    }

    long nextOffset() {
        return nextOffset;
    }

    long maxTimestamp() {
        return maxTimestamp;
    }

    long offsetOfMaxTimestamp() {
        return offsetOfMaxTimestamp;
    }

    boolean isDeleted() {
        return deleted;
    }

    /** Sets the largest timestamp read from a closed segment's time index at load. */
    void loadedMaxTimestamp(final long timestamp, final long offset) {
        maxTimestamp = timestamp;
        offsetOfMaxTimestamp = offset;
    }

    /** The largest timestamp for retention: the records', or the file's modification time when none has one. */
    long largestTimestampForRetention() {
        final long timestamp = maxTimestamp;
        if (timestamp >= 0) {
            return timestamp;
        }
        try {
            return Files.getLastModifiedTime(logFile).toMillis();
        } catch (IOException gone) {
            return createdMs;
        }
    }

    long lastAccessNanos() {
        return lastAccessNanos;
    }

    boolean isUnused() {
        return refs.get() == 0;
    }

    // ---- reference counting ---------------------------------------------------------------------------------

    /**
     * Takes a reference, reopening the files if the cache closed them.
     *
     * @return false when the segment has been deleted and closed: the caller must look again at the log's segments
     * @throws UncheckedIOException when the files cannot be opened
     */
    boolean acquire() {
        for (;;) {
            final int count = refs.get();
            if (count >= 0) {
                if (refs.compareAndSet(count, count + 1)) {
                    lastAccessNanos = System.nanoTime();
                    return true;
                }
                continue;
            }
            if (deleted || retired) {
                return false;
            }
            cache.makeRoom();
            synchronized (this) {
                if (refs.get() != CLOSED) {
                    continue;
                }
                if (deleted || retired) {
                    return false;
                }
                try {
                    openFiles();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot open segment " + logFile, e);
                }
                lastAccessNanos = System.nanoTime();
                refs.set(1);
            }
            cache.opened(this);
            return true;
        }
    }

    void release() {
        final int count = refs.decrementAndGet();
        if (count < 0) {
            throw new IllegalStateException("segment " + logFile + " released more often than acquired");
        }
        if (count == 0 && (deleted || retired)) {
            cache.closeLater(this);
        }
    }

    /** Closes the files if nobody holds a reference; the caller tells the cache. */
    boolean closeIfUnused() {
        synchronized (this) {
            if (!refs.compareAndSet(0, CLOSED)) {
                return false;
            }
            closeFiles();
            return true;
        }
    }

    /**
     * Unlinks the files; they close when the last reference goes, so open slices keep reading. The caller has
     * already removed the segment from its log.
     */
    void delete() {
        synchronized (this) {
            deleted = true;
            try {
                Files.deleteIfExists(logFile);
                Files.deleteIfExists(indexFile);
                Files.deleteIfExists(timeIndexFile);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot delete segment files of " + logFile, e);
            }
        }
        if (closeIfUnused()) {
            cache.closed(this);
        }
    }

    /**
     * Closes the files for good, as when the log closes; a reference still held (an open slice) delays the close
     * until its release.
     *
     * @param crash true to close as a crash would: no final time index entry, no trimming (for tests of recovery)
     */
    void retire(final boolean crash) {
        synchronized (this) {
            retired = true;
            halted = crash;
        }
        if (closeIfUnused()) {
            cache.closed(this);
        }
    }

    private void openFiles() throws IOException {
        final boolean active = preallocateIndexBytes > 0;
        // only the active segment may be missing: it is created on first use
        channel = active
                ? FileChannel.open(logFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE)
                : FileChannel.open(logFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            final boolean indexExisted = Files.exists(indexFile) && Files.exists(timeIndexFile);
            offsetIndex = new OffsetIndex(indexFile, baseOffset, preallocateIndexBytes, settings.diskSpace());
            timeIndex = new TimeIndex(timeIndexFile, baseOffset, preallocateIndexBytes, settings.diskSpace());
            if (!indexesVerified) {
                final boolean consistent = (indexExisted || size == 0) && offsetIndex.isConsistent(size)
                        && timeIndex.isConsistent(nextOffset);
                if (!consistent) {
                    LOG.log(System.Logger.Level.WARNING, "rebuilding missing or corrupt indexes of " + logFile);
                    scan(FileBatchReader.forThread(), Long.MAX_VALUE, false);
                }
                indexesVerified = true;
            }
        } catch (IOException | RuntimeException e) {
            closeFiles();
            throw e;
        }
    }

    private void closeFiles() {
        final boolean tidy = !deleted && !halted;
        try {
            if (timeIndex != null && tidy && preallocateIndexBytes > 0) {
                // like a rolled segment, a closed one carries its largest timestamp in its time index
                timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp, true);
            }
            if (offsetIndex != null) {
                offsetIndex.close(!tidy);
            }
            if (timeIndex != null) {
                timeIndex.close(!tidy);
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "error closing segment " + logFile, e);
        } finally {
            offsetIndex = null;
            timeIndex = null;
            channel = null;
        }
    }

    // ---- writing (owning log's lock and a reference held) -----------------------------------------------------

    FileChannel channel() {
        return channel;
    }

    boolean indexesFull() {
        return offsetIndex.isFull() || timeIndex.isFull();
    }

    /** Max timestamp of the first batch, or -1 when it has none or the segment is empty. */
    long firstBatchTimestamp() throws IOException {
        if (firstBatchTimestamp == UNKNOWN) {
            final FileBatchReader reader = FileBatchReader.forThread();
            if (!reader.readHeader(channel, 0, size)) {
                return NO_TIMESTAMP;
            }
            firstBatchTimestamp = reader.header().maxTimestamp();
        }
        return firstBatchTimestamp;
    }

    long createdMs() {
        return createdMs;
    }

    /**
     * Writes whole batches at the end of the file and indexes them.
     *
     * @param records                  the batches, from position to limit; the position is left unchanged
     * @param firstBatchMaxTimestamp   the first batch's max timestamp, remembered for time-based rolling
     * @param largestOffset            the last offset of the last batch
     * @param largestTimestamp         the largest max timestamp among the batches
     * @param offsetOfLargestTimestamp the last offset of the batch carrying {@code largestTimestamp}
     */
    void append(final ByteBuffer records, final long firstBatchMaxTimestamp, final long largestOffset,
                final long largestTimestamp, final long offsetOfLargestTimestamp) throws IOException {
        final int position = size;
        final int start = records.position();
        final int length = records.remaining();
        // an index that could not be preallocated (no room when the segment opened) takes no entry: lookups scan on
        final boolean indexing = bytesSinceLastIndexEntry > settings.indexIntervalBytes() && !indexesFull();
        if (indexing) {
            // claimed before the batches are written, so a full disk refuses the append rather than half-index it
            offsetIndex.allocateNextEntry();
            timeIndex.allocateNextEntry();
        }
        try {
            settings.diskSpace().write(channel, records, position);
        } catch (IOException e) {
            try {
                channel.truncate(position);
            } catch (IOException truncateFailure) {
                e.addSuppressed(truncateFailure);
            }
            throw e;
        } finally {
            records.position(start);
        }
        if (position == 0) {
            firstBatchTimestamp = firstBatchMaxTimestamp;
        }
        if (largestTimestamp > maxTimestamp) {
            offsetOfMaxTimestamp = offsetOfLargestTimestamp;
            maxTimestamp = largestTimestamp;
        }
        if (indexing) {
            offsetIndex.append(largestOffset, position);
            timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp, false);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += length;
        nextOffset = largestOffset + 1;
        size = position + length;
    }

    /** Stops being the active segment: records its largest timestamp in the time index and trims both indexes. */
    void onBecomeInactive() throws IOException {
        if (preallocateIndexBytes == 0) {
            // already done by a roll that then failed to create the next segment
            return;
        }
        timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp, true);
        offsetIndex.trimToEntries();
        timeIndex.trimToEntries();
        preallocateIndexBytes = 0;
    }

    /** Skips the index check on next open, for a segment whose indexes recovery is about to rebuild anyway. */
    void skipIndexCheck() {
        indexesVerified = true;
    }

    /** Makes this the active segment again, as after recovery cut the segments that followed it. */
    void becomeActive(final int indexBytes) {
        preallocateIndexBytes = indexBytes;
    }

    void flush() throws IOException {
        channel.force(false);
        offsetIndex.flush();
        timeIndex.flush();
    }

    // ---- recovery (owning log's lock and a reference held) ----------------------------------------------------

    /**
     * Validates the batches that may have been torn or corrupted by an unclean stop (length, magic 2, increasing
     * offsets within the segment's range, and the CRC-32C of those ending at or after {@code crcFromOffset}),
     * brings both indexes up to date, and truncates the file after the last valid batch.
     *
     * <p>When {@code crcFromOffset} (the recovery point) lies inside this segment, the prefix up to the last offset
     * index entry whose batches end below it was forced to disk together with the index entries before the recovery
     * point moved, so it is trusted as it is, as Kafka trusts it: those entries are kept, the later ones dropped
     * (pages mapped after the last flush may hold anything), and validation resumes at that entry's batch. Anything
     * unexpected in the index or at that position falls back to a scan of the whole segment.
     *
     * @return the number of bytes cut off
     */
    long recover(final long crcFromOffset) throws IOException {
        final FileBatchReader reader = FileBatchReader.forThread();
        final long fileSize = channel.size();
        final ScanStart resume = trustedPrefix(reader, crcFromOffset, fileSize);
        if (resume == null) {
            return scan(reader, crcFromOffset, true);
        }
        reopenIndexes(fileSize, resume.offsetEntries(), resume.timeEntries());
        return scanFrom(reader, crcFromOffset, true, fileSize, resume);
    }

    /** Where the last {@link #recover} began validating: 0 after a full scan. For the loader's report and tests. */
    long recoveryStartPosition() {
        return recoveryStartPosition;
    }

    /** How many batches the last {@link #recover} (or index rebuild) validated. For tests. */
    int batchesChecked() {
        return batchesChecked;
    }

    /**
     * Where recovery may resume after the flushed prefix of the segment, with the running state restored from the
     * indexes and the first batch's header; null when there is no usable index entry below {@code crcFromOffset}
     * or anything read does not fit together.
     */
    private ScanStart trustedPrefix(final FileBatchReader reader, final long crcFromOffset, final long fileSize)
            throws IOException {
        if (crcFromOffset <= baseOffset) {
            return null;
        }
        final int slot = offsetIndex.lastSlotBelow(crcFromOffset, fileSize);
        if (slot < 0) {
            return null;
        }
        final long entryOffset = offsetIndex.offsetAt(slot);
        final long position = offsetIndex.positionAt(slot);
        final long previousLast = slot == 0 ? baseOffset - 1 : offsetIndex.offsetAt(slot - 1);
        if (!reader.readHeader(channel, 0, fileSize) || !reader.headerIsSane(0, fileSize)) {
            return null;
        }
        final long first = reader.header().maxTimestamp();
        // the entry's offset is the last of the batches appended together from its position
        if (!reader.readHeader(channel, position, fileSize) || reader.header().lastOffset() > entryOffset
                || !isValid(reader, position, fileSize, previousLast, crcFromOffset)) {
            LOG.log(System.Logger.Level.WARNING, "offset index of " + logFile + " does not match the batch at position "
                    + position + "; validating the whole segment");
            return null;
        }
        // time entries are written with offset entries, so those up to this one's offset were flushed with it
        final int timeEntries = timeIndex.entriesUpTo(entryOffset);
        final long largest = timeEntries == 0 ? NO_TIMESTAMP : timeIndex.timestampAt(timeEntries - 1);
        final long offsetOfLargest = timeEntries == 0 ? -1 : timeIndex.offsetAt(timeEntries - 1);
        return new ScanStart(position, previousLast, largest, offsetOfLargest, first, slot + 1, timeEntries);
    }

    /**
     * Checks the batches after the last offset index entry, as a cleanly closed active segment needs (its size
     * and next offset are not recorded anywhere else); falls back to {@link #recover} if any of them is invalid.
     *
     * @return the number of bytes cut off
     */
    long validateTail() throws IOException {
        final FileBatchReader reader = FileBatchReader.forThread();
        final long fileSize = channel.size();
        long position = offsetIndex.lastPosition();
        long previousLast = baseOffset - 1;
        long largest = timeIndex.lastTimestamp();
        long offsetOfLargest = timeIndex.lastEntryOffset();
        long first = UNKNOWN;
        while (reader.readHeader(channel, position, fileSize)) {
            final BatchHeaderFlyweight header = reader.header();
            if (!isValid(reader, position, fileSize, previousLast, Long.MIN_VALUE)) {
                break;
            }
            if (position == 0) {
                first = header.maxTimestamp();
            }
            if (header.maxTimestamp() > largest) {
                largest = header.maxTimestamp();
                offsetOfLargest = header.lastOffset();
            }
            previousLast = header.lastOffset();
            position += header.totalLength();
        }
        if (position != fileSize) {
            return recover(Long.MIN_VALUE);
        }
        if (first != UNKNOWN) {
            firstBatchTimestamp = first;
        }
        bytesSinceLastIndexEntry = (int) (position - offsetIndex.lastPosition());
        maxTimestamp = largest;
        offsetOfMaxTimestamp = largest == NO_TIMESTAMP ? -1 : offsetOfLargest;
        nextOffset = previousLast + 1;
        size = (int) position;
        return 0;
    }

    private boolean isValid(final FileBatchReader reader, final long position, final long end,
                            final long previousLast, final long crcFromOffset) throws IOException {
        final BatchHeaderFlyweight header = reader.header();
        return reader.headerIsSane(position, end)
                && header.baseOffset() > previousLast
                && header.baseOffset() >= baseOffset
                && header.lastOffset() - baseOffset <= Integer.MAX_VALUE
                && (header.lastOffset() < crcFromOffset || reader.crcIsValid(channel, position));
    }

    /**
     * Walks the batches from the start, rebuilding the indexes; when {@code recovering}, also truncates after the
     * last valid batch and resets the segment's metadata from what it read.
     */
    private long scan(final FileBatchReader reader, final long crcFromOffset, final boolean recovering)
            throws IOException {
        final long fileSize = channel.size();
        reopenIndexes(fileSize, 0, 0);
        return scanFrom(reader, crcFromOffset, recovering, fileSize,
                new ScanStart(0, baseOffset - 1, NO_TIMESTAMP, -1, UNKNOWN, 0, 0));
    }

    /**
     * Walks the batches from {@code start}, appending index entries after the ones the indexes already hold; when
     * {@code recovering}, also truncates after the last valid batch and resets the segment's metadata.
     */
    private long scanFrom(final FileBatchReader reader, final long crcFromOffset, final boolean recovering,
                          final long fileSize, final ScanStart start) throws IOException {
        final int interval = settings.indexIntervalBytes();
        long position = start.position();
        long lastIndexedPosition = start.position();
        long previousLast = start.previousLast();
        long largest = start.largest();
        long offsetOfLargest = start.offsetOfLargest();
        long first = start.firstTimestamp();
        int checked = 0;
        while (reader.readHeader(channel, position, fileSize)) {
            if (!isValid(reader, position, fileSize, previousLast, crcFromOffset)) {
                break;
            }
            checked++;
            final BatchHeaderFlyweight header = reader.header();
            if (first == UNKNOWN) {
                first = header.maxTimestamp();
            }
            if (header.maxTimestamp() > largest) {
                largest = header.maxTimestamp();
                offsetOfLargest = header.lastOffset();
            }
            if (position - lastIndexedPosition > interval && !offsetIndex.isFull() && !timeIndex.isFull()) {
                offsetIndex.append(header.lastOffset(), (int) position);
                timeIndex.maybeAppend(largest, offsetOfLargest, false);
                lastIndexedPosition = position;
            }
            previousLast = header.lastOffset();
            position += header.totalLength();
        }
        final long truncated = fileSize - position;
        if (recovering) {
            if (truncated > 0) {
                LOG.log(System.Logger.Level.WARNING, "truncating " + truncated + " invalid bytes at position "
                        + position + " of " + logFile + " (torn or corrupt write); log ends at offset "
                        + (previousLast + 1));
                channel.truncate(position);
            }
            firstBatchTimestamp = first;
            nextOffset = previousLast + 1;
            size = (int) position;
        }
        maxTimestamp = largest;
        offsetOfMaxTimestamp = offsetOfLargest;
        bytesSinceLastIndexEntry = (int) (position - lastIndexedPosition);
        if (preallocateIndexBytes == 0) {
            timeIndex.maybeAppend(largest, offsetOfLargest, true);
            offsetIndex.trimToEntries();
            timeIndex.trimToEntries();
        }
        indexesVerified = true;
        recoveryStartPosition = start.position();
        batchesChecked = checked;
        return recovering ? truncated : 0;
    }

    /**
     * Reopens both indexes keeping only their first entries, with room for those rebuilt after them: the active
     * segment's preallocated size, or for an inactive one an entry per interval or per batch, whichever is fewer.
     */
    private void reopenIndexes(final long fileSize, final int offsetEntries, final int timeEntries)
            throws IOException {
        offsetIndex.close(true);
        timeIndex.close(true);
        keepEntries(indexFile, (long) offsetEntries * OffsetIndexDescriptor.ENTRY_LENGTH);
        keepEntries(timeIndexFile, (long) timeEntries * TimeIndexDescriptor.ENTRY_LENGTH);
        int capacity = preallocateIndexBytes;
        if (capacity == 0) {
            final long perInterval = fileSize / Math.max(1, settings.indexIntervalBytes());
            final long perBatch = fileSize / HEADER_LENGTH;
            // plus the final entry, and the kept ones in case the interval was smaller when they were written
            final long entries = Math.min(perInterval, perBatch) + 2 + Math.max(offsetEntries, timeEntries);
            capacity = (int) Math.min(Integer.MAX_VALUE, entries * TimeIndexDescriptor.ENTRY_LENGTH);
        }
        offsetIndex = new OffsetIndex(indexFile, baseOffset, capacity, settings.diskSpace());
        timeIndex = new TimeIndex(timeIndexFile, baseOffset, capacity, settings.diskSpace());
    }

    private static void keepEntries(final Path file, final long length) throws IOException {
        if (length == 0) {
            Files.deleteIfExists(file);
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(length);
        }
    }

    /**
     * Where a scan begins and the running state it carries on from.
     *
     * @param previousLast    the last offset of the batches before {@code position}
     * @param firstTimestamp  the first batch's max timestamp, or {@code UNKNOWN} when the scan reads it
     * @param offsetEntries   offset index entries kept, all below {@code position}'s batch or for it
     * @param timeEntries     time index entries kept
     */
    private record ScanStart(long position, long previousLast, long largest, long offsetOfLargest,
                             long firstTimestamp, int offsetEntries, int timeEntries) {
    }

    // ---- reading (a reference held) ---------------------------------------------------------------------------

    /**
     * The position of the first batch whose last offset is at or after {@code offset}, or -1 when no such batch is
     * in the first {@code end} bytes.
     *
     * @param end where the batches visible to the reader end: at most {@link #size()}, on a batch boundary
     */
    long positionOf(final long offset, final int end, final FileBatchReader reader) throws IOException {
        long position = offsetIndex.lookupPosition(offset);
        while (reader.readHeader(channel, position, end)) {
            final BatchHeaderFlyweight header = reader.header();
            final long total = header.totalLength();
            if (total < HEADER_LENGTH) {
                throw new IOException("corrupt batch length " + total + " at position " + position + " of " + logFile);
            }
            if (header.lastOffset() >= offset) {
                return position;
            }
            position += total;
        }
        return -1;
    }

    /**
     * How many bytes of whole batches from {@code start} up to {@code end} fit in {@code maxBytes}; the first batch
     * alone if it is larger and {@code minOneBatch}, else 0.
     *
     * @param end where the batches visible to the reader end: at most {@link #size()}, on a batch boundary
     */
    int sliceLength(final long start, final int end, final int maxBytes, final boolean minOneBatch,
                    final FileBatchReader reader) throws IOException {
        if (end - start <= maxBytes) {
            return (int) (end - start);
        }
        final long limit = start + Math.max(0, maxBytes);
        // the index records batch boundaries: jump to the last one within reach, then scan the few batches after it
        long position = Math.max(start, offsetIndex.lookupPositionAtOrBelow(limit));
        while (reader.readHeader(channel, position, end)) {
            final long total = reader.header().totalLength();
            if (total < HEADER_LENGTH || position + total > limit) {
                break;
            }
            position += total;
        }
        if (position == start && minOneBatch && reader.readHeader(channel, start, end)) {
            position = start + reader.header().totalLength();
        }
        return (int) (position - start);
    }

    /**
     * The first record at or after {@code offset} whose timestamp is at or after {@code timestamp}, or null when
     * this segment has none.
     */
    TimestampOffset findOffsetByTimestamp(final long timestamp, final long offset, final FileBatchReader reader)
            throws IOException {
        final int end = size;
        long position = offsetIndex.lookupPosition(Math.max(timeIndex.lookupOffset(timestamp), offset));
        while (reader.readHeader(channel, position, end)) {
            final BatchHeaderFlyweight header = reader.header();
            final long total = header.totalLength();
            if (total < HEADER_LENGTH) {
                break;
            }
            if (header.maxTimestamp() >= timestamp && header.lastOffset() >= offset) {
                final TimestampOffset found = RecordScanner.firstAtOrAfter(reader, channel, position, timestamp,
                        offset);
                if (found != null) {
                    return found;
                }
            }
            position += total;
        }
        return null;
    }

    /** The record carrying this segment's largest timestamp, or null when no record has a timestamp. */
    TimestampOffset findMaxTimestamp(final FileBatchReader reader) throws IOException {
        final long largest = maxTimestamp;
        if (largest < 0) {
            return null;
        }
        final int end = size;
        long position = offsetIndex.lookupPosition(offsetOfMaxTimestamp);
        while (reader.readHeader(channel, position, end)) {
            final BatchHeaderFlyweight header = reader.header();
            final long total = header.totalLength();
            if (total < HEADER_LENGTH) {
                break;
            }
            if (header.maxTimestamp() == largest) {
                return new TimestampOffset(largest, RecordScanner.offsetOfTimestamp(reader, channel, position,
                        largest));
            }
            position += total;
        }
        return null;
    }

    @Override
    public String toString() {
        return logFile.toString();
    }
}
