package dev.ferry.broker.quota;

import dev.ferry.config.FerryConfig;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures each application's traffic against its {@link TenantLimits} and answers with throttle times, as Kafka's
 * client quota managers do (KIP-219): the caller puts the time in the response's {@code throttle_time_ms} and stops
 * reading the connection until it has passed. One application's usage never affects another's.
 *
 * <p>Byte-rate throttles are not bounded, as in Kafka; the request-rate throttle is bounded by one sample
 * ({@code quota.window.size.seconds}), as Kafka bounds its request quota. An application's limits are its
 * settings over the broker defaults, resolved again only when the registry hands out a new settings map (a reload),
 * so a {@code ferry app set} takes effect at the next call after the broker reloads. A call for a quota without a
 * limit records nothing.
 *
 * <p><b>Thread-safe</b>: per-application state lives in a {@link ConcurrentHashMap}, created on first use; rates
 * are updated under their own monitors and connection counts atomically. Nothing is allocated per call once an
 * application's state exists and its limits are resolved.
 */
public final class TenantQuotas {

    private static final Logger LOG = LoggerFactory.getLogger(TenantQuotas.class);

    private final TenantLimits defaults;
    private final Function<String, Map<String, String>> applicationSettings;
    private final LongSupplier clockMs;
    private final int samples;
    private final long sampleMs;
    private final ConcurrentHashMap<String, ApplicationUsage> usage = new ConcurrentHashMap<>();
    private final Function<String, ApplicationUsage> newUsage;

    /**
     * @param config              the broker defaults ({@code tenant.*}) and the sampling ({@code quota.window.*})
     * @param applicationSettings an application's settings by id, or {@code null} (or empty) when it has none; the
     *                            same map instance for as long as the settings are unchanged
     * @param clockMs             the time in milliseconds
     */
    public TenantQuotas(FerryConfig config, Function<String, Map<String, String>> applicationSettings,
                        LongSupplier clockMs) {
        this.defaults = TenantLimits.defaults(config);
        this.applicationSettings = applicationSettings;
        this.clockMs = clockMs;
        this.samples = config.quotaWindowNum();
        this.sampleMs = config.quotaWindowSizeSeconds() * 1000L;
        this.newUsage = app -> new ApplicationUsage(samples, sampleMs);
    }

    /**
     * Records a produce request of {@code bytes} (its size on the wire).
     *
     * @return the throttle time in milliseconds; 0 when within {@code producer.byte.rate}
     */
    public int recordProduce(String app, long bytes) {
        ApplicationUsage state = state(app);
        return record(state.produce, bytes, limits(app, state).producerByteRate(), Long.MAX_VALUE);
    }

    /**
     * The throttle time a fetch would get now, recording nothing: when positive, the fetch is answered at once
     * without records, with this throttle time.
     */
    public int fetchThrottleMs(String app) {
        ApplicationUsage state = state(app);
        long limit = limits(app, state).consumerByteRate();
        if (!TenantLimits.isLimited(limit)) {
            return 0;
        }
        return clamp(state.fetch.throttleMs(limit, clockMs.getAsLong(), Long.MAX_VALUE));
    }

    /**
     * Records a fetch response carrying {@code bytes} of records.
     *
     * @return the throttle time in milliseconds; 0 when within {@code consumer.byte.rate}
     */
    public int recordFetch(String app, long bytes) {
        ApplicationUsage state = state(app);
        return record(state.fetch, bytes, limits(app, state).consumerByteRate(), Long.MAX_VALUE);
    }

    /**
     * Records one request, of any kind.
     *
     * @return the throttle time in milliseconds, at most one sample long; 0 when within {@code request.rate}
     */
    public int recordRequest(String app) {
        ApplicationUsage state = state(app);
        return record(state.requests, 1, limits(app, state).requestRate(), sampleMs);
    }

    /**
     * Counts a newly authenticated connection of {@code app}, unless it already has {@code max.connections} open.
     * Every {@code true} must be matched by one {@link #connectionClosed} when the connection ends.
     *
     * @return false when the application is at its limit: the connection is to be closed, and is not counted
     */
    public boolean tryOpenConnection(String app) {
        ApplicationUsage state = state(app);
        long limit = limits(app, state).maxConnections();
        while (true) {
            long open = state.connections.get();
            if (open >= limit) {
                return false;
            }
            if (state.connections.compareAndSet(open, open + 1)) {
                return true;
            }
        }
    }

    /** Uncounts a connection {@link #tryOpenConnection} counted. */
    public void connectionClosed(String app) {
        state(app).connections.updateAndGet(open -> open > 0 ? open - 1 : 0);
    }

    /** The authenticated connections of {@code app} counted open. */
    public long openConnections(String app) {
        return state(app).connections.get();
    }

    /**
     * Forgets what it keeps of applications that {@code exists} no longer knows (deleted ones), once none of their
     * connections is open; otherwise every application ever seen would keep its meters while the broker runs. A
     * request of a deleted application still in flight may bring an entry back, for the next call to forget.
     */
    public void forgetDeleted(Predicate<String> exists) {
        usage.forEach((app, state) -> {
            if (state.connections.get() == 0 && !exists.test(app)) {
                usage.remove(app, state);
            }
        });
    }

    /** How many applications' usage is kept. */
    int trackedApplications() {
        return usage.size();
    }

    /**
     * The limits {@code app} is held to now: its settings over the broker defaults. An invalid setting in the
     * registry (which {@code ferry app set} would have refused) is logged once and the defaults apply.
     */
    public TenantLimits limits(String app) {
        return limits(app, state(app));
    }

    private TenantLimits limits(String app, ApplicationUsage state) {
        Map<String, String> settings = applicationSettings.apply(app);
        if (settings == null) {
            settings = Map.of();
        }
        ResolvedLimits resolved = state.resolved;
        // identity, not equality: the registry makes new maps on reload, so this costs one comparison per call
        if (resolved != null && resolved.settings == settings) {
            return resolved.limits;
        }
        TenantLimits limits;
        try {
            limits = defaults.withOverrides(settings);
        } catch (IllegalArgumentException e) {
            LOG.warn("Application {} has an invalid setting, its broker defaults apply: {}", app, e.getMessage());
            limits = defaults;
        }
        state.resolved = new ResolvedLimits(settings, limits);
        return limits;
    }

    private ApplicationUsage state(String app) {
        ApplicationUsage state = usage.get(app);
        return state != null ? state : usage.computeIfAbsent(app, newUsage);
    }

    /** Records {@code amount} against {@code limit} on {@code rate}; the throttle time, 0 when unlimited or within. */
    private int record(SampledRate rate, long amount, long limit, long maxThrottleMs) {
        if (!TenantLimits.isLimited(limit)) {
            return 0;
        }
        return clamp(rate.recordAndThrottleMs(amount, limit, clockMs.getAsLong(), maxThrottleMs));
    }

    private static int clamp(long throttleMs) {
        return (int) Math.min(throttleMs, Integer.MAX_VALUE);
    }

    /** The limits resolved from one settings map. */
    private record ResolvedLimits(Map<String, String> settings, TenantLimits limits) {
    }

    /** One application's meters and open connections. */
    private static final class ApplicationUsage {

        final SampledRate produce;
        final SampledRate fetch;
        final SampledRate requests;
        final AtomicLong connections = new AtomicLong();
        volatile ResolvedLimits resolved;

        ApplicationUsage(int samples, long sampleMs) {
            this.produce = new SampledRate(samples, sampleMs);
            this.fetch = new SampledRate(samples, sampleMs);
            this.requests = new SampledRate(samples, sampleMs);
        }
    }
}
