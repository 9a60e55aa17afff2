package dev.ferry.storage.offsets.internal;

import dev.ferry.storage.AtomicFiles;
import dev.ferry.storage.TopicPartition;
import dev.ferry.storage.offsets.CommittedOffset;
import dev.ferry.storage.offsets.OffsetCommit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The offsets journal: a Chronicle Queue of entries in the {@link OffsetJournalDescriptor} format, rolled hourly.
 *
 * <p>An append returns once the entry is complete in the queue's memory-mapped file. From then on it survives the
 * process being killed, as the bytes are in the kernel's page cache; with {@code syncOnAppend} the append also msyncs
 * the mapped range, so the entry survives a power loss. An append that fails part-way is rolled back, so the journal
 * never holds a partial entry a replay would trip on.
 *
 * <p>Not thread-safe: the owning store serializes every call.
 */
final class OffsetJournal implements AutoCloseable {

    /**
     * Size of the blocks the queue maps its files in. Set here rather than left to Chronicle's platform- and
     * property-dependent default, because it bounds the entry length: an entry must fit in the quarter block by which
     * consecutive mappings overlap. (Chronicle enforces that on bulk writes such as a state's bytes, which fail past
     * it, though not on every small field write.)
     */
    static final long BLOCK_SIZE = 64L << 20;
    /** Longest entry the queue takes, type byte included: the mappings' overlap less the 4-byte document header. */
    static final int MAX_ENTRY_LENGTH = (int) (BLOCK_SIZE / 4) - 4;

    private static final RollCycle ROLL_CYCLE = RollCycles.FAST_HOURLY;
    private static final String CYCLE_FILE_SUFFIX = ".cq4";

    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private final boolean syncOnAppend;

    private OffsetJournal(final SingleChronicleQueue queue, final boolean syncOnAppend) {
        this.queue = queue;
        this.appender = queue.createAppender();
        this.appender.singleThreadedCheckDisabled(true);
        this.syncOnAppend = syncOnAppend;
    }

    /** Opens or creates the journal in {@code dir}; {@code time} decides the cycle new entries fall into. */
    static OffsetJournal open(final Path dir, final boolean syncOnAppend, final TimeProvider time) {
        final SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(dir)
                .rollCycle(ROLL_CYCLE)
                .blockSize(BLOCK_SIZE)
                .timeProvider(time);
        final SingleChronicleQueue queue = builder.build();
        if (queue.overlapSize() < MAX_ENTRY_LENGTH + 4L) {
            queue.close();
            throw new IllegalStateException("offsets journal maps " + queue.overlapSize()
                    + "-byte overlaps, too few for entries of " + MAX_ENTRY_LENGTH + " bytes");
        }
        return new OffsetJournal(queue, syncOnAppend);
    }

    /** Appends a commit of {@code commits} to {@code group}; returns the entry's index. */
    long appendCommit(final String group, final List<OffsetCommit> commits) {
        return append(OffsetJournalDescriptor.COMMIT, group, bytes -> {
            bytes.writeInt(commits.size());
            for (OffsetCommit commit : commits) {
                bytes.writeUtf8(commit.partition().topic());
                bytes.writeInt(commit.partition().partition());
                bytes.writeLong(commit.offset());
                bytes.writeInt(commit.leaderEpoch());
                bytes.writeUtf8(commit.metadata());
                bytes.writeLong(commit.commitTimestampMs());
            }
        });
    }

    /** Appends the removal of every offset and the state of {@code group}; returns the entry's index. */
    long appendDeleteGroup(final String group) {
        return append(OffsetJournalDescriptor.DELETE_GROUP, group, bytes -> { });
    }

    /** Appends the removal of {@code group}'s offsets for {@code partitions}; returns the entry's index. */
    long appendDeleteOffsets(final String group, final Collection<TopicPartition> partitions) {
        return append(OffsetJournalDescriptor.DELETE_OFFSETS, group, bytes -> {
            bytes.writeInt(partitions.size());
            for (TopicPartition partition : partitions) {
                bytes.writeUtf8(partition.topic());
                bytes.writeInt(partition.partition());
            }
        });
    }

    /**
     * Appends {@code state} as the saved state of {@code group}; returns the entry's index.
     *
     * @throws IllegalArgumentException when the entry could exceed {@link #MAX_ENTRY_LENGTH}, checked before anything
     *                                  is written
     */
    long appendSaveGroupState(final String group, final byte[] state) {
        // A char takes at most 3 UTF-8 bytes (a surrogate pair takes 4 for 2 chars), so this bounds the entry.
        final long longest = OffsetJournalDescriptor.SAVE_GROUP_STATE_OVERHEAD + 3L * group.length() + state.length;
        if (longest > MAX_ENTRY_LENGTH) {
            throw new IllegalArgumentException("state of group " + abbreviated(group) + " (" + state.length
                    + " bytes) does not fit in one offsets journal entry of " + MAX_ENTRY_LENGTH + " bytes");
        }
        return append(OffsetJournalDescriptor.SAVE_GROUP_STATE, group, bytes -> {
            bytes.writeInt(state.length);
            bytes.write(state);
        });
    }

    /** Appends the removal of the saved state of {@code group}; returns the entry's index. */
    long appendDeleteGroupState(final String group) {
        return append(OffsetJournalDescriptor.DELETE_GROUP_STATE, group, bytes -> { });
    }

    /** Writes one entry's body after its type and group. */
    @FunctionalInterface
    private interface EntryBody {
        void writeTo(Bytes<?> bytes);
    }

