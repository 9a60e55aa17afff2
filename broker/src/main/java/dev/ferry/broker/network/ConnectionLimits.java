package dev.ferry.broker.network;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker-wide connection limits, Kafka's {@code max.connections} over all listeners and
 * {@code max.connections.per.ip}: admits a new connection when both leave room for it, and counts it until it closes.
 * A connection refused here is closed by the caller at once, before any handler is built for it; unlike Kafka, whose
 * acceptor stops accepting at {@code max.connections} and leaves new connections waiting in the listen backlog, no
 * connection waits for a slot.
 *
 * <p>Refusals are logged at most once every ten seconds, the line saying how many were refused since the previous
 * one, so that a flood of connections cannot flood the log as well.
 *
 * <p><b>Thread-safety:</b> safe from any thread; event loops admit and release concurrently. Admitting allocates
 * nothing unless a per-address limit is set.
 */
public final class ConnectionLimits {

    static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    // before NONE, whose log refers to it
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimits.class);

    /** No limit at all, for brokers and tests that set none. */
    public static final ConnectionLimits NONE = new ConnectionLimits(Integer.MAX_VALUE, Integer.MAX_VALUE);

    private final int maxConnections;
    private final int maxConnectionsPerIp;
    private final LongSupplier nanoClock;
    private final Consumer<String> log;
    private final AtomicInteger open = new AtomicInteger();
    /** Open connections by remote address; kept only when {@code max.connections.per.ip} is set. */
    private final ConcurrentMap<InetAddress, Integer> openByAddress = new ConcurrentHashMap<>();
    private final AtomicLong refusedSinceLog = new AtomicLong();
    private final AtomicLong refusedAtMaxConnections = new AtomicLong();
    private final AtomicLong refusedAtMaxConnectionsPerIp = new AtomicLong();
    private final AtomicLong nextLogNanos;

    /**
     * @param maxConnections      {@code max.connections}: most connections open at once; 0 refuses every connection
     * @param maxConnectionsPerIp {@code max.connections.per.ip}: most connections open at once from one address
     */
    public ConnectionLimits(int maxConnections, int maxConnectionsPerIp) {
        this(maxConnections, maxConnectionsPerIp, System::nanoTime, LOG::warn);
    }

    /** @param log where the rate-limited refusal lines go */
    ConnectionLimits(int maxConnections, int maxConnectionsPerIp, LongSupplier nanoClock, Consumer<String> log) {
        if (maxConnections < 0 || maxConnectionsPerIp < 1) {
            throw new IllegalArgumentException("limits must be at least 0 and 1, were " + maxConnections + " and "
                    + maxConnectionsPerIp);
        }
        this.maxConnections = maxConnections;
        this.maxConnectionsPerIp = maxConnectionsPerIp;
        this.nanoClock = nanoClock;
        this.log = log;
        this.nextLogNanos = new AtomicLong(nanoClock.getAsLong());
    }

    /**
     * Admits a connection from {@code address} if both limits leave room for it. An admitted connection must be
     * released with {@link #closed} exactly once; a refused one is logged (rate-limited) and must be closed by the
     * caller without calling {@code closed}.
     *
     * @param address  the remote address; null when unknown, then only {@code max.connections} applies
     * @param listener the listener it arrived on, for the log
     * @return whether the connection is admitted
     */
    public boolean tryOpen(InetAddress address, String listener) {
        if (!tryIncrementOpen()) {
            refusedAtMaxConnections.incrementAndGet();
            refused(address, listener, "the broker has reached max.connections=" + maxConnections);
            return false;
        }
        if (address != null && perAddressLimited() && !tryIncrementAddress(address)) {
            open.decrementAndGet();
            refusedAtMaxConnectionsPerIp.incrementAndGet();
            refused(address, listener, "the address has reached max.connections.per.ip=" + maxConnectionsPerIp);
            return false;
        }
        return true;
    }

    /** Releases a connection {@link #tryOpen} admitted, once it has closed; {@code address} as given to it. */
    public void closed(InetAddress address) {
        if (address != null && perAddressLimited()) {
            openByAddress.computeIfPresent(address, (key, count) -> count == 1 ? null : count - 1);
        }
        open.decrementAndGet();
    }

    /** Connections refused so far because {@code max.connections} was reached. */
    public long refusedAtMaxConnections() {
        return refusedAtMaxConnections.get();
    }

    /** Connections refused so far because their address had reached {@code max.connections.per.ip}. */
    public long refusedAtMaxConnectionsPerIp() {
        return refusedAtMaxConnectionsPerIp.get();
    }

    /** How many admitted connections are open. */
    public int openConnections() {
        return open.get();
    }

    private boolean tryIncrementOpen() {
        for (;;) {
            int current = open.get();
            if (current >= maxConnections) {
                return false;
            }
            if (open.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    private boolean tryIncrementAddress(InetAddress address) {
        boolean[] admitted = new boolean[1];
        openByAddress.compute(address, (key, count) -> {
            int current = count == null ? 0 : count;
            admitted[0] = current < maxConnectionsPerIp;
            return admitted[0] ? current + 1 : count;
        });
        return admitted[0];
    }

    private boolean perAddressLimited() {
        return maxConnectionsPerIp != Integer.MAX_VALUE;
    }

    private void refused(InetAddress address, String listener, String reason) {
        refusedSinceLog.incrementAndGet();
        long now = nanoClock.getAsLong();
        long due = nextLogNanos.get();
        // one thread wins this interval's line; the others only count, and a refusal counted after the line is
        // reported in the next one
        if (now - due >= 0 && nextLogNanos.compareAndSet(due, now + LOG_INTERVAL_NANOS)) {
            String from = address == null ? "an unknown address" : address.getHostAddress();
            log.accept("Closed a new connection from " + from + " on listener " + listener + ": " + reason + " ("
                    + refusedSinceLog.getAndSet(0) + " connection(s) refused since the last such line)");
        }
    }
}
