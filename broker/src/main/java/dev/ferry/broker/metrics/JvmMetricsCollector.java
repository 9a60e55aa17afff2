package dev.ferry.broker.metrics;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.function.Predicate;

/**
 * The JVM's own metrics (memory, garbage collection, threads, classes, process CPU and files), registered once per
 * JVM and shared by every broker registry in it. Registering them per broker would pile up: the JVM instrumentation
 * adds JVM-wide notification listeners and keeps every registry it was registered with for good.
 *
 * <p><b>Thread-safety:</b> safe from any thread.
 */
final class JvmMetricsCollector implements MultiCollector {

    static final JvmMetricsCollector INSTANCE = new JvmMetricsCollector();

    private JvmMetricsCollector() {
    }

    @Override
    public MetricSnapshots collect() {
        return Jvm.REGISTRY.scrape();
    }

    @Override
    public MetricSnapshots collect(PrometheusScrapeRequest scrapeRequest) {
        return Jvm.REGISTRY.scrape(scrapeRequest);
    }

    @Override
    public MetricSnapshots collect(Predicate<String> includedNames) {
        return Jvm.REGISTRY.scrape(includedNames);
    }

    @Override
    public MetricSnapshots collect(Predicate<String> includedNames, PrometheusScrapeRequest scrapeRequest) {
        return Jvm.REGISTRY.scrape(includedNames, scrapeRequest);
    }

    /** Registers the JVM metrics on first use. */
    private static final class Jvm {
        static final PrometheusRegistry REGISTRY = jvmRegistry();

        private static PrometheusRegistry jvmRegistry() {
            PrometheusRegistry registry = new PrometheusRegistry();
            JvmMetrics.builder().register(registry);
            return registry;
        }
    }
}
