package dev.ferry.broker.auth;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Slows down guessing: counts recent authentication failures per client address and says how long to hold back the
 * answer to the next one. The first few failures of an address are answered at once (a mistyped key should not wait);
 * past them each failure waits twice as long as the one before, up to a ceiling. An address that stays quiet for
 * {@code forgetAfterMs} starts over.
 *
 * <p>Memory is bounded: only the {@code maxTracked} most recently failing addresses are remembered.
 *
 * <p><b>Thread-safety:</b> safe from any thread; every call takes one short lock.
 */
public final class AuthenticationFailures {

    /** Failures answered without delay. */
    public static final int FREE_FAILURES = 3;
    /** The delay of the first failure past the free ones; doubles with each further failure. */
    public static final long BASE_DELAY_MS = 250;
    /** The longest delay. */
    public static final long MAX_DELAY_MS = 5_000;
    /** How long an address must stay free of failures to start over. */
    public static final long FORGET_AFTER_MS = 60_000;
    private static final int MAX_TRACKED = 10_000;

    private final LongSupplier clockMs;
    private final int maxTracked;
    private final Map<InetAddress, Failures> byAddress;

    public AuthenticationFailures(LongSupplier clockMs) {
        this(clockMs, MAX_TRACKED);
    }

    AuthenticationFailures(LongSupplier clockMs, int maxTracked) {
        this.clockMs = clockMs;
        this.maxTracked = maxTracked;
        this.byAddress = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, Failures> eldest) {
                return size() > AuthenticationFailures.this.maxTracked;
            }
        };
    }

    /**
     * Counts a failure from {@code address} (null when unknown, which is never delayed).
     *
     * @return how many milliseconds to wait before answering it
     */
    public long recordFailure(InetAddress address) {
        if (address == null) {
            return 0;
        }
        long now = clockMs.getAsLong();
        int count;
        synchronized (byAddress) {
            Failures failures = byAddress.get(address);
            if (failures == null || now - failures.lastMs >= FORGET_AFTER_MS) {
                failures = new Failures();
                byAddress.put(address, failures);
            }
            failures.count++;
            failures.lastMs = now;
            count = failures.count;
        }
        return delayAfter(count);
    }

    /** The delay of an address's {@code count}-th recent failure. */
    static long delayAfter(int count) {
        if (count <= FREE_FAILURES) {
            return 0;
        }
        int doublings = Math.min(count - FREE_FAILURES - 1, 30);
        return Math.min(MAX_DELAY_MS, BASE_DELAY_MS << doublings);
    }

    /** How many addresses are remembered. */
    int tracked() {
        synchronized (byAddress) {
            return byAddress.size();
        }
    }

    private static final class Failures {
        int count;
        long lastMs;
    }
}
