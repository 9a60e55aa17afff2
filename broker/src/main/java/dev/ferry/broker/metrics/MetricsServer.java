package dev.ferry.broker.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's HTTP endpoint for operators, on {@code metrics.host:metrics.port}:
 * <ul>
 *   <li>{@value #METRICS_PATH}: every metric of a registry, in the Prometheus text format (or OpenMetrics or
 *       protobuf when the scraper asks for them);</li>
 *   <li>{@value #HEALTH_PATH}: 200 {@code ok} while the broker serves clients, 503 {@code stopping} from the moment it
 *       starts shutting down. It is both the liveness and the readiness check: the endpoint starts only once every
 *       listener accepts connections, so a broker that answers 200 is up and ready, and one that does not answer at
 *       all is starting or dead.</li>
 * </ul>
 * Any other path is 404.
 *
 * <p>Requests are served by two daemon threads of its own, never the broker's network or request threads.
 *
 * <p><b>Thread-safety:</b> safe from any thread; {@link #close()} is idempotent.
 */
public final class MetricsServer implements AutoCloseable {

    public static final String METRICS_PATH = "/metrics";
    public static final String HEALTH_PATH = "/health";

    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
    private static final int THREADS = 2;
    private static final int OK = 200;
    private static final int NOT_FOUND = 404;
    private static final int METHOD_NOT_ALLOWED = 405;
    private static final int UNAVAILABLE = 503;
    private static final int NO_BODY = -1;

    private final HttpServer server;
    private final ExecutorService executor;
    private volatile boolean stopping;
    private volatile boolean closed;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds {@code host:port} and starts serving {@code registry}.
     *
     * @param host the address to bind, empty for every interface; an IPv6 address may be bracketed
     * @param port the port, 0 for a free one
     * @throws IllegalStateException when the address cannot be bound (the message names it)
     */
    public static MetricsServer start(String host, int port, PrometheusRegistry registry) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetSocketAddress address = bare.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(bare, port);
        HttpServer server;
        try {
            if (address.isUnresolved()) {
                throw new IOException("unknown host " + host);
            }
            server = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot bind the metrics endpoint to " + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, daemonThreads());
        MetricsServer metrics = new MetricsServer(server, executor);
        MetricsHandler scrape = new MetricsHandler(registry);
        server.createContext(METRICS_PATH, exchange -> metrics.serve(exchange, METRICS_PATH, scrape));
        server.createContext(HEALTH_PATH, exchange -> metrics.serve(exchange, HEALTH_PATH, metrics::health));
        server.createContext("/", exchange -> reply(exchange, NOT_FOUND, "not found"));
        server.setExecutor(executor);
        server.start();
        LOG.info("Serving metrics on http://{}{} and health on {}", hostAndPort(metrics.address()), METRICS_PATH,
                HEALTH_PATH);
        return metrics;
    }

    /** The address the endpoint is bound to, with the port chosen when 0 was asked for. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** From now on {@value #HEALTH_PATH} answers 503: the broker is shutting down. Metrics are still served. */
    public void stopping() {
        stopping = true;
    }

    /** Stops serving at once, without waiting for scrapes in progress, which finish on their own. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopping = true;
        server.stop(0);
        // no interrupt: a scrape reads broker state, and an interrupt inside file I/O would close a shared channel
        executor.shutdown();
    }

    private void serve(HttpExchange exchange, String path, HttpHandler handler) throws IOException {
        // contexts match by prefix: /metricsfoo must not be the metrics
        if (!exchange.getRequestURI().getPath().equals(path)) {
            reply(exchange, NOT_FOUND, "not found");
            return;
        }
        handler.handle(exchange);
    }

    private void health(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            reply(exchange, METHOD_NOT_ALLOWED, "method not allowed");
        } else if (stopping) {
            reply(exchange, UNAVAILABLE, "stopping");
        } else {
            reply(exchange, OK, "ok");
        }
    }

    private static void reply(HttpExchange exchange, int status, String text) throws IOException {
        try (exchange) {
            byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(status, NO_BODY);
            } else {
                exchange.sendResponseHeaders(status, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    private static String hostAndPort(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "ferry-metrics-http-" + count.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
    }
}
