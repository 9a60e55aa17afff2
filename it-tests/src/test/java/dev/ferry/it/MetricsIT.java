package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.it.fixture.Await;
import dev.ferry.it.fixture.BrokerTester;
import dev.ferry.it.fixture.ConsumerPolls;
import dev.ferry.it.fixture.KafkaWireClient;
import dev.ferry.it.fixture.TenantFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker's {@code /metrics} and {@code /health} endpoint after a known workload: one record per Produce request,
 * every record read by a consumer group that commits only part of them. The request count, the bytes and records in
 * and out, the stored bytes, the group's lag and the connections must carry exactly the values the workload implies,
 * and the whole exposition must follow the Prometheus text format rules.
 */
@Timeout(120)
class MetricsIT {

    private static final String TOPIC = "orders";
    private static final String GROUP = "billing";
    private static final int RECORDS_PER_PARTITION = 25;
    private static final int RECORDS = 2 * RECORDS_PER_PARTITION;
    private static final int VALUE_BYTES = 100;
    private static final Map<Integer, Long> COMMITTED = Map.of(0, 10L, 1, 20L);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    @Test
    void shouldExposeTheWorkloadsMetricsInTheTextFormat() throws Exception {
        int port = freePort();
        try (var tester = BrokerTester.start(dataDir, Map.of("metrics.port", Integer.toString(port)))) {
            assertEquals("ok\n", get(port, "/health").body());
            tester.createTopic(TOPIC, 2);
            long batchBytes = produceOneRecordPerRequest(tester);
            consumeAllAndCommitPart(tester);

            Exposition metrics = Exposition.parse(get(port, "/metrics").body());

            assertEquals(RECORDS, metrics.sum("ferry_requests_total", Map.of("api", "Produce")),
                    "one Produce request per record");
            assertEquals(RECORDS * batchBytes, metrics.value("ferry_produced_bytes_total", traffic()));
            assertEquals(RECORDS, metrics.value("ferry_produced_records_total", traffic()));
            // the consumer read every batch exactly once
            assertEquals(RECORDS * batchBytes, metrics.value("ferry_fetched_bytes_total", traffic()));
            assertEquals(RECORDS, metrics.value("ferry_fetched_records_total", traffic()));
            assertEquals(RECORDS * batchBytes, metrics.value("ferry_log_size_bytes", Map.of("topic", TOPIC)));
            assertEquals(2, metrics.value("ferry_partitions", Map.of()));
            long lag = 2L * RECORDS_PER_PARTITION - COMMITTED.get(0) - COMMITTED.get(1);
            assertEquals(lag, metrics.value("ferry_consumer_group_lag", Map.of("group", GROUP)));
            // a classic group member's first JoinGroup is answered MEMBER_ID_REQUIRED, as in Kafka
            assertEquals(1, metrics.value("ferry_request_errors_total",
                    Map.of("api", "JoinGroup", "error", "MEMBER_ID_REQUIRED")));
            assertEquals(RECORDS, metrics.value("ferry_request_duration_seconds_count", Map.of("api", "Produce")));
            assertTrue(metrics.families().contains("jvm_memory_used_bytes"), metrics.families().toString());

            tester.stop();
            assertThrows(ConnectException.class, () -> get(port, "/health"), "the endpoint stops with the broker");
        }
    }

    @Test
    void shouldCountConnectionsRefusedAtALimitByTheLimit() throws Exception {
        int port = freePort();
        try (var tester = BrokerTester.start(dataDir, Map.of("metrics.port", Integer.toString(port),
                "max.connections.per.ip", "1"));
             Socket admitted = new Socket(InetAddress.getLoopbackAddress(), tester.port())) {
            Map<String, String> plaintext = Map.of("listener", "PLAINTEXT");
            Await.until(TIMEOUT, "the first connection is counted", () -> scrape(port)
                    .value("ferry_connections", plaintext) == 1);
            try (Socket refused = new Socket(InetAddress.getLoopbackAddress(), tester.port())) {
                refused.setSoTimeout((int) TIMEOUT.toMillis());
                assertEquals(-1, refused.getInputStream().read(), "the broker closes the connection over the limit");
            }

            Exposition after = scrape(port);
            assertEquals(1.0, after.value("ferry_connections_refused_total", Map.of("limit", "max.connections.per.ip")),
                    after.toString());
            assertEquals(0.0, after.value("ferry_connections_refused_total", Map.of("limit", "max.connections")));
            assertEquals(1.0, after.value("ferry_connections", plaintext), "the admitted connection stays open");
            assertTrue(admitted.isConnected());
        }
    }

