package dev.ferry.storage.internal;

import dev.ferry.storage.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The producer snapshot files of one partition directory ({@link ProducerSnapshotDescriptor}): which exist, writing
 * a new one, and deleting those no longer useful. At most the newest {@value #RETAINED} are kept, so that a damaged
 * newest one still leaves one to start from.
 *
 * <p>Each file is written whole to a temporary sibling and renamed into place. Snapshots taken while the broker runs
 * are forced to disk first ({@link AtomicFiles}); the one taken at close is not, since closing thousands of logs
 * must not cost two fsyncs each: if the machine crashes before the kernel writes it out, it reads back cut short,
 * fails its CRC and is skipped, and the previous snapshot and the batches after it give the same state.
 *
 * <p><b>Thread-safe:</b> every method is synchronized. The log writes snapshots from the storage's background
 * thread and while closing; it reads them only while loading, before anything else happens to the log.
 */
final class ProducerSnapshots {

    /** How many snapshot files are kept. */
    static final int RETAINED = 2;

    private static final System.Logger LOG = System.getLogger(ProducerSnapshots.class.getName());

    private final Path dir;
    private final TreeSet<Long> offsets = new TreeSet<>();
    /** Snapshots below this offset describe segments already deleted: they are not written any more. */
    private long floor = -1;
    private boolean closed;

    ProducerSnapshots(final Path dir) {
        this.dir = dir;
    }

    /** Registers a snapshot file found on disk while the log loads. */
    synchronized void found(final long offset) {
        offsets.add(offset);
    }

    /** The offsets of the snapshot files, newest first. */
    synchronized List<Long> offsetsNewestFirst() {
        return new ArrayList<>(offsets.descendingSet());
    }

    /** The offset of the newest snapshot file, or -1 when there is none. */
    synchronized long latestOffset() {
        return offsets.isEmpty() ? -1 : offsets.last();
    }

    /**
     * Writes {@code content}, the snapshot as of {@code offset}, unless segments at or above that offset were already
     * deleted; then deletes all but the newest {@value #RETAINED} snapshots.
     *
     * @param durable whether to force the file and its name to disk before returning
     * @return false when the snapshot was not written because it is out of date or the log closed
     */
    synchronized boolean write(final long offset, final byte[] content, final boolean durable) throws IOException {
        if (offset < floor || closed) {
            return false;
        }
        final Path file = ProducerSnapshotFile.path(dir, offset);
        if (durable) {
            AtomicFiles.write(file, content);
        } else {
            final Path temp = file.resolveSibling(file.getFileName() + AtomicFiles.TEMP_SUFFIX);
            Files.write(temp, content);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        offsets.add(offset);
        while (offsets.size() > RETAINED) {
            deleteFile(offsets.pollFirst());
        }
        return true;
    }

    /** Deletes the snapshots below {@code offset}, the first offset of the log's first segment, now and later. */
    synchronized void deleteBelow(final long offset) throws IOException {
        floor = Math.max(floor, offset);
        while (!offsets.isEmpty() && offsets.first() < offset) {
            deleteFile(offsets.pollFirst());
        }
    }

    /** Deletes the snapshots above {@code offset}, the log end: they describe batches the log no longer holds. */
    synchronized void deleteAbove(final long offset) throws IOException {
        while (!offsets.isEmpty() && offsets.last() > offset) {
            deleteFile(offsets.pollLast());
        }
    }

    /** Deletes one snapshot, found damaged. */
    synchronized void delete(final long offset) throws IOException {
        if (offsets.remove(offset)) {
            deleteFile(offset);
        }
    }

    /**
     * Refuses every later write. Returns once a write under way has finished, so that after a log is deleted no late
     * snapshot of it can land in a new directory of the same name.
     */
    synchronized void close() {
        closed = true;
    }

    private void deleteFile(final long offset) throws IOException {
        final Path file = ProducerSnapshotFile.path(dir, offset);
        LOG.log(System.Logger.Level.DEBUG, () -> "Deleting producer snapshot " + file);
        Files.deleteIfExists(file);
    }
}
