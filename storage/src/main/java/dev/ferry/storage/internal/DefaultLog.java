package dev.ferry.storage.internal;

import static dev.ferry.storage.internal.BatchHeaderDescriptor.ATTRIBUTES_OFFSET;
import static dev.ferry.storage.internal.BatchHeaderDescriptor.HEADER_LENGTH;
import static dev.ferry.storage.internal.BatchHeaderDescriptor.MAGIC_V2;
import static dev.ferry.storage.internal.BatchHeaderDescriptor.NO_PRODUCER_ID;
import static dev.ferry.storage.internal.BatchHeaderDescriptor.NO_TIMESTAMP;
import static dev.ferry.storage.internal.BatchHeaderDescriptor.TIMESTAMP_TYPE_MASK;

import dev.ferry.storage.AppendResult;
import dev.ferry.storage.AppendResult.Status;
import dev.ferry.storage.AtomicFiles;
import dev.ferry.storage.FetchSlice;
import dev.ferry.storage.Log;
import dev.ferry.storage.LogClosedException;
import dev.ferry.storage.LogConfig;
import dev.ferry.storage.LogDirectoryFullException;
import dev.ferry.storage.OffsetOutOfRangeException;
import dev.ferry.storage.TimestampOffset;
import dev.ferry.storage.TopicPartition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A partition log on disk (see {@link Log} for the contract): an ordered array of {@link LogSegment}s, the last one
 * active, published copy-on-write so readers never lock.
 *
 * <p>A log found on disk at startup loads lazily, on the first call that needs its data ({@link LogLoader}); until
 * then it holds no file open. Failing disk operations surface as {@link UncheckedIOException}; a log that was
 * closed or deleted throws {@link LogClosedException}.
 *
 * <p>A full disk refuses appends with {@link LogDirectoryFullException} before anything is written: the free space is
 * checked before an append (from a cached answer that is refreshed every few tens of MiB) and always afresh before a
 * roll, and a write that still runs out of room is cut back and reported the same way. Index space is allocated
 * before it is written through its mapping ({@link MappedIndex}), so a full disk never faults the process.
 *
 * <p>The idempotent-producer state is checkpointed in producer snapshots beside the segments
 * ({@link ProducerSnapshots}): when a segment rolls, when the background flusher flushes the log, after retention or
 * DeleteRecords deleted segments, after a load that recovered segments (which also makes the recovered tail durable
 * and only then moves the recovery point past it), and at close. The append path only copies the state
 * ({@link ProducerSnapshotFile}); the background thread flushes the log up to the snapshot's offset and then writes
 * the file, so a snapshot never describes batches that are not on disk. Producers that have not appended for
 * {@code producer.id.expiration.ms} are forgotten when a snapshot is taken and by the storage's periodic expiry pass.
 *
 * <p><b>Thread-safety:</b> safe from any thread. Appends, rolls, retention and log start changes are serialised by
 * one lock per log; reads take no lock and see only batches below the volatile log end offset, which is published
 * after the bytes are written. Flushes are serialised by a second lock, taken after the first when both are held.
 */
public final class DefaultLog implements Log {

    private static final System.Logger LOG = System.getLogger(DefaultLog.class.getName());
    private static final int MAX_READ_ATTEMPTS = 64;
    /**
     * Room kept free beyond an append's own bytes: enough for a roll's new segment (its files and the first chunk of
     * each index), so a roll never starts on a disk that cannot finish it.
     */
    static final long RESERVED_BYTES = 4L * MappedIndex.ALLOCATION_CHUNK_BYTES + 64 * 1024;
    /** The most an append may count on from one free-space check, bounding how stale that check can get. */
    private static final long MAX_HEADROOM_BYTES = 64L * 1024 * 1024;

    private final TopicPartition topicPartition;
    private final Path dir;
    private final LogDirectory directory;
    private final SegmentCache cache;
    private final Executor background;
    private final LogSegment.IndexSettings indexSettings = new LogSegment.IndexSettings() {
        @Override
        public int indexIntervalBytes() {
            return config.indexIntervalBytes();
        }

        @Override
        public int segmentIndexBytes() {
            return config.segmentIndexBytes();
        }

        @Override
        public DiskSpace diskSpace() {
            return diskSpace;
        }
    };
    private final ReentrantLock lock = new ReentrantLock();
    private final Object flushLock = new Object();
    private final ProducerStateTable producers = new ProducerStateTable();
    private final ProducerAppendCheck producerCheck = new ProducerAppendCheck();
    private final ProducerSnapshots snapshots;
    private final long producerIdExpirationMs;
    private final UnsafeBuffer appendView = new UnsafeBuffer(new byte[0]);
    private final BatchHeaderFlyweight appendHeader = new BatchHeaderFlyweight();
    private final CRC32C crc = new CRC32C();

