package dev.ferry.storage.internal;

import dev.ferry.storage.Log;
import dev.ferry.storage.LogConfig;
import dev.ferry.storage.LogManager;
import dev.ferry.storage.StorageConfig;
import dev.ferry.storage.TopicCatalog;
import dev.ferry.storage.TopicPartition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The storage engine: every partition log under the configured directories, the topic catalog in the first one,
 * the bound on open segments, and the background duties, run by one daemon thread named
 * {@value #BACKGROUND_THREAD_NAME}:
 * <ul>
 * <li>retention, every {@link StorageConfig#retentionCheckIntervalMs()}: whole expired or excess segments are
 *     deleted and the log start offset checkpoint rewritten;</li>
 * <li>flushing, every {@link StorageConfig#flushCheckIntervalMs()}: logs whose {@link LogConfig#flushMs()} has
 *     passed are flushed, the recovery point checkpoint rewritten, and segments idle for
 *     {@value #IDLE_SEGMENT_CLOSE_MS} ms closed;</li>
 * <li>flushing a segment after it rolls, as Kafka does, then writing a producer snapshot as of the roll;</li>
 * <li>producer expiry, every {@value #PRODUCER_EXPIRATION_CHECK_INTERVAL_MS} ms (Kafka's default
 *     {@code producer.id.expiration.check.interval.ms}): each loaded log forgets the producers that have not
 *     appended for {@link StorageConfig#producerIdExpirationMs()};</li>
 * <li>closing the files of a deleted or closed log's segment once its last reader lets go of it.</li>
 * </ul>
 *
 * <p>Logs found on disk load lazily, on first use (the first retention pass uses them all; asking a log's size does
 * not), so a log nobody touches holds no file open. After a clean shutdown they are trusted up to their last index
 * entry; after an unclean one they are recovered from their recovery point when they load, before they serve
 * anything, and the clean-shutdown marker is written back at close only once every log of the directory has been
 * recovered and every log flushed without error.
 *
 * <p><b>Thread-safety:</b> safe from any thread.
 */
public final class DefaultLogManager implements LogManager {

    static final String BACKGROUND_THREAD_NAME = "ferry-storage-background";
    static final long IDLE_SEGMENT_CLOSE_MS = 10 * 60 * 1000L;
    static final long PRODUCER_EXPIRATION_CHECK_INTERVAL_MS = 10 * 60 * 1000L;

    private static final System.Logger LOG = System.getLogger(DefaultLogManager.class.getName());
    private static final Pattern LEGAL_TOPIC = Pattern.compile("[a-zA-Z0-9._-]+");

    private final StorageConfig config;
    private final List<LogDirectory> directories;
    private final SegmentCache cache;
    private final FileTopicCatalog catalog;
    private final ConcurrentHashMap<TopicPartition, DefaultLog> logs = new ConcurrentHashMap<>();
    private final ScheduledExecutorService background;
    private volatile boolean closed;

    private DefaultLogManager(final StorageConfig config, final List<LogDirectory> directories,
                              final FileTopicCatalog catalog) {
        this.config = config;
        this.directories = directories;
        this.catalog = catalog;
        final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            final Thread thread = new Thread(task, BACKGROUND_THREAD_NAME);
            thread.setDaemon(true);
            return thread;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.background = executor;
        this.cache = new SegmentCache(config.maxOpenSegments(), executor);
    }

    /**
     * Opens the storage under {@code config.logDirs()}, creating the directories if needed.
     *
     * @throws UncheckedIOException when a directory cannot be used (or is locked by another instance)
     */
    public static DefaultLogManager open(final StorageConfig config) {
        if (config.logDirs().isEmpty()) {
            throw new IllegalArgumentException("at least one log directory is required");
        }
        final List<LogDirectory> directories = new ArrayList<>();
        try {
            for (Path path : config.logDirs()) {
                directories.add(LogDirectory.open(path.toAbsolutePath().normalize()));
            }
            final FileTopicCatalog catalog = FileTopicCatalog.open(directories.get(0).path());
            final DefaultLogManager manager = new DefaultLogManager(config, directories, catalog);
            manager.discoverLogs();
            manager.startBackgroundDuties();
            return manager;
        } catch (IOException | RuntimeException e) {
            for (LogDirectory directory : directories) {
                try {
                    directory.unlock();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot open storage in " + config.logDirs(), io);
            }
            throw (RuntimeException) e;
        }
    }

    private void discoverLogs() throws IOException {
        for (LogDirectory directory : directories) {
            for (TopicPartition partition : directory.partitionsOnDisk()) {
                final DefaultLog log = DefaultLog.onDisk(partition, directory, cache, background,
                        LogConfig.defaults(), config.producerIdExpirationMs());
                if (logs.putIfAbsent(partition, log) != null) {
                    throw new IOException("partition " + partition + " exists in more than one log directory");
                }
                directory.add(log);
            }
        }
    }

    private void startBackgroundDuties() {
        background.scheduleWithFixedDelay(this::retentionPass, config.retentionCheckIntervalMs(),
                config.retentionCheckIntervalMs(), TimeUnit.MILLISECONDS);
        background.scheduleWithFixedDelay(this::flushPass, config.flushCheckIntervalMs(),
                config.flushCheckIntervalMs(), TimeUnit.MILLISECONDS);
        background.scheduleWithFixedDelay(this::producerExpirationPass, PRODUCER_EXPIRATION_CHECK_INTERVAL_MS,
                PRODUCER_EXPIRATION_CHECK_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public TopicCatalog catalog() {
        return catalog;
    }

    /**
     * {@inheritDoc}
     *
     * <p>An existing log takes {@code logConfig} as its settings (logs found on disk start with the defaults).
     *
     * @throws IllegalArgumentException when the topic name is not a legal Kafka topic name or the partition is
     *                                  negative
     */
    @Override
    public Log getOrCreateLog(final TopicPartition partition, final LogConfig logConfig) {
        checkOpen();
        final DefaultLog existing = logs.get(partition);
        if (existing != null) {
            existing.updateConfig(logConfig);
            return existing;
        }
        if (!LEGAL_TOPIC.matcher(partition.topic()).matches() || partition.topic().equals(".")
                || partition.topic().equals("..") || partition.partition() < 0) {
            throw new IllegalArgumentException("illegal topic partition " + partition);
        }
        return logs.computeIfAbsent(partition, key -> {
            final LogDirectory directory = leastLoadedDirectory();
            try {
                final DefaultLog log = DefaultLog.create(key, directory, cache, background, logConfig,
                        config.producerIdExpirationMs(), System.currentTimeMillis());
                directory.add(log);
                return log;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create log " + key, e);
            }
        });
    }

    private LogDirectory leastLoadedDirectory() {
        LogDirectory best = directories.get(0);
        for (LogDirectory directory : directories) {
            if (directory.logCount() < best.logCount()) {
                best = directory;
            }
        }
        return best;
    }

    @Override
    public Optional<Log> log(final TopicPartition partition) {
        return Optional.ofNullable(logs.get(partition));
    }

    @Override
    public Collection<Log> logs() {
        return List.copyOf(logs.values());
    }

    @Override
    public void deleteLog(final TopicPartition partition) {
        checkOpen();
        final DefaultLog log = logs.remove(partition);
        if (log == null) {
            return;
        }
        final LogDirectory directory = directoryOf(log);
        directory.remove(partition);
        try {
            log.delete();
            directory.checkpointRecoveryPoints();
            directory.checkpointLogStartOffsets();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete log " + partition, e);
        }
    }

    @Override
    public int openSegmentCount() {
        return cache.openCount();
    }

    /** Runs one retention pass over every log now; what the background thread does periodically. */
    void retentionPass() {
        final long nowMs = System.currentTimeMillis();
        final Set<LogDirectory> changed = new HashSet<>();
        for (DefaultLog log : logs.values()) {
            try {
                if (log.enforceRetention(nowMs)) {
                    changed.add(directoryOf(log));
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "retention of " + log.topicPartition() + " failed", e);
            }
        }
        for (LogDirectory directory : changed) {
            try {
                directory.checkpointLogStartOffsets();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot checkpoint log start offsets in " + directory.path(), e);
            }
        }
    }

    /** Runs one producer expiry pass now; what the background thread does periodically. */
    void producerExpirationPass() {
        final long nowMs = System.currentTimeMillis();
        for (DefaultLog log : logs.values()) {
            try {
                final int expired = log.expireProducers(nowMs);
                if (expired > 0) {
                    LOG.log(System.Logger.Level.DEBUG, () -> "Expired " + expired + " producers of "
                            + log.topicPartition());
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "producer expiry of " + log.topicPartition() + " failed", e);
            }
        }
    }

    /** Waits until every background task submitted so far has run; for tests. */
    void awaitBackgroundTasks() throws InterruptedException, ExecutionException {
        background.submit(() -> { }).get();
    }

    /** Runs one flush pass now; what the background thread does periodically. */
    void flushPass() {
        final long nowMs = System.currentTimeMillis();
        for (DefaultLog log : logs.values()) {
            try {
                log.flushIfDue(nowMs);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "flush of " + log.topicPartition() + " failed", e);
            }
        }
        checkpointRecoveryPoints();
        cache.closeIdle(TimeUnit.MILLISECONDS.toNanos(IDLE_SEGMENT_CLOSE_MS));
    }

    private void checkpointRecoveryPoints() {
        for (LogDirectory directory : directories) {
            try {
                directory.checkpointRecoveryPoints();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot checkpoint recovery points in " + directory.path(), e);
            }
        }
    }

    private LogDirectory directoryOf(final DefaultLog log) {
        final Path dir = log.directoryPath();
        for (LogDirectory directory : directories) {
            if (directory.path().equals(dir)) {
                return directory;
            }
        }
        throw new IllegalStateException("log " + log + " is in no known directory");
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("storage is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopBackground();
        final Set<LogDirectory> unflushed = new HashSet<>();
        for (DefaultLog log : logs.values()) {
            boolean flushed;
            try {
                flushed = log.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "closing " + log.topicPartition() + " failed", e);
                flushed = false;
            }
            if (!flushed) {
                unflushed.add(directoryOf(log));
            }
        }
        for (LogDirectory directory : directories) {
            try {
                directory.checkpointRecoveryPoints();
                directory.checkpointLogStartOffsets();
                if (unflushed.contains(directory)) {
                    // the marker would vouch for bytes that may never have reached the disk
                    LOG.log(System.Logger.Level.ERROR, "leaving " + directory.path() + " marked unclean: a log "
                            + "failed its final flush and will be recovered at the next start");
                    directory.unlock();
                } else if (directory.cleanShutdown() || allLoaded(directory)) {
                    directory.closeCleanly();
                } else {
                    // a log never loaded since an unclean start was never recovered: the next start must do it
                    LOG.log(System.Logger.Level.INFO, "leaving " + directory.path() + " marked unclean: some logs "
                            + "were not recovered since the last crash");
                    directory.unlock();
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.ERROR, "cannot close log directory " + directory.path()
                        + " cleanly; its logs will be recovered at the next start", e);
                unlockQuietly(directory);
            }
        }
    }

    private static void unlockQuietly(final LogDirectory directory) {
        try {
            directory.unlock();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot unlock " + directory.path(), e);
        }
    }

    private boolean allLoaded(final LogDirectory directory) {
        for (DefaultLog log : logs.values()) {
            if (!log.isLoaded() && directoryOf(log) == directory) {
                return false;
            }
        }
        return true;
    }

    /**
     * Stops as a crashed process would: no flush, no checkpoint, no clean-shutdown marker; files are closed only so
     * that the same process can open the directories again. For recovery tests.
     */
    void halt() {
        closed = true;
        stopBackground();
        logs.values().forEach(DefaultLog::halt);
        for (LogDirectory directory : directories) {
            try {
                directory.unlock();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot unlock " + directory.path(), e);
            }
        }
    }

    private void stopBackground() {
        // no interrupt: an interrupted thread doing file I/O would close the shared channel under everyone
        background.shutdown();
        try {
            if (!background.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, BACKGROUND_THREAD_NAME + " did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
