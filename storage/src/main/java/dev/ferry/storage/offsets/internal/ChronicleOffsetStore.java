package dev.ferry.storage.offsets.internal;

import dev.ferry.storage.TopicPartition;
import dev.ferry.storage.offsets.CommittedOffset;
import dev.ferry.storage.offsets.OffsetCommit;
import dev.ferry.storage.offsets.OffsetStore;
import dev.ferry.storage.offsets.OffsetStoreConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;

/**
 * {@link OffsetStore} over a Chronicle Queue journal plus two compact snapshots.
 *
 * <p>Directory layout: {@code journal/} holds the queue's hourly cycle files; {@value #SNAPSHOT_FILE} is the latest
 * snapshot and {@value #PREVIOUS_SNAPSHOT_FILE} the one before it. Journal files are dropped only when the previous
 * snapshot no longer needs them, so a damaged latest snapshot falls back to the previous one plus a longer replay.
 * When snapshot files exist but none is valid the store refuses to open rather than rewind consumers silently.
 *
 * <p>Snapshots are written on the thread whose change crosses {@link OffsetStoreConfig#snapshotIntervalEntries()},
 * or brings the group states journaled since the last snapshot to {@value #STATE_BYTES_BEFORE_SNAPSHOT_FLOOR} bytes
 * and to at least the states the snapshot would hold, while it holds the lock. The entry count bounds how many
 * entries start-up replays; the byte rule bounds how much it reads when large states are saved often, and keeps the
 * cost of writing the states into a snapshot to a fraction of the cost of journaling them. Either way a snapshot is
 * rare and costs one sequential file write.
 *
 * <p><b>Thread-safe: every method synchronizes on the store.</b>
 */
public final class ChronicleOffsetStore implements OffsetStore {

    /** Free space kept beyond each journal entry: Chronicle's index and header pages are written with it. */
    private static final long FREE_SPACE_RESERVE_BYTES = 1L << 20;
    /** A generous size of one committed offset's journal entry, names and metadata included. */
    private static final long ENTRY_ESTIMATE_BYTES = 8L << 10;
    private static final System.Logger LOG = System.getLogger(ChronicleOffsetStore.class.getName());

    static final String JOURNAL_DIR = "journal";
    static final String SNAPSHOT_FILE = "offsets.snapshot";
    static final String PREVIOUS_SNAPSHOT_FILE = "offsets.snapshot.previous";
    /** Group-state bytes journaled since the last snapshot below which no snapshot is due for their sake. */
    static final long STATE_BYTES_BEFORE_SNAPSHOT_FLOOR = 64L << 20;

    private final Path dir;
    private final OffsetStoreConfig config;
    private final OffsetJournal journal;
    private final OffsetTable table;
    private final long entriesReplayedOnOpen;
    private long lastIndex;
    private long entriesSinceSnapshot;
    private long stateBytesSinceSnapshot;
    private boolean closed;
    private final FileStore fileStore;

    private ChronicleOffsetStore(final Path dir, final OffsetStoreConfig config, final OffsetJournal journal,
                                 final OffsetTable table, final OffsetJournal.Replay replay) throws IOException {
        this.dir = dir;
        this.fileStore = Files.getFileStore(dir);
        this.config = config;
        this.journal = journal;
        this.table = table;
        this.entriesReplayedOnOpen = replay.entries();
        this.lastIndex = replay.lastIndex();
        this.entriesSinceSnapshot = replay.entries();
        this.stateBytesSinceSnapshot = replay.stateBytes();
    }

    /** See {@link OffsetStore#open}. */
    public static OffsetStore open(final Path dir, final OffsetStoreConfig config) {
        return open(dir, config, SystemTimeProvider.INSTANCE);
    }

