package dev.ferry.storage.internal;

import dev.ferry.storage.AtomicFiles;
import dev.ferry.storage.TimestampOffset;
import dev.ferry.storage.TopicPartition;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Brings a partition directory back into service: finds its segments, recovers what a crash may have torn, and
 * rebuilds the producer state.
 *
 * <ul>
 * <li>After an unclean shutdown every segment from the one holding the recovery point onwards is recovered: each
 *     batch is checked (length, magic 2, increasing offsets, and the CRC-32C of batches past the recovery point),
 *     the indexes are rebuilt rather than trusted, and the file is cut after the last whole valid batch; the
 *     segment holding the recovery point is checked only from its last offset index entry below it, since what
 *     precedes was flushed with its index entries before the recovery point moved; the
 *     segments after a cut one are deleted, as Kafka does. Nothing is forced to disk while loading: the recovery
 *     point stays where it was until the caller has flushed the recovered tail, off the path of the first request.
 *     </li>
 * <li>After a clean shutdown only the batches after the active segment's last index entry are checked, which still
 *     catches a file cut or extended while the broker was down.</li>
 * <li>Indexes of older segments are checked when each segment first opens, and rebuilt if inconsistent.</li>
 * <li>Producer state is loaded from the newest valid producer snapshot at or below the recovery point once the log
 *     is recovered, which is the log end (after a clean shutdown everything was flushed; after a crash everything
 *     below it has just been validated), and then brought up to date from the headers of the batches after the
 *     snapshot's offset; no record is decoded. Snapshots past the log
 *     end (their batches were cut away) or below the first segment (their segments were deleted) are deleted, and
 *     so is a damaged one, after which the next older one is tried. Without a usable snapshot the state is rebuilt
 *     from the batch headers of the last two segments, as Kafka does. Producers are then expired as of now; those
 *     rebuilt from batches count as having appended at load time, since the log holds no append times.</li>
 * </ul>
 *
 * <p><b>Not thread-safe:</b> used once, under the log's lock, before the log serves anything.
 */
final class LogLoader {

    /**
     * What a loaded log starts from.
     *
     * @param recoveryPoint      the offset below which everything is known to be on disk; below the log end when
     *                           segments were recovered, which the caller then flushes
     * @param recoveredSegments  how many segments were validated and had their indexes rebuilt because of an unclean
     *                           shutdown, or were cut after a clean one
     */
    record Loaded(LogSegment[] segments, long logStartOffset, long logEndOffset, long recoveryPoint,
                  int recoveredSegments) {
    }

    private static final System.Logger LOG = System.getLogger(LogLoader.class.getName());
    private static final int PRODUCER_STATE_SEGMENTS = 2;

    private final TopicPartition partition;
    private final Path dir;
    private final boolean cleanShutdown;
    private final long recoveryPointCheckpoint;
    private final long logStartOffsetCheckpoint;
    private final int activeIndexBytes;
    private final SegmentCache cache;
    private final LogSegment.IndexSettings settings;
    private final ProducerStateTable producers;
    private final ProducerSnapshots snapshots;
    private final long producerIdExpirationMs;

    LogLoader(final TopicPartition partition, final Path dir, final boolean cleanShutdown,
              final long recoveryPointCheckpoint, final long logStartOffsetCheckpoint, final int activeIndexBytes,
              final SegmentCache cache, final LogSegment.IndexSettings settings, final ProducerStateTable producers,
              final ProducerSnapshots snapshots, final long producerIdExpirationMs) {
        this.partition = partition;
        this.dir = dir;
        this.cleanShutdown = cleanShutdown;
        this.recoveryPointCheckpoint = recoveryPointCheckpoint;
        this.logStartOffsetCheckpoint = logStartOffsetCheckpoint;
        this.activeIndexBytes = activeIndexBytes;
        this.cache = cache;
        this.settings = settings;
        this.producers = producers;
        this.snapshots = snapshots;
        this.producerIdExpirationMs = producerIdExpirationMs;
    }