    private volatile LogConfig config;
    private volatile LogSegment[] segments = new LogSegment[0];
    private volatile long logStartOffset;
    private volatile LogEnd end;
    private volatile long recoveryPoint;
    private volatile long lastFlushMs = System.currentTimeMillis();
    private volatile boolean loaded;
    /** What the segment files of a log not loaded yet hold on disk, once read; -1 before. */
    private volatile long unloadedSizeInBytes = -1;
    /** Segments the load validated after an unclean shutdown (or cut after a clean one); for tests. */
    private volatile int recoveredSegments;
    private volatile boolean closed;
    /** False from creation until a flush has made the partition directory's own name durable in the log dir. */
    private volatile boolean directoryEntrySynced = true;
    private volatile DirectorySync directorySync = AtomicFiles::syncDirectory;
    private volatile DiskSpace diskSpace = DiskSpace.SYSTEM;
    /** Bytes appends may still write before the free space is checked again. Under the lock. */
    private long headroom;

    /** Forces a directory's entries to disk. */
    @FunctionalInterface
    interface DirectorySync {
        void sync(Path dir) throws IOException;
    }

    private DefaultLog(final TopicPartition topicPartition, final LogDirectory directory, final SegmentCache cache,
                       final Executor background, final LogConfig config, final long producerIdExpirationMs) {
        this.topicPartition = topicPartition;
        this.dir = directory.partitionDir(topicPartition);
        this.directory = directory;
        this.cache = cache;
        this.background = background;
        this.config = config;
        this.snapshots = new ProducerSnapshots(dir);
        this.producerIdExpirationMs = producerIdExpirationMs;
    }

    /**
     * A log whose directory exists; it loads on first use.
     *
     * @param producerIdExpirationMs how long a producer that stopped appending is remembered
     *                               ({@code producer.id.expiration.ms})
     */
    static DefaultLog onDisk(final TopicPartition partition, final LogDirectory directory, final SegmentCache cache,
                             final Executor background, final LogConfig config, final long producerIdExpirationMs) {
        final DefaultLog log = new DefaultLog(partition, directory, cache, background, config,
                producerIdExpirationMs);
        log.logStartOffset = directory.logStartOffsetAtOpen(partition);
        log.recoveryPoint = directory.recoveryPointAtOpen(partition);
        return log;
    }

    /**
     * A new, empty log: creates its directory; the first segment's files appear on first use. Like the names of
     * those files, the directory's name is made durable by the log's first flush, not here: until then the log
     * holds nothing a crash may not lose, and a sync per creation would cost every new partition a journal commit.
     */
    static DefaultLog create(final TopicPartition partition, final LogDirectory directory, final SegmentCache cache,
                             final Executor background, final LogConfig config, final long producerIdExpirationMs,
                             final long nowMs) throws IOException {
        final DefaultLog log = new DefaultLog(partition, directory, cache, background, config,
                producerIdExpirationMs);
        Files.createDirectories(log.dir);
        log.directoryEntrySynced = false;
        final LogSegment first = log.newSegment(0, nowMs);
        log.segments = new LogSegment[] {first};
        log.end = new LogEnd(0, first, 0);
        log.loaded = true;
        return log;
    }

    @Override
    public TopicPartition topicPartition() {
        return topicPartition;
    }

    @Override
    public LogConfig config() {
        return config;
    }

    @Override
    public void updateConfig(final LogConfig newConfig) {
        config = newConfig;
    }

    @Override
    public long logStartOffset() {
        ensureLoaded();
        return logStartOffset;
    }

    @Override
    public long logEndOffset() {
        ensureLoaded();
        return end.offset();
    }

    /**
     * For a log not loaded yet, what its segment files hold on disk: sizes are asked of every log (metrics, storage
     * quotas), and loading them all would recover every partition of a restarted broker at once, which loading
     * lazily is there to avoid. Nothing changes the files of a log before it loads, so they are read once.
     */
    @Override
    public long sizeInBytes() {
        checkOpen();
        return loaded ? sizeOf(segments) : sizeOnDisk();
    }