    private long append(final byte type, final String group, final EntryBody body) {
        try (DocumentContext context = appender.writingDocument()) {
            try {
                final Bytes<?> bytes = context.wire().bytes();
                bytes.writeByte(type);
                bytes.writeUtf8(group);
                body.writeTo(bytes);
            } catch (RuntimeException e) {
                // Without the rollback, closing the context would publish the half-written entry.
                context.rollbackOnClose();
                throw e;
            }
        }
        if (syncOnAppend) {
            appender.sync();
        }
        return appender.lastIndexAppended();
    }

    private static String abbreviated(final String group) {
        return group.length() <= 100 ? group : group.substring(0, 100) + "...";
    }

    /**
     * Applies to {@code table} every entry after {@code afterIndex} ({@link OffsetSnapshotDescriptor#NO_INDEX}: every
     * entry), in order.
     *
     * @return how many entries were applied, the index of the last one (or {@code afterIndex} when none) and the
     *         bytes of group state they saved
     * @throws IllegalStateException when {@code afterIndex} is not in the journal, so entries after it may be missing,
     *                               or when an entry is malformed
     */
    Replay replayAfter(final long afterIndex, final OffsetTable table) {
        try (ExcerptTailer tailer = queue.createTailer()) {
            if (afterIndex == OffsetSnapshotDescriptor.NO_INDEX) {
                tailer.toStart();
            } else if (!tailer.moveToIndex(afterIndex)) {
                throw new IllegalStateException("offsets journal in " + queue.file() + " lacks entry " + afterIndex
                        + " that the snapshot covers; entries after it cannot be trusted to be complete");
            }
            long count = 0;
            long lastIndex = afterIndex;
            long stateBytes = 0;
            while (true) {
                try (DocumentContext context = tailer.readingDocument()) {
                    if (!context.isPresent()) {
                        break;
                    }
                    if (!context.isData() || context.index() <= afterIndex) {
                        continue;
                    }
                    stateBytes += apply(context.wire().bytes(), table);
                    lastIndex = context.index();
                    count++;
                }
            }
            return new Replay(count, lastIndex, stateBytes);
        }
    }

    /** Outcome of {@link #replayAfter}. */
    record Replay(long entries, long lastIndex, long stateBytes) {
    }

    /** Applies one entry; returns the length of the group state it saved, or 0. */
    private static int apply(final Bytes<?> bytes, final OffsetTable table) {
        final byte type = bytes.readByte();
        final String group = bytes.readUtf8();
        switch (type) {
            case OffsetJournalDescriptor.COMMIT -> {
                final int count = bytes.readInt();
                for (int i = 0; i < count; i++) {
                    final TopicPartition partition = new TopicPartition(bytes.readUtf8(), bytes.readInt());
                    table.put(group, partition,
                            new CommittedOffset(bytes.readLong(), bytes.readInt(), bytes.readUtf8(), bytes.readLong()));
                }
            }
            case OffsetJournalDescriptor.DELETE_GROUP -> table.removeGroup(group);
            case OffsetJournalDescriptor.DELETE_OFFSETS -> {
                final int count = bytes.readInt();
                final List<TopicPartition> partitions = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    partitions.add(new TopicPartition(bytes.readUtf8(), bytes.readInt()));
                }
                table.remove(group, partitions);
            }
            case OffsetJournalDescriptor.SAVE_GROUP_STATE -> {
                final int length = bytes.readInt();
                if (length < 0 || length > bytes.readRemaining()) {
                    throw new IllegalStateException("offsets journal entry of group " + abbreviated(group)
                            + " declares a " + length + "-byte state but holds " + bytes.readRemaining() + " bytes");
                }
                final byte[] state = new byte[length];
                bytes.read(state);
                table.putState(group, state);
                return length;
            }
            case OffsetJournalDescriptor.DELETE_GROUP_STATE -> table.removeState(group);
            default -> throw new IllegalStateException("unknown offsets journal entry type " + type);
        }
        return 0;
    }

    /**
     * Deletes the cycle files holding only entries before the cycle of {@code index}; that cycle and later ones stay.
     *
     * @return how many files were deleted
     */
    int dropCyclesBefore(final long index) throws IOException {
        final int keepFrom = ROLL_CYCLE.toCycle(index);
        final int first = queue.firstCycle();
        if (first == Integer.MAX_VALUE || first >= keepFrom) {
            return 0;
        }
        final DateTimeFormatter names = DateTimeFormatter.ofPattern(ROLL_CYCLE.format()).withZone(ZoneOffset.UTC);
        int deleted = 0;
        for (Long cycle : queue.listCyclesBetween(first, keepFrom - 1)) {
            final Instant start = Instant.ofEpochMilli(cycle * ROLL_CYCLE.lengthInMillis());
            if (Files.deleteIfExists(queue.file().toPath().resolve(names.format(start) + CYCLE_FILE_SUFFIX))) {
                deleted++;
            }
        }
        if (deleted > 0) {
            AtomicFiles.syncDirectory(queue.file().toPath());
            queue.refreshDirectoryListing();
        }
        return deleted;
    }

    /** Cycle files currently in the journal directory. */
    int cycleFileCount() throws IOException {
        try (var files = Files.list(queue.file().toPath())) {
            return (int) files.filter(f -> f.getFileName().toString().endsWith(CYCLE_FILE_SUFFIX)).count();
        }
    }

    @Override
    public void close() {
        appender.close();
        queue.close();
    }
}
