package dev.ferry.broker;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.ferry.config.FerryConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up check of the process's open-file limit ({@code ulimit -n}) against the file descriptors the broker
 * needs, so that a broker whose limit is too low fails at start with a message saying what to raise, rather than
 * later with "Too many open files" when a segment or a connection cannot be opened.
 *
 * <p>What the broker needs: one descriptor per client connection, up to {@code max.connections}; one per open
 * segment ({@value #FILES_PER_OPEN_SEGMENT}: the segment's log file; its offset and time indexes are memory-mapped and
 * their descriptors closed once mapped), up to {@code log.max.open.segments}; and {@value #FIXED_RESERVE} for the
 * rest: the JVM and its jar, the event loops' epoll descriptors, the listeners, the metrics endpoint, the log
 * directories' locks, the committed-offsets journal, and files opened briefly (checkpoints, snapshots, index
 * rebuilds). A broker serving one topic to two clients has about 30 descriptors open.
 *
 * <p>With {@code max.connections} set, a limit below that sum fails the start. With the default (unlimited)
 * {@code max.connections}, nothing can be computed, and a limit below {@value #LOW_LIMIT} is only warned about: the
 * number of connections is then capped by the limit itself.
 *
 * <p>Immutable and thread-safe.
 *
 * @param limit           the process's open-file limit
 * @param maxConnections  {@code max.connections}; {@link Integer#MAX_VALUE} for no limit
 * @param maxOpenSegments {@code log.max.open.segments}
 */
public record FileDescriptorLimit(long limit, int maxConnections, int maxOpenSegments) {

    /** Descriptors an open segment holds: its log file. */
    public static final int FILES_PER_OPEN_SEGMENT = 1;
    /** Descriptors kept for everything but connections and segments. */
    public static final int FIXED_RESERVE = 1024;
    /** Below this limit, a broker without {@code max.connections} warns that the limit caps its connections. */
    public static final long LOW_LIMIT = 65_536;

    private static final Logger LOG = LoggerFactory.getLogger(FileDescriptorLimit.class);

    /**
     * Checks this process's open-file limit against what {@code config} needs; does nothing where the limit cannot be
     * read (not a Unix JVM).
     *
     * @throws IllegalStateException when {@code max.connections} is set and the limit is below what it needs
     */
    public static void check(FerryConfig config) {
        OptionalLong limit = processLimit();
        if (limit.isEmpty()) {
            return;
        }
        FileDescriptorLimit check = new FileDescriptorLimit(limit.getAsLong(), config.maxConnections(),
                config.logMaxOpenSegments());
        Optional<String> failure = check.failure();
        if (failure.isPresent()) {
            throw new IllegalStateException(failure.get());
        }
        check.warning().ifPresent(warning -> LOG.warn("{}", warning));
    }

    /** The open-file limit of this process, as the JVM has set it; empty when the platform does not say. */
    static OptionalLong processLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean unix
                ? OptionalLong.of(unix.getMaxFileDescriptorCount()) : OptionalLong.empty();
    }

    /** Whether {@code max.connections} is set, rather than left unlimited. */
    public boolean connectionsLimited() {
        return maxConnections != Integer.MAX_VALUE;
    }

    /** Descriptors needed besides connections: open segments and the fixed reserve. */
    public long neededBesideConnections() {
        return (long) maxOpenSegments * FILES_PER_OPEN_SEGMENT + FIXED_RESERVE;
    }

    /** Descriptors needed with {@code max.connections} connections open; meaningful only when they are limited. */
    public long needed() {
        return maxConnections + neededBesideConnections();
    }

    /** Why the broker must not start: {@code max.connections} is set and the limit cannot hold it. */
    public Optional<String> failure() {
        if (!connectionsLimited() || limit >= needed()) {
            return Optional.empty();
        }
        return Optional.of("The open-file limit of the broker's process is " + limit + ", but max.connections="
                + maxConnections + " needs " + needed() + " file descriptors (" + maxConnections + " connections + "
                + maxOpenSegments + " open segments of log.max.open.segments + " + FIXED_RESERVE + " for the rest). "
                + "Raise the limit to at least " + needed() + " (ulimit -n " + needed() + " in the shell that starts "
                + "the broker, LimitNOFILE= in a systemd unit, --ulimit nofile= for Docker), or lower max.connections "
                + "or log.max.open.segments.");
    }

    /** What to warn about when {@code max.connections} is unlimited and the limit is low. */
    public Optional<String> warning() {
        if (connectionsLimited() || limit >= LOW_LIMIT) {
            return Optional.empty();
        }
        long connections = Math.max(0, limit - neededBesideConnections());
        return Optional.of("The open-file limit of the broker's process is " + limit + " (ulimit -n): with "
                + maxOpenSegments + " segments open (log.max.open.segments) it leaves room for about " + connections
                + " client connections, beyond which new connections fail with \"Too many open files\". Raise it "
                + "to at least " + LOW_LIMIT + ", or set max.connections so that the broker checks it at start.");
    }
}