    private long sizeOnDisk() {
        long size = unloadedSizeInBytes;
        if (size >= 0) {
            return size;
        }
        size = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                if (SegmentFiles.baseOffset(file.getFileName().toString(), SegmentFiles.LOG_SUFFIX) >= 0) {
                    size += sizeOrZero(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list the segments of " + topicPartition, e);
        }
        unloadedSizeInBytes = size;
        return size;
    }

    /** A file's size, or 0 when a load that started meanwhile has deleted it. */
    private static long sizeOrZero(final Path file) throws IOException {
        try {
            return Files.size(file);
        } catch (NoSuchFileException deleted) {
            return 0;
        }
    }

    @Override
    public boolean isLoaded() {
        return loaded;
    }

    Path directoryPath() {
        return directory.path();
    }

    /** The offset below which every byte is known to be on disk (as last loaded or flushed). */
    long recoveryPoint() {
        return recoveryPoint;
    }

    long logStartOffsetForCheckpoint() {
        return logStartOffset;
    }

    int segmentCount() {
        ensureLoaded();
        return segments.length;
    }

    /** How many segments loading this log had to validate and re-index: its unflushed tail after a crash. */
    int recoveredSegmentCount() {
        ensureLoaded();
        return recoveredSegments;
    }

    // ---- append ---------------------------------------------------------------------------------------------

    @Override
    public AppendResult append(final ByteBuffer batches, final long nowMs) {
        ensureLoaded();
        if (batches.isReadOnly()) {
            throw new IllegalArgumentException("batches must be writable: their headers are rewritten in place");
        }
        lock.lock();
        try {
            checkOpen();
            return appendLocked(batches, nowMs);
        } catch (IOException e) {
            headroom = 0;
            if (isOutOfSpace(batches.remaining())) {
                throw new LogDirectoryFullException("no room in " + directory.path() + " to append to "
                        + topicPartition, e);
            }
            throw new UncheckedIOException("append to " + topicPartition + " failed", e);
        } finally {
            lock.unlock();
        }
    }

    /** Replaces how free space is measured and index space allocated; for tests that simulate a full disk. */
    void diskSpace(final DiskSpace space) {
        lock.lock();
        try {
            diskSpace = space;
            headroom = 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Refuses an append that the file system has no room for, before anything is written or rolled. The free
     * space is asked for only once the headroom from the last answer is used up, so most appends cost nothing;
     * another log filling the disk meanwhile is caught by the write itself failing. Under the lock.
     */
    private void ensureRoom(final int appendBytes) throws IOException {
        if (headroom < appendBytes) {
            final long usable = diskSpace.usableBytes(dir);
            headroom = Math.min(MAX_HEADROOM_BYTES, usable - RESERVED_BYTES);
            if (headroom < appendBytes) {
                headroom = 0;
                throw new LogDirectoryFullException("no room in " + directory.path() + " to append "
                        + appendBytes + " bytes to " + topicPartition + ": " + usable + " bytes usable",
                        new IOException("No space left on device"));
            }
        }
        headroom -= appendBytes;
    }

    /** Asks for the free space afresh before a roll: a new segment on a full disk would be born broken. */
    private void ensureRoomToRoll(final int appendBytes) throws IOException {
        final long usable = diskSpace.usableBytes(dir);
        if (usable < appendBytes + RESERVED_BYTES) {
            headroom = 0;
            throw new LogDirectoryFullException("no room in " + directory.path() + " to roll a new segment of "
                    + topicPartition + ": " + usable + " bytes usable", new IOException("No space left on device"));
        }
    }

    /** Whether a failed write is explained by the file system being (nearly) full. */
    private boolean isOutOfSpace(final int appendBytes) {
        try {
            return diskSpace.usableBytes(dir) < appendBytes + RESERVED_BYTES;
        } catch (IOException | RuntimeException unknown) {
            return false;
        }
    }

    private AppendResult appendLocked(final ByteBuffer batches, final long nowMs) throws IOException {
        final LogConfig current = config;
        final boolean stamp = current.logAppendTime();
        final int start = batches.position();
        final int limit = batches.limit();
        if (start == limit) {
            throw new IllegalArgumentException("no record batches to append to " + topicPartition);
        }
        appendView.wrap(batches);
        final BatchHeaderFlyweight header = appendHeader;
        final long firstOffset = end.offset();
        long nextOffset = firstOffset;
        long largestTimestamp = NO_TIMESTAMP;
        long offsetOfLargestTimestamp = -1;
        long firstBatchMaxTimestamp = NO_TIMESTAMP;
        producerCheck.reset();

        int position = start;
        while (position < limit) {
            if (limit - position < HEADER_LENGTH) {
                throw malformed(position, "only " + (limit - position) + " bytes left for a batch header");
            }
            header.wrap(appendView, position);
            final long total = header.totalLength();
            if (header.magic() != MAGIC_V2) {
                throw malformed(position, "magic " + header.magic() + ", only v2 batches are stored");
            }
            if (total < HEADER_LENGTH || position + total > limit) {
                throw malformed(position, "batch length " + header.length() + " does not fit the buffer");
            }
            if (header.lastOffsetDelta() < 0) {
                throw malformed(position, "negative last offset delta " + header.lastOffsetDelta());
            }
            final long batchLastOffset = nextOffset + header.lastOffsetDelta();
            final long batchMaxTimestamp = stamp ? nowMs : header.maxTimestamp();
            if (position == start) {
                firstBatchMaxTimestamp = batchMaxTimestamp;
            }
            final long producerId = header.producerId();
            if (producerId != NO_PRODUCER_ID && !header.isControl()) {
                final Status status = producerCheck.check(producers, producerId, header.producerEpoch(),
                        header.baseSequence(), header.lastSequence(), nextOffset, batchLastOffset, batchMaxTimestamp);
                if (status == Status.DUPLICATE) {
                    return new AppendResult(Status.DUPLICATE, producerCheck.duplicateFirstOffset(),
                            producerCheck.duplicateLastOffset(), producerCheck.duplicateTimestamp(), logStartOffset);
                }
                if (status != Status.OK) {
                    return AppendResult.failed(status, logStartOffset);
                }
            }
            if (batchMaxTimestamp > largestTimestamp) {
                largestTimestamp = batchMaxTimestamp;
                offsetOfLargestTimestamp = batchLastOffset;
            }
            nextOffset = batchLastOffset + 1;
            position += (int) total;
        }

        final long lastOffset = nextOffset - 1;
        ensureRoom(limit - start);
        final LogSegment active = activeSegmentFor(limit - start, largestTimestamp, lastOffset, nowMs, current);
        try {
            assignOffsets(batches, start, limit, firstOffset, stamp, nowMs);
            active.append(batches, firstBatchMaxTimestamp, lastOffset, largestTimestamp, offsetOfLargestTimestamp);
        } finally {
            active.release();
        }
        // one publication of the offset and the bytes behind it, so a reader never sees one without the other
        end = new LogEnd(nextOffset, active, active.size());
        producerCheck.commit(producers, nowMs);
        if (nextOffset - recoveryPoint >= current.flushMessages()) {
            flushUpTo(nextOffset);
        }
        return new AppendResult(Status.OK, firstOffset, lastOffset, stamp ? nowMs : NO_TIMESTAMP, logStartOffset);
    }

    private IllegalArgumentException malformed(final int position, final String problem) {
        return new IllegalArgumentException("malformed record batch at buffer position " + position + " for "
                + topicPartition + ": " + problem);
    }

    /** Writes offsets, the leader epoch and, under LogAppendTime, the timestamp (and so the CRC) into each header. */
    private void assignOffsets(final ByteBuffer batches, final int start, final int limit, final long firstOffset,
                               final boolean stamp, final long nowMs) {
        final BatchHeaderFlyweight header = appendHeader;
        long offset = firstOffset;
        int position = start;
        while (position < limit) {
            header.wrap(appendView, position);
            final int total = (int) header.totalLength();
            header.baseOffset(offset);
            header.partitionLeaderEpoch(latestEpoch());
            if (stamp) {
                header.attributes((short) (header.attributes() | TIMESTAMP_TYPE_MASK));
                header.maxTimestamp(nowMs);
                header.crc(crcOf(batches, position, total));
            }
            offset += header.lastOffsetDelta() + 1L;
            position += total;
        }
    }

    /** CRC-32C of a batch from its attributes to its end, computed over the buffer in place. */
    private int crcOf(final ByteBuffer batches, final int position, final int total) {
        final int savedPosition = batches.position();
        final int savedLimit = batches.limit();
        try {
            batches.limit(position + total);
            batches.position(position + ATTRIBUTES_OFFSET);
            crc.reset();
            crc.update(batches);
            return (int) crc.getValue();
        } finally {
            batches.limit(savedLimit);
            batches.position(savedPosition);
        }
    }

    /** The active segment, rolled first if this append must not go into it; returned with a reference held. */
    private LogSegment activeSegmentFor(final int appendBytes, final long largestTimestamp, final long lastOffset,
                                        final long nowMs, final LogConfig current) throws IOException {
        LogSegment active = activeSegment();
        acquire(active);
        final boolean roll;
        try {
            roll = shouldRoll(active, appendBytes, largestTimestamp, lastOffset, nowMs, current);
        } catch (IOException | RuntimeException e) {
            active.release();
            throw e;
        }
        if (!roll) {
            return active;
        }
        active.release();
        ensureRoomToRoll(appendBytes);
        active = roll(nowMs);
        acquire(active);
        return active;
    }

    private static boolean shouldRoll(final LogSegment active, final int appendBytes, final long largestTimestamp,
                                      final long lastOffset, final long nowMs, final LogConfig current)
            throws IOException {
        final int size = active.size();
        if (size == 0) {
            // an empty segment takes any append, even one larger than segment.bytes
            return false;
        }
        if (size + (long) appendBytes > Math.min(current.segmentBytes(), Integer.MAX_VALUE)) {
            return true;
        }
        final long firstTimestamp = active.firstBatchTimestamp();
        // Kafka measures segment age by record time when the segment's first batch has one
        final long age = firstTimestamp >= 0 ? largestTimestamp - firstTimestamp : nowMs - active.createdMs();
        return age > current.segmentMs() || active.indexesFull()
                || lastOffset - active.baseOffset() > Integer.MAX_VALUE;
    }

    /** Starts a new active segment at the log end offset; the old one is flushed in the background. */
    private LogSegment roll(final long nowMs) throws IOException {
        final LogSegment old = activeSegment();
        acquire(old);
        try {
            old.onBecomeInactive();
        } finally {
            old.release();
        }
        final long base = end.offset();
        LOG.log(System.Logger.Level.DEBUG, () -> "Rolling " + topicPartition + " to a new segment at offset " + base);
        final LogSegment next = newSegment(base, nowMs);
        // create the file now: after a crash, its name is what tells recovery where the offsets continue
        acquire(next);
        next.release();
        final LogSegment[] current = segments;
        final LogSegment[] rolled = Arrays.copyOf(current, current.length + 1);
        rolled[current.length] = next;
        segments = rolled;
        final PendingSnapshot snapshot = captureProducerState(nowMs);
        try {
            background.execute(() -> writeProducerSnapshot(snapshot, true));
        } catch (RejectedExecutionException shuttingDown) {
            // closing flushes everything and takes a snapshot anyway
        }
        return next;
    }

    private LogSegment newSegment(final long baseOffset, final long nowMs) throws IOException {
        // a crash may have left files of a segment that recovery then cut away
        Files.deleteIfExists(SegmentFiles.logFile(dir, baseOffset));
        Files.deleteIfExists(SegmentFiles.indexFile(dir, baseOffset));
        Files.deleteIfExists(SegmentFiles.timeIndexFile(dir, baseOffset));
        return new LogSegment(dir, baseOffset, 0, baseOffset, config.segmentIndexBytes(), nowMs, cache,
                indexSettings);
    }

    private LogSegment activeSegment() {
        final LogSegment[] current = segments;
        return current[current.length - 1];
    }

    private void acquire(final LogSegment segment) throws IOException {
        if (!segment.acquire()) {
            throw new IOException("segment " + segment + " of " + topicPartition + " is gone");
        }
    }

    // ---- read -----------------------------------------------------------------------------------------------

    @Override
    public FetchSlice read(final long fetchOffset, final int maxBytes, final boolean minOneBatch) {
        ensureLoaded();
        final FileBatchReader reader = FileBatchReader.forThread();
        for (int attempt = 0; attempt < MAX_READ_ATTEMPTS; attempt++) {
            checkOpen();
            final LogEnd visible = end;
            final long start = logStartOffset;
            if (fetchOffset < start || fetchOffset > visible.offset()) {
                throw new OffsetOutOfRangeException("offset " + fetchOffset + " is outside [" + start + ", "
                        + visible.offset() + "] of " + topicPartition);
            }
            if (fetchOffset == visible.offset()) {
                return EmptyFetchSlice.INSTANCE;
            }
            final LogSegment[] current = segments;
            int index = floorSegment(current, fetchOffset);
            if (index < 0) {
                continue;
            }
            boolean segmentGone = false;
            for (; index < current.length && !segmentGone; index++) {
                final LogSegment segment = current[index];
                if (!segment.acquire()) {
                    // retention removed it after we looked: look again at the log start
                    segmentGone = true;
                    continue;
                }
                boolean handedOver = false;
                try {
                    final int committed = visible.committedBytes(segment);
                    final long position = segment.positionOf(fetchOffset, committed, reader);
                    if (position >= 0) {
                        final int length = segment.sliceLength(position, committed, maxBytes, minOneBatch, reader);
                        if (length == 0) {
                            return EmptyFetchSlice.INSTANCE;
                        }
                        handedOver = true;
                        return new SegmentSlice(segment, position, length);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("read of " + topicPartition + " at " + fetchOffset + " failed", e);
                } finally {
                    if (!handedOver) {
                        segment.release();
                    }
                }
            }
            if (!segmentGone) {
                return EmptyFetchSlice.INSTANCE;
            }
        }
        throw new IllegalStateException("segments of " + topicPartition + " kept changing under a read");
    }

    private static int floorSegment(final LogSegment[] current, final long offset) {
        int low = 0;
        int high = current.length - 1;
        int found = -1;
        while (low <= high) {
            final int middle = (low + high) >>> 1;
            if (current[middle].baseOffset() <= offset) {
                found = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return found;
    }

    @Override
    public TimestampOffset offsetForTimestamp(final long timestampMs) {
        ensureLoaded();
        final FileBatchReader reader = FileBatchReader.forThread();
        for (int attempt = 0; attempt < MAX_READ_ATTEMPTS; attempt++) {
            checkOpen();
            final long start = logStartOffset;
            final LogSegment[] current = segments;
            LogSegment target = null;
            for (LogSegment segment : current) {
                if (segment.largestTimestampForRetention() >= timestampMs) {
                    target = segment;
                    break;
                }
            }
            if (target == null) {
                return null;
            }
            if (!target.acquire()) {
                continue;
            }
            try {
                return target.findOffsetByTimestamp(timestampMs, start, reader);
            } catch (IOException e) {
                throw new UncheckedIOException("timestamp search in " + topicPartition + " failed", e);
            } finally {
                target.release();
            }
        }
        throw new IllegalStateException("segments of " + topicPartition + " kept changing under a search");
    }

    @Override
    public TimestampOffset maxTimestamp() {
        ensureLoaded();
        final FileBatchReader reader = FileBatchReader.forThread();
        for (int attempt = 0; attempt < MAX_READ_ATTEMPTS; attempt++) {
            checkOpen();
            LogSegment latest = null;
            for (LogSegment segment : segments) {
                if (latest == null || segment.maxTimestamp() > latest.maxTimestamp()) {
                    latest = segment;
                }
            }
            if (latest == null || latest.maxTimestamp() < 0) {
                return null;
            }
            if (!latest.acquire()) {
                continue;
            }
            try {
                return latest.findMaxTimestamp(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("max timestamp search in " + topicPartition + " failed", e);
            } finally {
                latest.release();
            }
        }
        throw new IllegalStateException("segments of " + topicPartition + " kept changing under a search");
    }

    // ---- log start, retention ---------------------------------------------------------------------------------

    @Override
    public long deleteRecordsBefore(final long offset) {
        ensureLoaded();
        lock.lock();
        try {
            checkOpen();
            final long endOffset = end.offset();
            if (offset < 0 || offset > endOffset) {
                throw new OffsetOutOfRangeException("cannot delete records before " + offset + ": outside [0, "
                        + endOffset + "] of " + topicPartition);
            }
            if (offset > logStartOffset) {
                logStartOffset = offset;
                deleteSegmentsBelowLogStart();
                directory.checkpointLogStartOffsets();
            }
            return logStartOffset;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the new log start offset of " + topicPartition, e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Deletes whole segments as Kafka's retention does: those whose newest record is older than retention.ms, then
     * the oldest while the log exceeds retention.bytes, then those wholly below the log start offset. Deletion
     * stops at the first segment to keep. When every segment goes, a new active segment is rolled first.
     *
     * @return true when segments were deleted (and the log start offset may have moved)
     */
    boolean enforceRetention(final long nowMs) {
        if (closed) {
            return false;
        }
        ensureLoaded();
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            final LogConfig current = config;
            int deleted = 0;
            if (current.retentionMs() >= 0) {
                deleted += deletePrefix(expiredPrefix(nowMs, current.retentionMs()), nowMs);
            }
            if (current.retentionBytes() >= 0) {
                deleted += deletePrefix(oversizePrefix(current.retentionBytes()), nowMs);
            }
            deleted += deleteSegmentsBelowLogStart();
            return deleted > 0;
        } catch (IOException e) {
            throw new UncheckedIOException("retention of " + topicPartition + " failed", e);
        } finally {
            lock.unlock();
        }
    }

    private int expiredPrefix(final long nowMs, final long retentionMs) {
        final LogSegment[] current = segments;
        int count = 0;
        while (count < current.length && deletable(current, count)
                && nowMs - current[count].largestTimestampForRetention() > retentionMs) {
            count++;
        }
        return count;
    }

    private int oversizePrefix(final long retentionBytes) {
        final LogSegment[] current = segments;
        long excess = sizeOf(current) - retentionBytes;
        int count = 0;
        while (count < current.length && deletable(current, count) && excess - current[count].size() >= 0) {
            excess -= current[count].size();
            count++;
        }
        return count;
    }

    private static boolean deletable(final LogSegment[] current, final int index) {
        // an empty active segment is never deleted: it would only be rolled into another empty one
        return index < current.length - 1 || current[index].size() > 0;
    }

    private int deleteSegmentsBelowLogStart() throws IOException {
        final LogSegment[] current = segments;
        int count = 0;
        while (count < current.length - 1 && current[count + 1].baseOffset() <= logStartOffset) {
            count++;
        }
        return deletePrefix(count, System.currentTimeMillis());
    }

    private int deletePrefix(final int count, final long nowMs) throws IOException {
        if (count == 0) {
            return 0;
        }
        if (count == segments.length) {
            roll(nowMs);
        }
        final LogSegment[] current = segments;
        final LogSegment[] remaining = Arrays.copyOfRange(current, count, current.length);
        segments = remaining;
        if (remaining[0].baseOffset() > logStartOffset) {
            logStartOffset = remaining[0].baseOffset();
        }
        for (int i = 0; i < count; i++) {
            final LogSegment deleted = current[i];
            LOG.log(System.Logger.Level.DEBUG, () -> "Deleting segment " + deleted + "; log start offset of "
                    + topicPartition + " is now " + logStartOffset);
            current[i].delete();
        }
        // the state of producers whose batches went must outlive the snapshots that held it
        final long firstBase = remaining[0].baseOffset();
        final PendingSnapshot snapshot = captureProducerState(nowMs);
        try {
            background.execute(() -> {
                deleteProducerSnapshotsBelow(firstBase);
                writeProducerSnapshot(snapshot, true);
            });
        } catch (RejectedExecutionException shuttingDown) {
            // closing takes a snapshot anyway; the next load deletes those below the first segment
        }
        return count;
    }

    // ---- producer state ---------------------------------------------------------------------------------------

    /**
     * Forgets the producers that have not appended for {@code producer.id.expiration.ms}; what the storage's
     * periodic expiry pass does. A log not loaded yet is left alone: loading expires its producers.
     *
     * @return how many producers were forgotten
     */
    int expireProducers(final long nowMs) {
        if (!loaded || closed) {
            return 0;
        }
        lock.lock();
        try {
            return closed ? 0 : producers.removeExpired(nowMs, producerIdExpirationMs);
        } finally {
            lock.unlock();
        }
    }

    /** Copies of what the log remembers of each producer, in no particular order; for tests. */
    List<ProducerEntry> producerEntries() {
        ensureLoaded();
        lock.lock();
        try {
            final List<ProducerEntry> copies = new ArrayList<>(producers.size());
            for (ProducerEntry entry : producers.entries()) {
                final ProducerEntry copy = new ProducerEntry(entry.producerId());
                copy.copyFrom(entry);
                copies.add(copy);
            }
            return copies;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Expires producers and copies the producer state as of the log end: the only part of a snapshot done under
     * the append lock, which the caller holds.
     */
    private PendingSnapshot captureProducerState(final long nowMs) {
        producers.removeExpired(nowMs, producerIdExpirationMs);
        final long offset = end.offset();
        try {
            return new PendingSnapshot(offset, ProducerSnapshotFile.encode(producers, offset));
        } catch (IllegalStateException tooLarge) {
            LOG.log(System.Logger.Level.WARNING, "cannot snapshot the producer state of " + topicPartition, tooLarge);
            return new PendingSnapshot(offset, null);
        }
    }

    /**
     * Flushes the log up to the snapshot's offset, then writes the snapshot, so that no snapshot describes batches
     * a crash of the machine could lose. Runs on the background thread, or while closing (not {@code durable}: see
     * {@link ProducerSnapshots}). A failure costs only a longer replay at the next load, so it is logged, not
     * thrown.
     */
    private void writeProducerSnapshot(final PendingSnapshot snapshot, final boolean durable) {
        try {
            flushUpTo(snapshot.offset());
            // a log closed or deleted meanwhile was not flushed: the snapshot could be ahead of the disk
            if (snapshot.content() != null && recoveryPoint >= snapshot.offset()) {
                snapshots.write(snapshot.offset(), snapshot.content(), durable);
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                LOG.log(System.Logger.Level.WARNING, "background flush or producer snapshot of " + topicPartition
                        + " at offset " + snapshot.offset() + " failed", e);
            }
        }
    }

    private void deleteProducerSnapshotsBelow(final long offset) {
        try {
            snapshots.deleteBelow(offset);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot delete producer snapshots of deleted segments of "
                    + topicPartition, e);
        }
    }

    /** The producer state as of {@code offset}, encoded; {@code content} is null when it could not be encoded. */
    private record PendingSnapshot(long offset, byte[] content) {
    }

    // ---- durability -----------------------------------------------------------------------------------------

    @Override
    public void flush() {
        ensureLoaded();
        flushUpTo(end.offset());
    }

    /**
     * Flushes if {@link LogConfig#flushMs()} has passed since the last flush and something is unflushed, and then
     * snapshots the producer state as of the flushed offset.
     */
    void flushIfDue(final long nowMs) {
        if (!loaded || closed) {
            return;
        }
        if (end.offset() > recoveryPoint && nowMs - lastFlushMs >= config.flushMs()) {
            final PendingSnapshot snapshot;
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                snapshot = captureProducerState(nowMs);
            } finally {
                lock.unlock();
            }
            writeProducerSnapshot(snapshot, true);
        }
    }

    /**
     * Forces every segment holding offsets in {@code [recoveryPoint, upTo)} to disk, and the partition directory too
     * when one of them was created since the last flush (then the log directory as well, the first time, for the
     * partition directory's own name), then moves the recovery point.
     */
    private void flushUpTo(final long upTo) {
        synchronized (flushLock) {
            final long from = recoveryPoint;
            if (upTo <= from || closed) {
                return;
            }
            final LogSegment[] current = segments;
            boolean newSegmentFlushed = false;
            for (int i = 0; i < current.length; i++) {
                final long segmentEnd = i + 1 < current.length ? current[i + 1].baseOffset() : Long.MAX_VALUE;
                final LogSegment segment = current[i];
                if (segmentEnd <= from || segment.baseOffset() >= upTo || !segment.acquire()) {
                    continue;
                }
                try {
                    segment.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException("flush of " + topicPartition + " failed", e);
                } finally {
                    segment.release();
                }
                newSegmentFlushed |= segment.baseOffset() >= from;
            }
            if (newSegmentFlushed) {
                syncDirectory(dir);
            }
            if (!directoryEntrySynced) {
                syncDirectory(directory.path());
                directoryEntrySynced = true;
            }
            recoveryPoint = upTo;
            lastFlushMs = System.currentTimeMillis();
        }
    }

    /**
     * Makes the names of new files (or of the new partition directory) in {@code path} durable: without it, forced
     * file contents can vanish with the entry.
     */
    private void syncDirectory(final Path path) {
        try {
            directorySync.sync(path);
        } catch (NoSuchFileException e) {
            if (!path.equals(dir)) {
                throw new UncheckedIOException("flush of directory " + path + " for " + topicPartition + " failed", e);
            }
            // deletion renamed the partition directory away; nothing in it needs to survive
        } catch (IOException e) {
            throw new UncheckedIOException("flush of directory " + path + " for " + topicPartition + " failed", e);
        }
    }

    /** Replaces how the partition and log directories are synced, so that tests can observe or fail it. */
    void directorySync(final DirectorySync sync) {
        directorySync = sync;
    }

    // ---- lifecycle ------------------------------------------------------------------------------------------

    private void ensureLoaded() {
        checkOpen();
        if (loaded) {
            return;
        }
        lock.lock();
        try {
            checkOpen();
            if (!loaded) {
                final LogLoader loader = new LogLoader(topicPartition, dir, directory.cleanShutdown(), recoveryPoint,
                        logStartOffset, config.segmentIndexBytes(), cache, indexSettings, producers, snapshots,
                        producerIdExpirationMs);
                final long nowMs = System.currentTimeMillis();
                final LogLoader.Loaded state = loader.load(nowMs);
                segments = state.segments();
                logStartOffset = state.logStartOffset();
                final LogSegment active = state.segments()[state.segments().length - 1];
                end = new LogEnd(state.logEndOffset(), active, active.size());
                recoveryPoint = state.recoveryPoint();
                recoveredSegments = state.recoveredSegments();
                loaded = true;
                if (state.recoveredSegments() > 0) {
                    flushRecoveredTail(nowMs);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load log " + topicPartition + " from " + dir, e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Has the background thread force the tail recovery just validated to disk and snapshot the producer state as of
     * the log end, which moves the recovery point there; the first request does not wait for the disk. Under the
     * lock, right after loading.
     */
    private void flushRecoveredTail(final long nowMs) {
        final PendingSnapshot snapshot = captureProducerState(nowMs);
        try {
            background.execute(() -> writeProducerSnapshot(snapshot, true));
        } catch (RejectedExecutionException shuttingDown) {
            // closing flushes everything anyway
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new LogClosedException("log " + topicPartition + " is closed or deleted");
        }
    }

    /**
     * Flushes, snapshots the producer state unless the newest snapshot is already as of the log end, and closes
     * every file; an open slice keeps its segment readable until it is closed. The files close even when the flush
     * fails.
     *
     * @return false when the final flush failed, so the log's directory must not be marked cleanly shut down
     */
    boolean close() {
        lock.lock();
        try {
            if (closed) {
                return true;
            }
            boolean flushed = true;
            try {
                if (loaded) {
                    flushUpTo(end.offset());
                    if (snapshots.latestOffset() != end.offset()) {
                        writeProducerSnapshot(captureProducerState(System.currentTimeMillis()), false);
                    }
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "final flush of " + topicPartition + " failed", e);
                flushed = false;
            } finally {
                closed = true;
                snapshots.close();
                for (LogSegment segment : segments) {
                    segment.retire(false);
                }
            }
            return flushed;
        } finally {
            lock.unlock();
        }
    }

    /** Closes every file without flushing or tidying indexes, leaving the files as a crashed process would. */
    void halt() {
        lock.lock();
        try {
            closed = true;
            snapshots.close();
            for (LogSegment segment : segments) {
                segment.retire(true);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Closes the log and deletes its segments; open slices keep reading the unlinked files until closed. */
    void delete() throws IOException {
        lock.lock();
        try {
            closed = true;
            // waits out a snapshot being written, which could otherwise land in a new log of the same name
            snapshots.close();
            for (LogSegment segment : segments) {
                segment.delete();
            }
            directory.deletePartitionDir(topicPartition);
        } finally {
            lock.unlock();
        }
    }

    private static long sizeOf(final LogSegment[] current) {
        long size = 0;
        for (LogSegment segment : current) {
            size += segment.size();
        }
        return size;
    }

    @Override
    public String toString() {
        return "DefaultLog(" + topicPartition + ")";
    }

    /**
     * The log end offset together with the active segment and its size when that offset was published. A segment's
     * size moves before the log end does, so a reader bounding the active segment by its live size could serve a
     * batch above the log end (the high watermark) it reports; bounding it by this position cannot.
     */
    private record LogEnd(long offset, LogSegment active, int activeBytes) {

        /** The bytes of {@code segment} that hold offsets below {@link #offset()}. */
        int committedBytes(final LogSegment segment) {
            if (segment == active) {
                return activeBytes;
            }
            // a segment rolled after the publication holds nothing below the log end; older ones no longer change
            return segment.baseOffset() >= offset ? 0 : segment.size();
        }
    }
}
