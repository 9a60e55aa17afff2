package dev.ferry.broker.metrics;

import dev.ferry.broker.group.GroupCoordinator;
import dev.ferry.broker.topic.TopicManager;
import dev.ferry.storage.LogManager;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Every metric the broker exports, in one place: names, help texts and labels, and the registry holding them.
 *
 * <p>Names follow the Prometheus conventions: the {@code ferry_} prefix, base units ({@code _seconds},
 * {@code _bytes}), {@code _total} on counters. Every label has a bounded set of values:
 * <ul>
 *   <li>{@value #API}: Kafka's API names; {@value #VERSION}: the versions the broker serves; {@value #ERROR}: Kafka's
 *       error names;</li>
 *   <li>{@value #TOPIC}: one value per topic, or only {@value #ALL_TOPICS} when {@code metrics.topic.labels.enabled}
 *       is off; the series of a deleted topic are retired at the next scrape;</li>
 *   <li>{@value #APPLICATION}: the application (tenant) a client authenticated as, in hosted mode; on an open broker
 *       every client counts under {@link #NO_APPLICATION};</li>
 *   <li>{@value #LISTENER}: the listener names; {@value #GROUP}: the consumer groups.</li>
 * </ul>
 *
 * <p>Meters are created once, never per request: the data point of each API and version, error, listener,
 * application and topic is looked up the first time it is needed and kept, so recording allocates nothing on the
 * request path. Gauges of state (partitions, stored bytes, consumer lag) are computed when scraped. The JVM's own
 * metrics are included.
 *
 * <p><b>Thread-safety:</b> safe to use from any thread.
 */
public final class BrokerMetrics {

    /** Label: the Kafka API of a request, e.g. {@code Produce}. */
    public static final String API = "api";
    /** Label: the API version of a request. */
    public static final String VERSION = "version";
    /** Label: the name of a Kafka error code, e.g. {@code UNKNOWN_TOPIC_OR_PARTITION}. */
    public static final String ERROR = "error";
    /** Label: the application (tenant) of the client. */
    public static final String APPLICATION = "application";
    /** Label: a topic's name. */
    public static final String TOPIC = "topic";
    /** Label: the listener a connection arrived on. */
    public static final String LISTENER = "listener";
    /** Label: a consumer group's id. */
    public static final String GROUP = "group";

    /** The application of every client of an open broker, which tells no applications apart. */
    public static final String NO_APPLICATION = "";
    /** The topic label of per-topic series when topic labels are off: all topics add up under it. */
    public static final String ALL_TOPICS = "";

    /** Counter: requests handled, by {@value #API} and {@value #VERSION}. */
    public static final String REQUESTS = "ferry_requests_total";
    /** Histogram: seconds from reading a request to handing its response to the socket, by {@value #API}. */
    public static final String REQUEST_DURATION = "ferry_request_duration_seconds";
    /** Counter: error codes in responses, one per failed entity (partition, topic, group...), by API and error. */
    public static final String REQUEST_ERRORS = "ferry_request_errors_total";
    /** Histogram: seconds clients were asked to back off for quota violations. */
    public static final String THROTTLE_TIME = "ferry_request_throttle_time_seconds";
    /** Counter: record bytes appended by Produce, by {@value #APPLICATION} and {@value #TOPIC}. */
    public static final String BYTES_IN = "ferry_produced_bytes_total";
    /** Counter: records appended by Produce, by {@value #APPLICATION} and {@value #TOPIC}. */
    public static final String RECORDS_IN = "ferry_produced_records_total";
    /** Counter: record bytes sent in Fetch responses, by {@value #APPLICATION} and {@value #TOPIC}. */
    public static final String BYTES_OUT = "ferry_fetched_bytes_total";
    /** Counter: records sent in Fetch responses (whole batches), by {@value #APPLICATION} and {@value #TOPIC}. */
    public static final String RECORDS_OUT = "ferry_fetched_records_total";
    /** Gauge: open client connections, by {@value #LISTENER}. */
    public static final String CONNECTIONS = "ferry_connections";
    /** Counter: connections accepted, by {@value #LISTENER}. */
    public static final String CONNECTIONS_OPENED = "ferry_connections_opened_total";
    /** Counter: connections closed, by {@value #LISTENER}. */
    public static final String CONNECTIONS_CLOSED = "ferry_connections_closed_total";
    /** Counter: connections closed because a connection limit was reached, by {@value #LIMIT}. */
    public static final String CONNECTIONS_REFUSED = "ferry_connections_refused_total";
    /** Label: the connection limit that refused a connection, by its setting's name. */
    public static final String LIMIT = "limit";
    /** Gauge: partitions of all topics. */
    public static final String PARTITIONS = "ferry_partitions";
    /** Gauge: bytes of the partition logs on disk, by {@value #TOPIC}. */
    public static final String LOG_SIZE = "ferry_log_size_bytes";
    /** Gauge: records a consumer group has yet to consume, summed over the partitions it committed, by group. */
    public static final String CONSUMER_GROUP_LAG = "ferry_consumer_group_lag";

    /** From half a millisecond (an in-memory answer) to half a minute (a rebalance), in seconds. */
    private static final double[] DURATION_BUCKETS = {
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
    };
    private static final double[] THROTTLE_BUCKETS = {0.01, 0.1, 1, 10, 60};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final boolean topicLabels;
    private final TrafficMeters traffic;
    private final RequestRecorder requests;
    private final Gauge connections;
    private final Counter connectionsOpened;
    private final Counter connectionsClosed;

    /**
     * Creates and registers every metric but the state gauges (see {@link #watch}).
     *
     * @param topicLabelsEnabled {@code metrics.topic.labels.enabled}
     * @param topicNameById      the name of the topic with an id, or null when there is none; used to label the
     *                           traffic of requests that name topics by id
     */
    public BrokerMetrics(boolean topicLabelsEnabled, Function<UUID, String> topicNameById) {
        this.topicLabels = topicLabelsEnabled;
        Counter requestCount = Counter.builder().name(REQUESTS)
                .help("Requests handled, by API and version.")
                .labelNames(API, VERSION).withoutExemplars().register(registry);
        Histogram duration = Histogram.builder().name(REQUEST_DURATION).unit(Unit.SECONDS)
                .help("Time from reading a request to handing its response to the socket, by API.")
                .labelNames(API).classicOnly().classicUpperBounds(DURATION_BUCKETS).withoutExemplars()
                .register(registry);
        Counter errors = Counter.builder().name(REQUEST_ERRORS)
                .help("Error codes in responses, one per partition, topic, group or request that failed, by API "
                        + "and error.")
                .labelNames(API, ERROR).withoutExemplars().register(registry);
        Histogram throttleTime = Histogram.builder().name(THROTTLE_TIME).unit(Unit.SECONDS)
                .help("Time clients were asked to wait for exceeding a quota (hosted mode), per throttled request.")
                .classicOnly().classicUpperBounds(THROTTLE_BUCKETS).withoutExemplars().register(registry);
        traffic = new TrafficMeters(topicLabelsEnabled, topicNameById,
                trafficCounter(BYTES_IN, Unit.BYTES, "Record bytes appended by Produce requests."),
                trafficCounter(RECORDS_IN, null, "Records appended by Produce requests."),
                trafficCounter(BYTES_OUT, Unit.BYTES, "Record bytes sent in Fetch responses."),
                trafficCounter(RECORDS_OUT, null, "Records sent in Fetch responses, counting whole batches."));
        requests = new RequestRecorder(requestCount, duration, errors, throttleTime, traffic);
        connections = Gauge.builder().name(CONNECTIONS)
                .help("Open client connections, by listener.")
                .labelNames(LISTENER).withoutExemplars().register(registry);
        connectionsOpened = Counter.builder().name(CONNECTIONS_OPENED)
                .help("Client connections accepted, by listener.")
                .labelNames(LISTENER).withoutExemplars().register(registry);
        connectionsClosed = Counter.builder().name(CONNECTIONS_CLOSED)
                .help("Client connections closed, by listener.")
                .labelNames(LISTENER).withoutExemplars().register(registry);
        registry.register(JvmMetricsCollector.INSTANCE);
    }

    /** The registry to expose; it holds every metric of this broker and the JVM's. */
    public PrometheusRegistry registry() {
        return registry;
    }

    /** What the network layer reports requests to. */
    public RequestMetrics requests() {
        return requests;
    }

    /** The connection meters of one listener; call once per listener, when its pipeline is built. */
    public ConnectionMetrics connections(String listener) {
        return new ConnectionMetrics(connections.labelValues(listener), connectionsOpened.labelValues(listener),
                connectionsClosed.labelValues(listener));
    }

    /**
     * Registers the gauges computed at scrape time from the broker's state: {@value #PARTITIONS}, {@value #LOG_SIZE}
     * and {@value #CONSUMER_GROUP_LAG}. Call once. Each scrape also retires the traffic series of deleted topics.
     */
    public void watch(TopicManager topics, LogManager logs, GroupCoordinator groups) {
        StateGauges state = new StateGauges(topics, logs, groups, topicLabels, traffic);
        GaugeWithCallback.builder().name(PARTITIONS)
                .help("Partitions of all topics.")
                .callback(state::partitions).register(registry);
        GaugeWithCallback.builder().name(LOG_SIZE).unit(Unit.BYTES)
                .help("Bytes of the partition logs on disk, by topic.")
                .labelNames(TOPIC).callback(state::logSizes).register(registry);
        GaugeWithCallback.builder().name(CONSUMER_GROUP_LAG)
                .help("Records a consumer group has yet to consume: the log end offset minus the committed offset, "
                        + "summed over the partitions the group has committed offsets for.")
                .labelNames(GROUP).callback(state::groupLags).register(registry);
    }

    /**
     * Registers {@value #CONNECTIONS_REFUSED}, read at scrape time from the running totals of refusals: at
     * {@code max.connections} and at {@code max.connections.per.ip}, and in hosted mode at an application's own limit
     * ({@code tenant.max.connections}, or its {@code max.connections}). Call once.
     *
     * @param refusedAtApplicationLimit null when the broker is not in hosted mode
     */
    public void watchConnectionLimits(LongSupplier refusedAtMaxConnections, LongSupplier refusedAtMaxConnectionsPerIp,
                                      LongSupplier refusedAtApplicationLimit) {
        CounterWithCallback.builder().name(CONNECTIONS_REFUSED)
                .help("Connections closed because a connection limit was reached, by limit: max.connections and "
                        + "max.connections.per.ip as soon as accepted, tenant.max.connections (an application's "
                        + "limit) once authenticated.")
                .labelNames(LIMIT)
                .callback(callback -> {
                    callback.call(refusedAtMaxConnections.getAsLong(), "max.connections");
                    callback.call(refusedAtMaxConnectionsPerIp.getAsLong(), "max.connections.per.ip");
                    if (refusedAtApplicationLimit != null) {
                        callback.call(refusedAtApplicationLimit.getAsLong(), "tenant.max.connections");
                    }
                }).register(registry);
    }

    private Counter trafficCounter(String name, Unit unit, String help) {
        Counter.Builder builder = Counter.builder().name(name).help(help + " By application and topic.")
                .labelNames(APPLICATION, TOPIC).withoutExemplars();
        if (unit != null) {
            builder.unit(unit);
        }
        return builder.register(registry);
    }
}
