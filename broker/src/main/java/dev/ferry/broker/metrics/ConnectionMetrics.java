package dev.ferry.broker.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;

/**
 * The connection meters of one listener: connections open now, accepted and closed.
 *
 * <p><b>Thread-safety:</b> safe from any thread; allocates nothing.
 */
public final class ConnectionMetrics {

    private final GaugeDataPoint open;
    private final CounterDataPoint opened;
    private final CounterDataPoint closed;

    ConnectionMetrics(GaugeDataPoint open, CounterDataPoint opened, CounterDataPoint closed) {
        this.open = open;
        this.opened = opened;
        this.closed = closed;
    }

    /** A connection was accepted. */
    public void opened() {
        opened.inc();
        open.inc();
    }

    /** A connection counted by {@link #opened()} was closed; call once per connection. */
    public void closed() {
        closed.inc();
        open.dec();
    }
}