    Loaded load(final long nowMs) throws IOException {
        final List<Long> baseOffsets = findSegments();
        if (baseOffsets.isEmpty()) {
            // without a segment no snapshot describes anything the log holds
            snapshots.deleteAbove(-1);
            final long base = Math.max(0, logStartOffsetCheckpoint);
            final LogSegment only = new LogSegment(dir, base, 0, base, activeIndexBytes, nowMs, cache, settings);
            return new Loaded(new LogSegment[] {only}, base, base, base, 0);
        }
        final List<LogSegment> segments = new ArrayList<>();
        for (int i = 0; i < baseOffsets.size(); i++) {
            final long base = baseOffsets.get(i);
            final boolean last = i == baseOffsets.size() - 1;
            final long length = Files.size(SegmentFiles.logFile(dir, base));
            if (length > Integer.MAX_VALUE) {
                throw new IOException("segment " + SegmentFiles.logFile(dir, base) + " is larger than 2 GiB");
            }
            segments.add(new LogSegment(dir, base, (int) length, last ? Long.MAX_VALUE : baseOffsets.get(i + 1),
                    last ? activeIndexBytes : 0, nowMs, cache, settings));
        }

        final Set<LogSegment> recovered = cleanShutdown ? validateActiveTail(segments) : recover(segments);
        loadLargestTimestamps(segments, recovered);

        final LogSegment active = segments.get(segments.size() - 1);
        final long logEndOffset = active.nextOffset();
        final long logStartOffset = Math.min(logEndOffset,
                Math.max(logStartOffsetCheckpoint, segments.get(0).baseOffset()));
        loadProducerState(segments, logEndOffset, nowMs);

        // not flushed here: the recovered tail is forced by the log's background thread once it serves, and the
        // recovery point moves only then, so a crash before that recovers the same tail again
        final long recoveryPoint = Math.min(recoveryPointCheckpoint, logEndOffset);
        return new Loaded(segments.toArray(new LogSegment[0]), logStartOffset, logEndOffset, recoveryPoint,
                recovered.size());
    }

