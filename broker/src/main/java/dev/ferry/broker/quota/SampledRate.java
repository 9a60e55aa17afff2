package dev.ferry.broker.quota;

/**
 * A rate measured as Kafka measures quota rates (a {@code Rate} over a windowed sum): amounts are added to samples of
 * {@code sampleMs} each, and the rate is the sum of the samples that saw an event in the last
 * {@code samples * sampleMs}, divided by the time since the oldest of them began, counted as at least
 * {@code samples - 1} whole samples so that a burst in a young window does not read as an enormous rate.
 *
 * <p>A sample begins at the first event after the previous one is complete, so idle time between samples is not
 * counted; a sample that saw no event for {@code samples * sampleMs} is reset. One sample more than
 * {@code samples} is kept, as Kafka does, for the sample that began before the measured window but overlaps it.
 *
 * <p>The throttle time that brings an observed rate {@code O} back to a limit {@code L} over the measured window
 * {@code W}, assuming nothing more is recorded meanwhile, is the {@code X} such that {@code O * W / (W + X) = L}:
 * {@code X = (O - L) / L * W}.
 *
 * <p><b>Thread-safe</b>: every method holds this instance's monitor for a few arithmetic operations. <b>Allocates
 * nothing</b> after construction. Times are passed in, in milliseconds of any monotonic-enough clock.
 */
final class SampledRate {

    private final int samples;
    private final long sampleMs;
    private final long[] startMs;
    private final long[] lastEventMs;
    private final long[] sums;
    private int used;
    private int current;

    /**
     * @param samples  samples the rate is measured over, Kafka's {@code quota.window.num}; at least 1
     * @param sampleMs length of one sample, Kafka's {@code quota.window.size.seconds} in milliseconds; at least 1
     */
    SampledRate(int samples, long sampleMs) {
        if (samples < 1 || sampleMs < 1) {
            throw new IllegalArgumentException("samples and sample length must be positive: " + samples + ", "
                    + sampleMs);
        }
        this.samples = samples;
        this.sampleMs = sampleMs;
        int slots = samples + 1;
        this.startMs = new long[slots];
        this.lastEventMs = new long[slots];
        this.sums = new long[slots];
    }

    /** Adds {@code amount} at {@code nowMs}. */
    synchronized void record(long amount, long nowMs) {
        if (used == 0) {
            used = 1;
            current = 0;
            reset(0, nowMs);
        } else if (nowMs - startMs[current] >= sampleMs) {
            current = (current + 1) % startMs.length;
            if (current == used) {
                used++;
            }
            reset(current, nowMs);
        }
        sums[current] += amount;
        lastEventMs[current] = nowMs;
    }

    /** The rate at {@code nowMs}, per second. */
    synchronized double ratePerSecond(long nowMs) {
        purgeObsolete(nowMs);
        long sum = 0;
        for (int i = 0; i < used; i++) {
            sum += sums[i];
        }
        return sum * 1000.0 / windowMs(nowMs);
    }

    /**
     * The time the rate is measured over at {@code nowMs}, in milliseconds: since the oldest live sample began, and
     * at least {@code samples - 1} whole samples plus the part of the current one elapsed; never below 1.
     */
    synchronized long windowMs(long nowMs) {
        purgeObsolete(nowMs);
        long oldestStartMs = nowMs;
        for (int i = 0; i < used; i++) {
            oldestStartMs = Math.min(oldestStartMs, startMs[i]);
        }
        long elapsedMs = nowMs - oldestStartMs;
        long wholeSamples = elapsedMs / sampleMs;
        if (wholeSamples < samples - 1) {
            elapsedMs += (samples - 1 - wholeSamples) * sampleMs;
        }
        return Math.max(elapsedMs, 1);
    }

    /**
     * The throttle time, in milliseconds, that brings the rate at {@code nowMs} back to {@code limitPerSecond}; 0
     * when the rate does not exceed it. Records nothing.
     *
     * @param maxThrottleMs the most to return (Kafka bounds the request-rate throttle by one sample)
     */
    synchronized long throttleMs(long limitPerSecond, long nowMs, long maxThrottleMs) {
        double rate = ratePerSecond(nowMs);
        if (rate <= limitPerSecond) {
            return 0;
        }
        double throttle = (rate - limitPerSecond) / limitPerSecond * windowMs(nowMs);
        return Math.min(Math.round(throttle), maxThrottleMs);
    }

    /** {@link #record} then {@link #throttleMs}, under one hold of the monitor. */
    synchronized long recordAndThrottleMs(long amount, long limitPerSecond, long nowMs, long maxThrottleMs) {
        record(amount, nowMs);
        return throttleMs(limitPerSecond, nowMs, maxThrottleMs);
    }

    /** Resets every sample without an event in the whole measured window; it then begins at {@code nowMs}. */
    private void purgeObsolete(long nowMs) {
        long expireMs = samples * sampleMs;
        for (int i = 0; i < used; i++) {
            if (nowMs - lastEventMs[i] >= expireMs) {
                reset(i, nowMs);
            }
        }
    }

    private void reset(int slot, long nowMs) {
        startMs[slot] = nowMs;
        lastEventMs[slot] = nowMs;
        sums[slot] = 0;
    }
}
