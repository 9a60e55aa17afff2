package dev.ferry.storage.internal;

import dev.ferry.storage.AtomicFiles;
import dev.ferry.storage.TopicPartition;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One log directory: its partition directories ({@code <topic>-<partition>}), Kafka's per-directory checkpoint
 * files ({@code recovery-point-offset-checkpoint}, {@code log-start-offset-checkpoint}), the clean-shutdown marker
 * and a {@code .lock} file that keeps a second broker out.
 *
 * <p>The marker is removed as soon as the directory opens and written back only by a clean close, so its presence
 * at the next start proves every log was flushed and closed; without it, logs recover from their recovery point.
 *
 * <p><b>Thread-safety:</b> safe from any thread; checkpoint writes are serialised.
 */
final class LogDirectory {

    static final String RECOVERY_POINT_CHECKPOINT = "recovery-point-offset-checkpoint";
    static final String LOG_START_OFFSET_CHECKPOINT = "log-start-offset-checkpoint";
    static final String CLEAN_SHUTDOWN_MARKER = ".ferry_cleanshutdown";
    static final String LOCK_FILE = ".lock";
    /** Suffix of a partition directory renamed for deletion; never matches {@link #PARTITION_DIR}. */
    static final String DELETE_SUFFIX = "-delete";

    private static final System.Logger LOG = System.getLogger(LogDirectory.class.getName());
    private static final Pattern PARTITION_DIR = Pattern.compile("([a-zA-Z0-9._-]+)-(\\d+)");

    private final Path path;
    private final boolean cleanShutdown;
    private final Map<TopicPartition, Long> recoveryPointsAtOpen;
    private final Map<TopicPartition, Long> logStartOffsetsAtOpen;
    private final Map<TopicPartition, DefaultLog> logs = new ConcurrentHashMap<>();
    private final FileChannel lockChannel;
    private final FileLock lock;

    private LogDirectory(final Path path, final boolean cleanShutdown, final Map<TopicPartition, Long> recoveryPoints,
                         final Map<TopicPartition, Long> logStartOffsets, final FileChannel lockChannel,
                         final FileLock lock) {
        this.path = path;
        this.cleanShutdown = cleanShutdown;
        this.recoveryPointsAtOpen = recoveryPoints;
        this.logStartOffsetsAtOpen = logStartOffsets;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Creates the directory if needed, locks it, reads its checkpoints and removes leftovers of deletions. */
    static LogDirectory open(final Path path) throws IOException {
        Files.createDirectories(path);
        final FileChannel lockChannel = FileChannel.open(path.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException heldHere) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException("log directory " + path + " is in use by another storage instance");
        }
        try {
            final Path marker = path.resolve(CLEAN_SHUTDOWN_MARKER);
            final boolean clean = Files.exists(marker);
            final Map<TopicPartition, Long> recoveryPoints = readCheckpoint(path.resolve(RECOVERY_POINT_CHECKPOINT));
            final Map<TopicPartition, Long> logStarts = readCheckpoint(path.resolve(LOG_START_OFFSET_CHECKPOINT));
            if (clean) {
                Files.delete(marker);
                AtomicFiles.syncDirectory(path);
            }
            deleteLeftovers(path);
            return new LogDirectory(path, clean, new HashMap<>(recoveryPoints), new HashMap<>(logStarts),
                    lockChannel, lock);
        } catch (IOException | RuntimeException e) {
            lock.release();
            lockChannel.close();
            throw e;
        }
    }

    private static Map<TopicPartition, Long> readCheckpoint(final Path file) {
        try {
            return OffsetCheckpointFile.read(file);
        } catch (IOException e) {
            // recovery from offset 0 is slow but safe; a lost log start offset only makes deleted records visible
            LOG.log(System.Logger.Level.WARNING, "ignoring unreadable checkpoint " + file, e);
            return Map.of();
        }
    }

    private static void deleteLeftovers(final Path path) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
            for (Path entry : entries) {
                final String name = entry.getFileName().toString();
                if (name.endsWith(DELETE_SUFFIX) && Files.isDirectory(entry)) {
                    deleteTree(entry);
                } else if (name.endsWith(AtomicFiles.TEMP_SUFFIX)) {
                    Files.deleteIfExists(entry);
                }
            }
        }
    }

    Path path() {
        return path;
    }

    boolean cleanShutdown() {
        return cleanShutdown;
    }

    /** The partitions whose directories exist here. */
    List<TopicPartition> partitionsOnDisk() throws IOException {
        final List<TopicPartition> partitions = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(path, Files::isDirectory)) {
            for (Path entry : entries) {
                final Matcher matcher = PARTITION_DIR.matcher(entry.getFileName().toString());
                if (matcher.matches()) {
                    try {
                        partitions.add(new TopicPartition(matcher.group(1), Integer.parseInt(matcher.group(2))));
                    } catch (NumberFormatException notAPartition) {
                        LOG.log(System.Logger.Level.WARNING, "ignoring directory " + entry);
                    }
                }
            }
        }
        return partitions;
    }

    Path partitionDir(final TopicPartition partition) {
        return path.resolve(partition.dirName());
    }

    long recoveryPointAtOpen(final TopicPartition partition) {
        return recoveryPointsAtOpen.getOrDefault(partition, 0L);
    }

    long logStartOffsetAtOpen(final TopicPartition partition) {
        return logStartOffsetsAtOpen.getOrDefault(partition, 0L);
    }

    void add(final DefaultLog log) {
        logs.put(log.topicPartition(), log);
    }

    void remove(final TopicPartition partition) {
        logs.remove(partition);
        synchronized (this) {
            recoveryPointsAtOpen.remove(partition);
            logStartOffsetsAtOpen.remove(partition);
        }
    }

    int logCount() {
        return logs.size();
    }

    synchronized void checkpointRecoveryPoints() throws IOException {
        final Map<TopicPartition, Long> offsets = new HashMap<>();
        logs.values().forEach(log -> offsets.put(log.topicPartition(), log.recoveryPoint()));
        OffsetCheckpointFile.write(path.resolve(RECOVERY_POINT_CHECKPOINT), offsets);
    }

    synchronized void checkpointLogStartOffsets() throws IOException {
        final Map<TopicPartition, Long> offsets = new HashMap<>();
        logs.values().forEach(log -> offsets.put(log.topicPartition(), log.logStartOffsetForCheckpoint()));
        OffsetCheckpointFile.write(path.resolve(LOG_START_OFFSET_CHECKPOINT), offsets);
    }

    /** Moves a partition directory out of the way atomically, then deletes it. */
    void deletePartitionDir(final TopicPartition partition) throws IOException {
        final Path dir = partitionDir(partition);
        if (!Files.exists(dir)) {
            return;
        }
        final Path doomed = path.resolve(partition.dirName() + "." + UUID.randomUUID().toString().replace("-", "")
                + DELETE_SUFFIX);
        Files.move(dir, doomed);
        AtomicFiles.syncDirectory(path);
        deleteTree(doomed);
    }

    /** Writes the clean-shutdown marker (after every log was flushed and checkpointed) and unlocks. */
    void closeCleanly() throws IOException {
        try {
            Files.write(path.resolve(CLEAN_SHUTDOWN_MARKER), new byte[0]);
            AtomicFiles.syncDirectory(path);
        } finally {
            unlock();
        }
    }

    void unlock() throws IOException {
        if (lock.isValid()) {
            lock.release();
        }
        lockChannel.close();
    }

    private static void deleteTree(final Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(final Path file, final BasicFileAttributes attributes)
                    throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(final Path dir, final IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
