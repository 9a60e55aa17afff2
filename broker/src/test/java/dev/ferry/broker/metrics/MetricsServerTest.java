package dev.ferry.broker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private MetricsServer server;

    @BeforeEach
    void setUp() {
        Counter.builder().name("sample_events_total").help("Events.").register(registry).inc(3);
        server = MetricsServer.start("127.0.0.1", 0, registry);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void shouldServeTheRegistryInThePrometheusTextFormat() throws Exception {
        HttpResponse<String> response = get("/metrics");

        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"),
                response.headers().map().toString());
        assertTrue(response.body().contains("# TYPE sample_events_total counter\nsample_events_total 3.0\n"),
                response.body());
    }

    @Test
    void shouldReportHealthyUntilTheBrokerStartsStopping() throws Exception {
        HttpResponse<String> healthy = get("/health");
        assertEquals(200, healthy.statusCode());
        assertEquals("ok\n", healthy.body());

        server.stopping();

        HttpResponse<String> stopping = get("/health");
        assertEquals(503, stopping.statusCode());
        assertEquals("stopping\n", stopping.body());
        assertEquals(200, get("/metrics").statusCode(), "metrics are served until the endpoint closes");
    }

    @Test
    void shouldAnswerHeadOnHealthWithoutABody() throws Exception {
        HttpResponse<String> response = http.send(request("/health").method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals("", response.body());
    }

    @Test
    void shouldRefuseToChangeHealth() throws Exception {
        HttpResponse<String> response = http.send(request("/health").POST(HttpRequest.BodyPublishers.ofString("x"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, response.statusCode());
        assertEquals("GET, HEAD", response.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void shouldAnswerNotFoundOutsideItsTwoPaths() throws Exception {
        for (String path : new String[] {"/", "/metricsx", "/metrics/more", "/healthz", "/status"}) {
            assertEquals(404, get(path).statusCode(), path);
        }
    }

    @Test
    void shouldStopAnsweringOnceClosed() {
        server.close();
        server.close();

        assertThrows(ConnectException.class, () -> get("/health"));
    }

    @Test
    void shouldNameTheAddressItCannotBind() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> MetricsServer.start("127.0.0.1", taken.getLocalPort(), registry));
            assertTrue(e.getMessage().startsWith("Cannot bind the metrics endpoint to 127.0.0.1:"
                    + taken.getLocalPort() + ": "), e.getMessage());
        }
    }

    @Test
    void shouldRefuseAHostThatDoesNotResolve() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> MetricsServer.start("no-such-host.invalid", 0, registry));
        assertTrue(e.getMessage().contains("no-such-host.invalid"), e.getMessage());
    }

    @Test
    void shouldBindABracketedIpv6AddressOrEveryInterface() throws Exception {
        try (MetricsServer everywhere = MetricsServer.start("", 0, registry)) {
            assertTrue(everywhere.address().getAddress().isAnyLocalAddress(), everywhere.address().toString());
        }
        MetricsServer loopback6;
        try {
            loopback6 = MetricsServer.start("[::1]", 0, registry);
        } catch (IllegalStateException e) {
            // a machine without IPv6 on loopback: nothing more to check
            return;
        }
        try (loopback6) {
            assertEquals("0:0:0:0:0:0:0:1", loopback6.address().getAddress().getHostAddress());
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + path))
                .timeout(TIMEOUT);
    }
}
