package dev.ferry.broker;

import dev.ferry.broker.auth.AuthenticationFailures;
import dev.ferry.broker.network.RequestThrottle;
import dev.ferry.broker.network.TenantAuthentication;
import dev.ferry.broker.network.TenantConnections;
import dev.ferry.broker.network.TenantRequestThrottle;
import dev.ferry.broker.quota.TenantLimits;
import dev.ferry.broker.quota.TenantQuotas;
import dev.ferry.broker.tenant.Application;
import dev.ferry.broker.tenant.Principal;
import dev.ferry.broker.tenant.TenantRegistry;
import dev.ferry.broker.topic.ApplicationStorage;
import dev.ferry.broker.topic.PartitionLimits;
import dev.ferry.broker.topic.StorageQuota;
import dev.ferry.config.FerryConfig;
import dev.ferry.storage.LogManager;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of a broker in {@code auth.mode=tenant}, wired together: the tenant registry that authenticates keys, the
 * per-application quotas, and what enforces them at each layer — connections ({@link TenantAuthentication}), requests
 * ({@link RequestThrottle}), topic creation ({@link PartitionLimits}) and appends ({@link StorageQuota}).
 *
 * <p>An application's topics are those named {@code <application>.*}; that is what its partition and storage quotas
 * count.
 */
final class HostedMode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HostedMode.class);
    private static final long STORAGE_MEASURE_INTERVAL_MS = 1_000;

    private final TenantRegistry registry;
    private final TenantQuotas quotas;
    private final ApplicationStorage storage;
    private final TenantAuthentication authentication;
    private final RequestThrottle throttle;
    private final TenantConnections connections;
    private volatile ScheduledFuture<?> measuring;

    private HostedMode(FerryConfig config, TenantRegistry registry, LogManager logManager) {
        this.registry = registry;
        this.quotas = new TenantQuotas(config, application -> registry.application(application)
                .map(Application::settings).orElse(Map.of()), System::currentTimeMillis);
        this.storage = new ApplicationStorage(logManager, application -> quotas.limits(application).maxStoredBytes());
        this.connections = new TenantConnections(registry, quotas);
        registry.onKeyRevoked(connections::closeConnectionsOf);
        this.authentication = new TenantAuthentication(registry, config.saslEnabledMechanisms(), connections,
                new AuthenticationFailures(System::currentTimeMillis));
        this.throttle = new TenantRequestThrottle(quotas);
    }

    /**
     * Opens the tenant registry in {@code metadataDir} and starts following it.
     *
     * @throws java.io.UncheckedIOException when the registry cannot be read
     * @throws IllegalStateException        when it is corrupt
     */
    static HostedMode open(FerryConfig config, Path metadataDir, LogManager logManager) {
        return new HostedMode(config, TenantRegistry.open(metadataDir), logManager);
    }

    /**
     * Starts measuring what each application stores, every second on {@code scheduler}; at the same pace, the quota
     * meters of deleted applications are let go.
     */
    void startMeasuring(ScheduledExecutorService scheduler) {
        storage.measure();
        measuring = scheduler.scheduleWithFixedDelay(this::everySecond, STORAGE_MEASURE_INTERVAL_MS,
                STORAGE_MEASURE_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /** Each application's {@code max.partitions}, over the topics named with its prefix. */
    PartitionLimits partitionLimits() {
        return topic -> {
            int separator = topic == null ? -1 : topic.indexOf(Principal.RESOURCE_SEPARATOR);
            if (separator <= 0) {
                return null;
            }
            String application = topic.substring(0, separator);
            if (registry.application(application).isEmpty()) {
                return null;
            }
            long max = quotas.limits(application).maxPartitions();
            return TenantLimits.isLimited(max) ? new PartitionLimits.Limit(application + Principal.RESOURCE_SEPARATOR,
                    (int) Math.min(Integer.MAX_VALUE, max), "application " + application) : null;
        };
    }

    StorageQuota storageQuota() {
        return storage;
    }

    TenantAuthentication authentication() {
        return authentication;
    }

    RequestThrottle throttle() {
        return throttle;
    }

    /** Connections refused so far at their application's {@code max.connections}. */
    long connectionsRefusedAtApplicationLimit() {
        return connections.refusedAtApplicationLimit();
    }

    @Override
    public void close() {
        ScheduledFuture<?> task = measuring;
        if (task != null) {
            task.cancel(false);
        }
        registry.close();
    }

    private void everySecond() {
        // an exception would cancel the periodic task
        try {
            storage.measure();
        } catch (RuntimeException e) {
            LOG.warn("Could not measure the applications' stored bytes", e);
        }
        try {
            quotas.forgetDeleted(application -> registry.application(application).isPresent());
        } catch (RuntimeException e) {
            LOG.warn("Could not let go of the quota meters of deleted applications", e);
        }
    }
}