    @Test
    void shouldCountConnectionsRefusedAtAnApplicationsOwnLimit() throws Exception {
        TenantFixture tenants = TenantFixture.open(dataDir);
        String key = tenants.createApplication("acme");
        tenants.setSetting("acme", "max.connections", "1");
        int port = freePort();
        MetadataRequest metadata = new MetadataRequest.Builder(List.of(), false).build((short) 12);
        try (var tester = BrokerTester.start(dataDir,
                TenantFixture.tenantMode(Map.of("metrics.port", Integer.toString(port))));
             KafkaWireClient admitted = KafkaWireClient.connect(tester.port(), key);
             KafkaWireClient refused = KafkaWireClient.connect(tester.port(), key)) {
            assertEquals(1, admitted.exchange(metadata, MetadataResponse.class).brokers().size());

            refused.send(metadata);
            assertThrows(AssertionError.class, () -> refused.receive(MetadataResponse.class),
                    "the second connection of an application limited to one is closed");

            Exposition after = scrape(port);
            assertEquals(1.0, after.value("ferry_connections_refused_total", Map.of("limit", "tenant.max.connections")),
                    after.toString());
            assertEquals(0.0, after.value("ferry_connections_refused_total", Map.of("limit", "max.connections")));
        }
    }

    @Test
    void shouldCountConnectionsUntilTheyClose() throws Exception {
        int port = freePort();
        try (var tester = BrokerTester.start(dataDir, Map.of("metrics.port", Integer.toString(port)))) {
            tester.createTopic(TOPIC, 1);
            Map<String, String> plaintext = Map.of("listener", "PLAINTEXT");
            Await.until(TIMEOUT, "the topic creator's connection is closed", () -> scrape(port)
                    .value("ferry_connections", plaintext) == 0);
            double openedBefore = scrape(port).value("ferry_connections_opened_total", plaintext);

            KafkaProducer<String, String> producer = tester.producer();
            producer.send(new ProducerRecord<>(TOPIC, "key", "value")).get();
            Exposition open = scrape(port);
            // a producer holds a bootstrap connection and one to the leader, which may be the same
            assertTrue(open.value("ferry_connections", plaintext) >= 1, open.toString());
            producer.close();

            Await.until(TIMEOUT, "the producer's connections are closed", () -> scrape(port)
                    .value("ferry_connections", plaintext) == 0);
            Exposition closed = scrape(port);
            assertTrue(closed.value("ferry_connections_opened_total", plaintext) > openedBefore, closed.toString());
            assertEquals(closed.value("ferry_connections_opened_total", plaintext),
                    closed.value("ferry_connections_closed_total", plaintext));
        }
    }