    /** Opens with a clock of the caller's choosing for the journal's cycles, so tests can roll hours at will. */
    static ChronicleOffsetStore open(final Path dir, final OffsetStoreConfig config, final TimeProvider time) {
        try {
            Files.createDirectories(dir);
            final OffsetSnapshotFile.Loaded snapshot = loadSnapshot(dir);
            final OffsetJournal journal = OffsetJournal.open(dir.resolve(JOURNAL_DIR), config.syncOnCommit(), time);
            try {
                final OffsetJournal.Replay replay = journal.replayAfter(snapshot.journalIndex(), snapshot.table());
                return new ChronicleOffsetStore(dir, config, journal, snapshot.table(), replay);
            } catch (RuntimeException e) {
                journal.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open offsets store in " + dir, e);
        }
    }

    private static OffsetSnapshotFile.Loaded loadSnapshot(final Path dir) throws IOException {
        final Path latest = dir.resolve(SNAPSHOT_FILE);
        final Path previous = dir.resolve(PREVIOUS_SNAPSHOT_FILE);
        for (Path candidate : List.of(latest, previous)) {
            final Optional<OffsetSnapshotFile.Loaded> loaded = OffsetSnapshotFile.read(candidate);
            if (loaded.isPresent()) {
                return loaded.get();
            }
        }
        if (Files.exists(latest) || Files.exists(previous)) {
            throw new IOException("no valid offsets snapshot among " + latest + " and " + previous
                    + "; journal files they covered are gone, so offsets cannot be rebuilt");
        }
        return new OffsetSnapshotFile.Loaded(new OffsetTable(), OffsetSnapshotDescriptor.NO_INDEX);
    }

    @Override
    public synchronized void commit(final String group, final List<OffsetCommit> commits) {
        Objects.requireNonNull(group, "group");
        ensureOpen();
        if (commits.isEmpty()) {
            return;
        }
        ensureRoom(ENTRY_ESTIMATE_BYTES * commits.size());
        journaled(journal.appendCommit(group, commits));
        for (OffsetCommit commit : commits) {
            table.put(group, commit.partition(), commit.committed());
        }
        snapshotIfDue();
    }

    @Override
    public synchronized Map<TopicPartition, CommittedOffset> offsets(final String group) {
        ensureOpen();
        return Map.copyOf(table.offsets(group));
    }

    @Override
    public synchronized Optional<CommittedOffset> offset(final String group, final TopicPartition partition) {
        ensureOpen();
        return Optional.ofNullable(table.offsets(group).get(partition));
    }

    @Override
    public synchronized Set<String> groups() {
        ensureOpen();
        return Set.copyOf(table.groups());
    }

    @Override
    public synchronized void deleteGroup(final String group) {
        ensureOpen();
        if (!table.groups().contains(group) && !table.hasState(group)) {
            return;
        }
        journaled(journal.appendDeleteGroup(group));
        table.removeGroup(group);
        snapshotIfDue();
    }

    @Override
    public synchronized void deleteOffsets(final String group, final Collection<TopicPartition> partitions) {
        ensureOpen();
        final List<TopicPartition> present = new ArrayList<>();
        for (TopicPartition partition : new HashSet<>(partitions)) {
            if (table.offsets(group).containsKey(partition)) {
                present.add(partition);
            }
        }
        if (present.isEmpty()) {
            return;
        }
        journaled(journal.appendDeleteOffsets(group, present));
        table.remove(group, present);
        snapshotIfDue();
    }

    @Override
    public synchronized Map<String, Set<TopicPartition>> expireOffsets(
            final Map<String, OptionalLong> emptySinceMsByGroup, final long nowMs, final long retentionMs) {
        ensureOpen();
        final Map<String, Set<TopicPartition>> expired = new HashMap<>();
        for (Map.Entry<String, OptionalLong> candidate : emptySinceMsByGroup.entrySet()) {
            final String group = candidate.getKey();
            final Set<TopicPartition> partitions = new HashSet<>();
            for (Map.Entry<TopicPartition, CommittedOffset> entry : table.offsets(group).entrySet()) {
                final long since = candidate.getValue().orElse(entry.getValue().commitTimestampMs());
                if (nowMs - since >= retentionMs) {
                    partitions.add(entry.getKey());
                }
            }
            if (!partitions.isEmpty()) {
                expired.put(group, Set.copyOf(partitions));
            }
        }
        for (Map.Entry<String, Set<TopicPartition>> entry : expired.entrySet()) {
            journaled(journal.appendDeleteOffsets(entry.getKey(), entry.getValue()));
            table.remove(entry.getKey(), entry.getValue());
        }
        snapshotIfDue();
        return Map.copyOf(expired);
    }

    @Override
    public synchronized void saveGroupState(final String group, final byte[] state) {
        Objects.requireNonNull(group, "group");
        if (state.length > MAX_GROUP_STATE_BYTES) {
            throw new IllegalArgumentException("state of group " + group + " is " + state.length
                    + " bytes, more than the " + MAX_GROUP_STATE_BYTES + " bytes a group state may take");
        }
        ensureOpen();
        // Copied before journaling, so the table holds exactly what the journal does even if the caller reuses it.
        final byte[] kept = state.clone();
        ensureRoom(kept.length);
        journaled(journal.appendSaveGroupState(group, kept));
        stateBytesSinceSnapshot += kept.length;
        table.putState(group, kept);
        snapshotIfDue();
    }

    @Override
    public synchronized Map<String, byte[]> groupStates() {
        ensureOpen();
        final Map<String, byte[]> copies = new HashMap<>(table.states().size() * 2);
        for (Map.Entry<String, byte[]> entry : table.states().entrySet()) {
            copies.put(entry.getKey(), entry.getValue().clone());
        }
        return Map.copyOf(copies);
    }

    @Override
    public synchronized void deleteGroupState(final String group) {
        ensureOpen();
        if (!table.hasState(group)) {
            return;
        }
        journaled(journal.appendDeleteGroupState(group));
        table.removeState(group);
        snapshotIfDue();
    }

    @Override
    public synchronized void snapshot() {
        ensureOpen();
        try {
            final Path latest = dir.resolve(SNAPSHOT_FILE);
            final Path previous = dir.resolve(PREVIOUS_SNAPSHOT_FILE);
            final Optional<OffsetSnapshotFile.Loaded> kept = OffsetSnapshotFile.read(latest);
            if (kept.isPresent()) {
                Files.move(latest, previous, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            OffsetSnapshotFile.write(latest, lastIndex, table);
            entriesSinceSnapshot = 0;
            stateBytesSinceSnapshot = 0;
            final long oldestNeeded = kept.map(OffsetSnapshotFile.Loaded::journalIndex).orElse(lastIndex);
            if (oldestNeeded != OffsetSnapshotDescriptor.NO_INDEX) {
                journal.dropCyclesBefore(oldestNeeded);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot snapshot offsets store in " + dir, e);
        }
    }

    @Override
    public long entriesReplayedOnOpen() {
        return entriesReplayedOnOpen;
    }

    /** Cycle files in the journal directory; lets tests see snapshots drop what they cover. */
    synchronized int journalFileCount() throws IOException {
        return journal.cycleFileCount();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            journal.close();
        }
    }

    private void journaled(final long index) {
        lastIndex = index;
        entriesSinceSnapshot++;
    }

    /**
     * Snapshots when due. The change that triggered it is already journaled, so a failed snapshot must not fail that
     * change: it is logged and retried after the next change.
     */
    private void snapshotIfDue() {
        final long stateBytesDue = Math.max(STATE_BYTES_BEFORE_SNAPSHOT_FLOOR, table.stateBytes());
        if (entriesSinceSnapshot >= config.snapshotIntervalEntries() || stateBytesSinceSnapshot >= stateBytesDue) {
            try {
                snapshot();
            } catch (UncheckedIOException e) {
                LOG.log(System.Logger.Level.WARNING, "offsets snapshot failed; the journal still holds every change",
                        e);
            }
        }
    }

    /**
     * Refuses a write the file system has no room for, as an {@link UncheckedIOException} callers map to a retriable
     * error: the journal is a memory-mapped file, and storing into a mapped page that the full file system cannot back
     * kills the writing thread with an {@link InternalError} (SIGBUS) instead. Another process filling the disk
     * between this check and the write can still cause that; the reserve makes it unlikely.
     */
    private void ensureRoom(final long entryBytes) {
        final long usable;
        try {
            usable = fileStore.getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tell the free space of " + dir, e);
        }
        if (usable < entryBytes + FREE_SPACE_RESERVE_BYTES) {
            throw new UncheckedIOException(new IOException("no room left for the offsets journal in " + dir + ": "
                    + usable + " bytes free, " + (entryBytes + FREE_SPACE_RESERVE_BYTES) + " needed"));
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("offsets store in " + dir + " is closed");
        }
    }
}