    private List<Long> findSegments() throws IOException {
        final List<Long> logs = new ArrayList<>();
        final List<Path> indexes = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                final String name = file.getFileName().toString();
                if (name.endsWith(AtomicFiles.TEMP_SUFFIX)) {
                    Files.deleteIfExists(file);
                    continue;
                }
                final long base = SegmentFiles.baseOffset(name, SegmentFiles.LOG_SUFFIX);
                final long snapshot = ProducerSnapshotFile.offsetOf(name);
                if (base >= 0) {
                    logs.add(base);
                } else if (snapshot >= 0) {
                    snapshots.found(snapshot);
                } else if (name.endsWith(SegmentFiles.INDEX_SUFFIX) || name.endsWith(SegmentFiles.TIME_INDEX_SUFFIX)) {
                    indexes.add(file);
                }
            }
        }
        final Set<Long> known = new HashSet<>(logs);
        for (Path index : indexes) {
            final String name = index.getFileName().toString();
            final long base = Math.max(SegmentFiles.baseOffset(name, SegmentFiles.INDEX_SUFFIX),
                    SegmentFiles.baseOffset(name, SegmentFiles.TIME_INDEX_SUFFIX));
            if (!known.contains(base)) {
                LOG.log(System.Logger.Level.INFO, "deleting index without a segment: " + index);
                Files.deleteIfExists(index);
            }
        }
        Collections.sort(logs);
        return logs;
    }

    private Set<LogSegment> recover(final List<LogSegment> segments) throws IOException {
        final long startNs = System.nanoTime();
        final Set<LogSegment> recovered = new HashSet<>();
        long bytesChecked = 0;
        int from = 0;
        for (int i = 0; i < segments.size(); i++) {
            if (segments.get(i).baseOffset() <= recoveryPointCheckpoint) {
                from = i;
            }
        }
        for (int i = from; i < segments.size(); i++) {
            final LogSegment segment = segments.get(i);
            segment.skipIndexCheck();
            final long sizeBefore = segment.size();
            final long truncated = withReference(segment, s -> s.recover(recoveryPointCheckpoint));
            // the flushed prefix of the segment holding the recovery point is trusted, not read
            bytesChecked += sizeBefore - segment.recoveryStartPosition();
            recovered.add(segment);
            if (truncated > 0 && i < segments.size() - 1) {
                dropSegmentsAfter(segments, i);
                break;
            }
        }
        LOG.log(System.Logger.Level.INFO, "recovered " + partition + " after an unclean shutdown from offset "
                + recoveryPointCheckpoint + ": " + recovered.size() + " segment(s), " + bytesChecked
                + " bytes checked in " + (System.nanoTime() - startNs) / 1_000_000 + " ms");
        return recovered;
    }

    private Set<LogSegment> validateActiveTail(final List<LogSegment> segments) throws IOException {
        final LogSegment active = segments.get(segments.size() - 1);
        final long truncated = withReference(active, LogSegment::validateTail);
        return truncated > 0 ? Set.of(active) : Set.of();
    }

    /** Everything after a torn batch is suspect: the later segments go and the cut one becomes active again. */
    private void dropSegmentsAfter(final List<LogSegment> segments, final int index) {
        while (segments.size() > index + 1) {
            final LogSegment dropped = segments.remove(segments.size() - 1);
            LOG.log(System.Logger.Level.WARNING, "deleting segment " + dropped + " after a torn batch in "
                    + segments.get(index));
            dropped.delete();
        }
        final LogSegment cut = segments.get(index);
        cut.becomeActive(activeIndexBytes);
        // reopen with preallocated indexes on next use
        if (cut.closeIfUnused()) {
            cache.closed(cut);
        }
    }

    private void loadLargestTimestamps(final List<LogSegment> segments, final Set<LogSegment> recovered)
            throws IOException {
        for (int i = 0; i < segments.size() - 1; i++) {
            final LogSegment segment = segments.get(i);
            if (recovered.contains(segment)) {
                continue;
            }
            final TimestampOffset last = TimeIndex.readLastEntry(SegmentFiles.timeIndexFile(dir, segment.baseOffset()),
                    segment.baseOffset());
            if (last != null) {
                segment.loadedMaxTimestamp(last.timestampMs(), last.offset());
            } else if (segment.size() > 0) {
                // missing or torn time index: opening the segment checks and rebuilds its indexes
                withReference(segment, s -> 0L);
            }
        }
    }

    private void loadProducerState(final List<LogSegment> segments, final long logEndOffset, final long nowMs)
            throws IOException {
        // a load that failed half-way may have left entries behind
        producers.clear();
        snapshots.deleteAbove(logEndOffset);
        snapshots.deleteBelow(segments.get(0).baseOffset());
        for (long offset : snapshots.offsetsNewestFirst()) {
            final Optional<List<ProducerEntry>> entries =
                    ProducerSnapshotFile.read(ProducerSnapshotFile.path(dir, offset), offset);
            if (entries.isPresent()) {
                entries.get().forEach(producers::put);
                final int batches = replayFrom(segments, offset, nowMs);
                LOG.log(System.Logger.Level.DEBUG, () -> "Loaded the state of " + entries.get().size()
                        + " producers of " + partition + " from the snapshot at offset " + offset + " and " + batches
                        + " batches after it");
                producers.removeExpired(nowMs, producerIdExpirationMs);
                return;
            }
            LOG.log(System.Logger.Level.WARNING, "Deleting the damaged producer snapshot at offset " + offset + " of "
                    + partition);
            snapshots.delete(offset);
        }
        final int first = Math.max(0, segments.size() - PRODUCER_STATE_SEGMENTS);
        replayFrom(segments, segments.get(first).baseOffset(), nowMs);
        producers.removeExpired(nowMs, producerIdExpirationMs);
    }

    /**
     * Replays the producer batches from {@code offset}, a batch boundary, to the log end into the producer state.
     *
     * @return how many batches were read
     */
    private int replayFrom(final List<LogSegment> segments, final long offset, final long nowMs) throws IOException {
        int from = 0;
        for (int i = 0; i < segments.size(); i++) {
            if (segments.get(i).baseOffset() <= offset) {
                from = i;
            }
        }
        final FileBatchReader reader = FileBatchReader.forThread();
        long batches = 0;
        for (int i = from; i < segments.size(); i++) {
            final LogSegment segment = segments.get(i);
            if (segment.size() == 0) {
                continue;
            }
            batches += withReference(segment, s -> {
                final int end = s.size();
                long position = s.baseOffset() >= offset ? 0 : s.positionOf(offset, end, reader);
                long read = 0;
                while (position >= 0 && reader.readHeader(s.channel(), position, end)) {
                    final BatchHeaderFlyweight header = reader.header();
                    // a snapshot offset is a batch boundary; the check only guards against replaying a batch twice
                    if (header.baseOffset() >= offset && header.producerId() != BatchHeaderDescriptor.NO_PRODUCER_ID
                            && !header.isControl()) {
                        producers.replay(header.producerId(), header.producerEpoch(), header.baseSequence(),
                                header.lastSequence(), header.baseOffset(), header.lastOffset(),
                                header.maxTimestamp(), nowMs);
                    }
                    position += header.totalLength();
                    read++;
                }
                return read;
            });
        }
        return (int) batches;
    }

    @FunctionalInterface
    private interface SegmentOperation {
        long apply(LogSegment segment) throws IOException;
    }

    private static long withReference(final LogSegment segment, final SegmentOperation operation)
            throws IOException {
        if (!segment.acquire()) {
            throw new IOException("segment " + segment + " vanished while loading");
        }
        try {
            return operation.apply(segment);
        } finally {
            segment.release();
        }
    }
}
