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
 * the mapped range, so the entry survives a power loss.
 *
 * <p>Not thread-safe: the owning store serializes every call.
 */
final class OffsetJournal implements AutoCloseable {

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
                .timeProvider(time);
        return new OffsetJournal(builder.build(), syncOnAppend);
    }

    /** Appends a commit of {@code commits} to {@code group}; returns the entry's index. */
    long appendCommit(final String group, final List<OffsetCommit> commits) {
        try (DocumentContext context = appender.writingDocument()) {
            final Bytes<?> bytes = context.wire().bytes();
            bytes.writeByte(OffsetJournalDescriptor.COMMIT);
            bytes.writeUtf8(group);
            bytes.writeInt(commits.size());
            for (OffsetCommit commit : commits) {
                bytes.writeUtf8(commit.partition().topic());
                bytes.writeInt(commit.partition().partition());
                bytes.writeLong(commit.offset());
                bytes.writeInt(commit.leaderEpoch());
                bytes.writeUtf8(commit.metadata());
                bytes.writeLong(commit.commitTimestampMs());
            }
        }
        return appended();
    }

    /** Appends the removal of every offset of {@code group}; returns the entry's index. */
    long appendDeleteGroup(final String group) {
        try (DocumentContext context = appender.writingDocument()) {
            final Bytes<?> bytes = context.wire().bytes();
            bytes.writeByte(OffsetJournalDescriptor.DELETE_GROUP);
            bytes.writeUtf8(group);
        }
        return appended();
    }

    /** Appends the removal of {@code group}'s offsets for {@code partitions}; returns the entry's index. */
    long appendDeleteOffsets(final String group, final Collection<TopicPartition> partitions) {
        try (DocumentContext context = appender.writingDocument()) {
            final Bytes<?> bytes = context.wire().bytes();
            bytes.writeByte(OffsetJournalDescriptor.DELETE_OFFSETS);
            bytes.writeUtf8(group);
            bytes.writeInt(partitions.size());
            for (TopicPartition partition : partitions) {
                bytes.writeUtf8(partition.topic());
                bytes.writeInt(partition.partition());
            }
        }
        return appended();
    }

    private long appended() {
        if (syncOnAppend) {
            appender.sync();
        }
        return appender.lastIndexAppended();
    }

    /**
     * Applies to {@code table} every entry after {@code afterIndex} ({@link OffsetSnapshotDescriptor#NO_INDEX}: every
     * entry), in order.
     *
     * @return how many entries were applied and the index of the last one (or {@code afterIndex} when none)
     * @throws IllegalStateException when {@code afterIndex} is not in the journal, so entries after it may be missing
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
            while (true) {
                try (DocumentContext context = tailer.readingDocument()) {
                    if (!context.isPresent()) {
                        break;
                    }
                    if (!context.isData() || context.index() <= afterIndex) {
                        continue;
                    }
                    apply(context.wire().bytes(), table);
                    lastIndex = context.index();
                    count++;
                }
            }
            return new Replay(count, lastIndex);
        }
    }

    /** Outcome of {@link #replayAfter}. */
    record Replay(long entries, long lastIndex) {
    }

    private static void apply(final Bytes<?> bytes, final OffsetTable table) {
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
            default -> throw new IllegalStateException("unknown offsets journal entry type " + type);
        }
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