    @Test
    void shouldServeClientsWithoutTheEndpointWhenItsPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             var tester = BrokerTester.start(dataDir, Map.of("metrics.port", Integer.toString(taken.getLocalPort())))) {
            tester.createTopic(TOPIC, 1);
            tester.producer().send(new ProducerRecord<>(TOPIC, "key", "value")).get();
            KafkaConsumer<String, String> consumer = tester.consumer();
            consumer.assign(List.of(new TopicPartition(TOPIC, 0)));
            assertEquals("value", ConsumerPolls.pollAtLeast(consumer, 1, TIMEOUT).get(0).value());
        }
    }

    /** Sends every record on its own and waits for it, so each travels alone in a batch of its own request. */
    private static long produceOneRecordPerRequest(BrokerTester tester) throws Exception {
        KafkaProducer<String, String> producer = tester.producer();
        long batchBytes = -1;
        for (int i = 0; i < RECORDS; i++) {
            String key = String.format("key-%02d", i);
            String value = "v".repeat(VALUE_BYTES);
            producer.send(new ProducerRecord<>(TOPIC, i % 2, key, value)).get();
            long size = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(0L,
                    key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8))).sizeInBytes();
            assertTrue(batchBytes == -1 || batchBytes == size, "keys and values of one size make batches of one size");
            batchBytes = size;
        }
        producer.close();
        return batchBytes;
    }

    private static void consumeAllAndCommitPart(BrokerTester tester) {
        KafkaConsumer<String, String> consumer = tester.consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG, GROUP));
        consumer.subscribe(List.of(TOPIC));
        ConsumerPolls.pollAtLeast(consumer, RECORDS, TIMEOUT);
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        COMMITTED.forEach((partition, offset) -> commits.put(new TopicPartition(TOPIC, partition),
                new OffsetAndMetadata(offset)));
        consumer.commitSync(commits);
        consumer.close();
    }

    private static Map<String, String> traffic() {
        return Map.of("application", "", "topic", TOPIC);
    }

    private Exposition scrape(int port) {
        try {
            return Exposition.parse(get(port, "/metrics").body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path);
        if (path.equals("/metrics")) {
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                    response.headers().map().toString());
        }
        return response;
    }

    /** A port free a moment ago, for the metrics endpoint (port 0 would turn it off). */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * A strict reader of the Prometheus text exposition format (version 0.0.4): every line is a {@code # HELP}, a
     * {@code # TYPE} or a sample; names and label names match the format's patterns, label values are quoted with
     * only the three escapes allowed, values are floats as Go parses them; a family's HELP and TYPE come once, before
     * its samples, which are contiguous; sample names fit the family's type; no sample repeats; histogram buckets are
     * cumulative and end with +Inf equal to the count; the text ends with a newline.
     */
    private record Exposition(Map<String, String> types, List<Sample> samples) {

        private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
        private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
        private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
        private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") "
                + "(counter|gauge|histogram|summary|untyped)");
        private static final Pattern FLOAT = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?"
                + "|[+-]?Inf|NaN");
        private static final Pattern TIMESTAMP = Pattern.compile("-?\\d+");

        record Sample(String name, Map<String, String> labels, double value) {
        }

        static Exposition parse(String text) {
            assertTrue(text.endsWith("\n"), "the exposition ends with a newline");
            Map<String, String> types = new LinkedHashMap<>();
            Set<String> helped = new HashSet<>();
            Set<String> finished = new HashSet<>();
            Set<String> sampled = new HashSet<>();
            Set<String> seen = new HashSet<>();
            List<Sample> samples = new ArrayList<>();
            String current = null;
            String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                String where = "line " + (i + 1) + ": " + line;
                Matcher help = HELP.matcher(line);
                Matcher type = TYPE.matcher(line);
                if (help.matches()) {
                    assertTrue(helped.add(help.group(1)), "HELP repeated, " + where);
                    current = enter(help.group(1), current, finished, sampled, where);
                } else if (type.matches()) {
                    assertTrue(types.put(type.group(1), type.group(2)) == null, "TYPE repeated, " + where);
                    current = enter(type.group(1), current, finished, sampled, where);
                } else {
                    assertTrue(!line.startsWith("#") && !line.isBlank(), "neither HELP, TYPE nor a sample, " + where);
                    Sample sample = sample(line, where);
                    String family = familyOf(sample.name(), types);
                    assertEquals(current, family, "a sample outside its family's block, " + where);
                    sampled.add(family);
                    assertTrue(seen.add(sample.name() + new TreeMap<>(sample.labels())), "sample repeated, " + where);
                    samples.add(sample);
                }
            }
            Exposition exposition = new Exposition(types, samples);
            exposition.checkHistograms();
            return exposition;
        }

        /** The family a HELP or TYPE line is about: it comes before the family's samples, in the family's block. */
        private static String enter(String family, String current, Set<String> finished, Set<String> sampled,
                                    String where) {
            if (!family.equals(current)) {
                if (current != null) {
                    finished.add(current);
                }
                assertTrue(!finished.contains(family), "family split, " + where);
            }
            assertTrue(!sampled.contains(family), "HELP or TYPE after the family's samples, " + where);
            return family;
        }

        private static Sample sample(String line, String where) {
            Matcher name = NAME.matcher(line);
            assertTrue(name.lookingAt(), "no metric name, " + where);
            int at = name.end();
            Map<String, String> labels = new LinkedHashMap<>();
            if (at < line.length() && line.charAt(at) == '{') {
                at++;
                while (line.charAt(at) != '}') {
                    Matcher label = LABEL_NAME.matcher(line).region(at, line.length());
                    assertTrue(label.lookingAt(), "bad label name, " + where);
                    at = label.end();
                    assertTrue(line.startsWith("=\"", at), "label without =\", " + where);
                    at += 2;
                    StringBuilder value = new StringBuilder();
                    for (char c = line.charAt(at); c != '"'; c = line.charAt(at)) {
                        if (c == '\\') {
                            char escaped = line.charAt(at + 1);
                            assertTrue(escaped == '\\' || escaped == '"' || escaped == 'n', "bad escape, " + where);
                            value.append(escaped == 'n' ? '\n' : escaped);
                            at += 2;
                        } else {
                            value.append(c);
                            at++;
                        }
                    }
                    at++;
                    assertTrue(labels.put(label.group(), value.toString()) == null, "label repeated, " + where);
                    if (line.charAt(at) == ',') {
                        at++;
                    } else {
                        assertEquals('}', line.charAt(at), "labels not closed, " + where);
                    }
                }
                at++;
            }
            String[] rest = line.substring(at).split(" ", -1);
            assertTrue(rest.length == 2 || rest.length == 3, "value and timestamp not separated by single spaces, "
                    + where);
            assertEquals("", rest[0], "no space before the value, " + where);
            assertTrue(FLOAT.matcher(rest[1]).matches(), "not a float, " + where);
            assertTrue(rest.length == 2 || TIMESTAMP.matcher(rest[2]).matches(), "bad timestamp, " + where);
            double value = rest[1].endsWith("Inf") ? (rest[1].startsWith("-") ? Double.NEGATIVE_INFINITY
                    : Double.POSITIVE_INFINITY) : Double.parseDouble(rest[1]);
            return new Sample(name.group(), labels, value);
        }

        /**
         * The family of a sample, from the TYPE lines: a histogram's _bucket, _sum and _count belong to it, and a
         * summary's quantiles, _sum and _count.
         */
        private static String familyOf(String sample, Map<String, String> types) {
            String type = types.get(sample);
            if (type != null && !type.equals("histogram")) {
                return sample;
            }
            for (String suffix : List.of("_bucket", "_sum", "_count")) {
                String family = sample.endsWith(suffix) ? sample.substring(0, sample.length() - suffix.length()) : null;
                if (family != null && ("histogram".equals(types.get(family))
                        || "summary".equals(types.get(family)) && !suffix.equals("_bucket"))) {
                    return family;
                }
            }
            throw new AssertionError("sample " + sample + " does not fit any TYPE");
        }

        private void checkHistograms() {
            types.forEach((family, type) -> {
                if (!type.equals("histogram")) {
                    return;
                }
                Map<Map<String, String>, List<Sample>> buckets = new LinkedHashMap<>();
                Map<Map<String, String>, Double> counts = new HashMap<>();
                for (Sample sample : samples) {
                    if (sample.name().equals(family + "_bucket")) {
                        Map<String, String> series = new TreeMap<>(sample.labels());
                        assertTrue(series.remove("le") != null, "a bucket without le: " + sample);
                        buckets.computeIfAbsent(series, key -> new ArrayList<>()).add(sample);
                    } else if (sample.name().equals(family + "_count")) {
                        counts.put(new TreeMap<>(sample.labels()), sample.value());
                    }
                }
                buckets.forEach((series, ofSeries) -> {
                    double previous = 0;
                    for (Sample bucket : ofSeries) {
                        assertTrue(bucket.value() >= previous, "buckets not cumulative: " + ofSeries);
                        previous = bucket.value();
                    }
                    Sample last = ofSeries.get(ofSeries.size() - 1);
                    assertEquals("+Inf", last.labels().get("le"), "the last bucket is not +Inf: " + ofSeries);
                    assertEquals(counts.get(series), last.value(), "+Inf bucket differs from the count: " + series);
                });
            });
        }

        Set<String> families() {
            return types.keySet();
        }

        /** The value of the one sample named {@code name} with exactly these labels. */
        double value(String name, Map<String, String> labels) {
            List<Sample> found = samples.stream()
                    .filter(sample -> sample.name().equals(name) && sample.labels().equals(labels)).toList();
            assertEquals(1, found.size(), () -> "one " + name + labels + " among " + samples);
            return found.get(0).value();
        }

        /** The sum of the samples named {@code name} whose labels include {@code labels}. */
        double sum(String name, Map<String, String> labels) {
            return samples.stream()
                    .filter(sample -> sample.name().equals(name)
                            && sample.labels().entrySet().containsAll(labels.entrySet()))
                    .mapToDouble(Sample::value).sum();
        }
    }
}
