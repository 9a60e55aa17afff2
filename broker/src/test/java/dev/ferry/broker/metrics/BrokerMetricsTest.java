package dev.ferry.broker.metrics;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.broker.group.GroupCoordinator;
import dev.ferry.broker.handler.RequestContext;
import dev.ferry.broker.network.FetchSliceRecords;
import dev.ferry.broker.tenant.Principal;
import dev.ferry.broker.tenant.Role;
import dev.ferry.broker.topic.TopicManager;
import dev.ferry.config.FerryConfig;
import dev.ferry.protocol.ByteBufRecords;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.FetchRequestData;
import dev.ferry.protocol.message.FetchResponseData;
import dev.ferry.protocol.message.FetchResponseData.FetchableTopicResponse;
import dev.ferry.protocol.message.FetchResponseData.PartitionData;
import dev.ferry.protocol.message.MetadataResponseData;
import dev.ferry.protocol.message.MetadataResponseData.MetadataResponseTopic;
import dev.ferry.protocol.message.ProduceRequestData;
import dev.ferry.protocol.message.ProduceRequestData.PartitionProduceData;
import dev.ferry.protocol.message.ProduceRequestData.TopicProduceData;
import dev.ferry.protocol.message.ProduceResponseData;
import dev.ferry.protocol.message.ProduceResponseData.PartitionProduceResponse;
import dev.ferry.protocol.message.ProduceResponseData.TopicProduceResponse;
import dev.ferry.protocol.record.RecordBatchBuilder;
import dev.ferry.storage.Log;
import dev.ferry.storage.LogConfig;
import dev.ferry.storage.LogManager;
import dev.ferry.storage.StorageConfig;
import dev.ferry.storage.TopicPartition;
import dev.ferry.storage.offsets.OffsetCommit;
import dev.ferry.storage.offsets.OffsetStore;
import dev.ferry.storage.offsets.OffsetStoreConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerMetricsTest {

    private static final UUID ORDERS_ID = new UUID(1, 1);
    private static final String PRODUCE_ERRORS = "ferry_request_errors_total{api=\"Produce\",error=\"%s\"}";

    @TempDir
    Path dir;

    private final List<ByteBuf> buffers = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final BrokerMetrics metrics = new BrokerMetrics(true, id -> id.equals(ORDERS_ID) ? "orders" : null);

    @AfterEach
    void tearDown() throws Exception {
        buffers.forEach(ByteBuf::release);
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void shouldCountRequestsByApiAndVersionAndTimeThemByApi() {
        long now = System.nanoTime();
        RequestMetrics requests = metrics.requests();
        requests.completed(ApiMessageType.PRODUCE, context(ApiMessageType.PRODUCE, 9, now));
        requests.completed(ApiMessageType.PRODUCE, context(ApiMessageType.PRODUCE, 9, now));
        requests.completed(ApiMessageType.PRODUCE, context(ApiMessageType.PRODUCE, 11,
                now - TimeUnit.SECONDS.toNanos(3)));
        requests.completed(ApiMessageType.FETCH, context(ApiMessageType.FETCH, 17, now));

        Map<String, Double> samples = Samples.of(metrics.registry());
        assertEquals(2.0, samples.get("ferry_requests_total{api=\"Produce\",version=\"9\"}"));
        assertEquals(1.0, samples.get("ferry_requests_total{api=\"Produce\",version=\"11\"}"));
        assertEquals(1.0, samples.get("ferry_requests_total{api=\"Fetch\",version=\"17\"}"));
        assertEquals(3.0, samples.get("ferry_request_duration_seconds_count{api=\"Produce\"}"));
        // the request read three seconds ago falls between the 2.5 s and 5 s buckets
        assertEquals(2.0, samples.get("ferry_request_duration_seconds_bucket{api=\"Produce\",le=\"2.5\"}"));
        assertEquals(3.0, samples.get("ferry_request_duration_seconds_bucket{api=\"Produce\",le=\"5.0\"}"));
        assertTrue(samples.get("ferry_request_duration_seconds_sum{api=\"Produce\"}") >= 3.0, samples.toString());
        assertEquals(1.0, samples.get("ferry_request_duration_seconds_count{api=\"Fetch\"}"));
    }

    @Test
    void shouldCountEveryErrorCodeOfAResponseByApiAndErrorButNotNone() {
        ProduceResponseData produced = new ProduceResponseData();
        produced.responses().add(new TopicProduceResponse().setName("orders").setPartitionResponses(List.of(
                answer(0, Errors.NOT_LEADER_OR_FOLLOWER), answer(1, Errors.NONE),
                answer(2, Errors.NOT_LEADER_OR_FOLLOWER), answer(3, Errors.CORRUPT_MESSAGE))));
        MetadataResponseData metadata = new MetadataResponseData();
        metadata.topics().add(new MetadataResponseTopic().setName("gone")
                .setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
        metadata.topics().add(new MetadataResponseTopic().setName("odd").setErrorCode((short) 9_999));

        metrics.requests().handled(ApiMessageType.PRODUCE, context(ApiMessageType.PRODUCE, 9, 0),
                new ProduceRequestData(), produced);
        metrics.requests().handled(ApiMessageType.METADATA, context(ApiMessageType.METADATA, 12, 0),
                ApiMessageType.METADATA.newRequest(), metadata);

        Map<String, Double> samples = Samples.of(metrics.registry());
        assertEquals(2.0, samples.get(PRODUCE_ERRORS.formatted("NOT_LEADER_OR_FOLLOWER")));
        assertEquals(1.0, samples.get(PRODUCE_ERRORS.formatted("CORRUPT_MESSAGE")));
        String metadataErrors = "ferry_request_errors_total{api=\"Metadata\",error=\"%s\"}";
        assertEquals(1.0, samples.get(metadataErrors.formatted("UNKNOWN_TOPIC_OR_PARTITION")));
        // a code this broker does not know is counted, under a bounded name
        assertEquals(1.0, samples.get(metadataErrors.formatted("UNKNOWN_SERVER_ERROR")));
        assertFalse(samples.keySet().stream().anyMatch(sample -> sample.contains("error=\"NONE\"")), samples::toString);
    }

    @Test
    void shouldCountProducedBytesAndRecordsOfTheAcknowledgedPartitionsOnly() {
        ByteBuf ordersZero = batch(3);
        ByteBuf ordersOne = batch(2);
        ByteBuf audit = batch(4);
        ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTopicData(List.of(
                produce("orders", null, partition(0, ordersZero), partition(1, ordersOne)),
                produce("audit", null, partition(0, audit))));
        ProduceResponseData response = new ProduceResponseData().setResponses(List.of(
                new TopicProduceResponse().setName("orders").setPartitionResponses(List.of(
                        answer(0, Errors.NONE), answer(1, Errors.NOT_LEADER_OR_FOLLOWER))),
                new TopicProduceResponse().setName("audit").setPartitionResponses(List.of(answer(0, Errors.NONE)))));

        metrics.requests().handled(ApiMessageType.PRODUCE, context(ApiMessageType.PRODUCE, 9, 0), request, response);

        Map<String, Double> samples = Samples.of(metrics.registry());
        assertEquals((double) ordersZero.readableBytes(), samples.get(traffic("produced_bytes", "orders")));
        assertEquals(3.0, samples.get(traffic("produced_records", "orders")));
        assertEquals((double) audit.readableBytes(), samples.get(traffic("produced_bytes", "audit")));
        assertEquals(4.0, samples.get(traffic("produced_records", "audit")));
        assertEquals(0.0, samples.get(traffic("fetched_bytes", "orders")));
    }

    @Test
    void shouldCountATenantsTrafficUnderItsApplication() {
        ByteBuf batch = batch(2);
        ProduceRequestData request = new ProduceRequestData().setAcks((short) 1).setTopicData(List.of(
                produce("acme.orders", null, partition(0, batch))));
        ProduceResponseData response = new ProduceResponseData().setResponses(List.of(
                new TopicProduceResponse().setName("acme.orders").setPartitionResponses(List.of(
                        answer(0, Errors.NONE)))));
        RequestContext tenant = context(ApiMessageType.PRODUCE, 9, 0)
                .withPrincipal(new Principal("acme", "ci", "k1", Role.ALL));

        metrics.requests().handled(ApiMessageType.PRODUCE, tenant, request, response);

        Map<String, Double> samples = Samples.of(metrics.registry());
        assertEquals((double) batch.readableBytes(),
                samples.get("ferry_produced_bytes_total{application=\"acme\",topic=\"acme.orders\"}"));
        assertEquals(null, samples.get(traffic("produced_bytes", "acme.orders")), "nothing under no application");
    }

    @Test
    void shouldCountEveryPartitionOfAProduceThatIsAnsweredWithNothing() {
        ByteBuf first = batch(5);
        ByteBuf second = batch(1);
        ProduceRequestData request = new ProduceRequestData().setAcks((short) 0).setTopicData(List.of(
                produce("orders", null, partition(0, first), partition(1, second))));

        metrics.requests().handled(ApiMessageType.PRODUCE, context(ApiMessageType.PRODUCE, 9, 0), request, null);

        Map<String, Double> samples = Samples.of(metrics.registry());
        assertEquals((double) first.readableBytes() + second.readableBytes(),
                samples.get(traffic("produced_bytes", "orders")));
        assertEquals(6.0, samples.get(traffic("produced_records", "orders")));
    }

    @Test
    void shouldNameTopicsThatProduceGivesById() {
        ByteBuf known = batch(2);
        ByteBuf unknown = batch(7);
        ProduceRequestData request = new ProduceRequestData().setAcks((short) 1).setTopicData(List.of(
                produce(null, ORDERS_ID, partition(0, known)), produce(null, new UUID(9, 9), partition(0, unknown))));
        ProduceResponseData response = new ProduceResponseData().setResponses(List.of(
                new TopicProduceResponse().setTopicId(ORDERS_ID).setPartitionResponses(List.of(answer(0, Errors.NONE))),
                new TopicProduceResponse().setTopicId(new UUID(9, 9))
                        .setPartitionResponses(List.of(answer(0, Errors.NONE)))));

        metrics.requests().handled(ApiMessageType.PRODUCE, context(ApiMessageType.PRODUCE, 13, 0), request, response);

        Map<String, Double> samples = Samples.of(metrics.registry());
        assertEquals(2.0, samples.get(traffic("produced_records", "orders")));
        assertEquals(1, samples.keySet().stream().filter(sample -> sample.startsWith("ferry_produced_records")).count(),
                samples::toString);
    }

    @Test
    void shouldAddEveryTopicUpUnderOneSeriesWhenTopicLabelsAreOff() {
        BrokerMetrics unlabelled = new BrokerMetrics(false, id -> null);
        ProduceRequestData request = new ProduceRequestData().setAcks((short) 0).setTopicData(List.of(
                produce("orders", null, partition(0, batch(2))), produce("audit", null, partition(0, batch(3)))));

        unlabelled.requests().handled(ApiMessageType.PRODUCE, context(ApiMessageType.PRODUCE, 9, 0), request, null);

        Map<String, Double> samples = Samples.of(unlabelled.registry());
        assertEquals(5.0, samples.get(traffic("produced_records", "")));
        assertEquals(1, samples.keySet().stream().filter(sample -> sample.startsWith("ferry_produced_records")).count(),
                samples::toString);
    }

    @Test
    void shouldCountFetchedBytesAndTheRecordsOfEveryBatchInTheSlices() {
        LogManager logs = logs();
        Log log = logs.getOrCreateLog(new TopicPartition("orders", 0), LogConfig.defaults());
        append(log, batch(3));
        append(log, batch(2));
        FetchSliceRecords slice = new FetchSliceRecords(log.read(0, 1 << 20, true));
        resources.add(slice);
        FetchSliceRecords fromSecondBatch = new FetchSliceRecords(log.read(3, 1 << 20, true));
        resources.add(fromSecondBatch);
        FetchResponseData byName = new FetchResponseData().setResponses(List.of(new FetchableTopicResponse()
                .setTopic("orders").setPartitions(List.of(
                        new PartitionData().setPartitionIndex(0).setRecords(slice),
                        new PartitionData().setPartitionIndex(1).setErrorCode(Errors.OFFSET_OUT_OF_RANGE.code())
                                .setRecords(new ByteBufRecords(batch(9)))))));
        FetchResponseData byId = new FetchResponseData().setResponses(List.of(new FetchableTopicResponse()
                .setTopicId(ORDERS_ID).setPartitions(List.of(
                        new PartitionData().setPartitionIndex(0).setRecords(fromSecondBatch)))));

        metrics.requests().handled(ApiMessageType.FETCH, context(ApiMessageType.FETCH, 12, 0), new FetchRequestData(),
                byName);
        metrics.requests().handled(ApiMessageType.FETCH, context(ApiMessageType.FETCH, 13, 0), new FetchRequestData(),
                byId);

        Map<String, Double> samples = Samples.of(metrics.registry());
        assertEquals((double) slice.sizeInBytes() + fromSecondBatch.sizeInBytes(),
                samples.get(traffic("fetched_bytes", "orders")));
        assertEquals(5.0 + 2.0, samples.get(traffic("fetched_records", "orders")));
        assertEquals(1.0, samples.get("ferry_request_errors_total{api=\"Fetch\",error=\"OFFSET_OUT_OF_RANGE\"}"));
    }

    @Test
    void shouldNotFailARequestWhoseResponseCannotBeMetered() {
        // a Fetch response reported as Produce's: the metrics give up on it rather than throw into the network layer
        assertDoesNotThrow(() -> metrics.requests().handled(ApiMessageType.PRODUCE,
                context(ApiMessageType.PRODUCE, 9, 0), new FetchRequestData(), new FetchResponseData()));
        assertNull(Samples.of(metrics.registry()).get(traffic("produced_bytes", "orders")));
    }

    @Test
    void shouldReportPartitionsStoredBytesAndGroupLagWhenScraped() {
        LogManager logs = logs();
        TopicManager topics = new TopicManager(config(), logs);
        topics.create("orders", 2, Map.of(), false);
        topics.create("audit", 1, Map.of(), false);
        append(topics.log("orders", 0).orElseThrow(), batch(5));
        append(topics.log("orders", 1).orElseThrow(), batch(3));
        GroupCoordinator groups = groups(topics);
        groups.commit("billing", List.of(
                new OffsetCommit(new TopicPartition("orders", 0), 2, -1, null, 1L),
                new OffsetCommit(new TopicPartition("orders", 1), 3, -1, null, 1L)));
        groups.commit("audit-reader", List.of(new OffsetCommit(new TopicPartition("audit", 0), 0, -1, null, 1L)));
        metrics.watch(topics, logs, groups);

        Map<String, Double> samples = Samples.of(metrics.registry());
        assertEquals(3.0, samples.get("ferry_partitions"));
        long ordersBytes = topics.log("orders", 0).orElseThrow().sizeInBytes()
                + topics.log("orders", 1).orElseThrow().sizeInBytes();
        assertTrue(ordersBytes > 0);
        assertEquals((double) ordersBytes, samples.get("ferry_log_size_bytes{topic=\"orders\"}"));
        assertEquals(0.0, samples.get("ferry_log_size_bytes{topic=\"audit\"}"));
        assertEquals(3.0 + 0.0, samples.get("ferry_consumer_group_lag{group=\"billing\"}"));
        assertEquals(0.0, samples.get("ferry_consumer_group_lag{group=\"audit-reader\"}"));
    }

    @Test
    void shouldAddStoredBytesUpUnderOneSeriesWhenTopicLabelsAreOff() {
        LogManager logs = logs();
        TopicManager topics = new TopicManager(config(), logs);
        topics.create("orders", 1, Map.of(), false);
        topics.create("audit", 1, Map.of(), false);
        append(topics.log("orders", 0).orElseThrow(), batch(5));
        append(topics.log("audit", 0).orElseThrow(), batch(1));
        BrokerMetrics unlabelled = new BrokerMetrics(false, id -> null);
        unlabelled.watch(topics, logs, groups(topics));

        Map<String, Double> samples = Samples.of(unlabelled.registry());
        assertEquals((double) topics.log("orders", 0).orElseThrow().sizeInBytes()
                + topics.log("audit", 0).orElseThrow().sizeInBytes(), samples.get("ferry_log_size_bytes{topic=\"\"}"));
        assertEquals(1, samples.keySet().stream().filter(sample -> sample.startsWith("ferry_log_size_bytes")).count());
    }

    @Test
    void shouldRetireTheTrafficSeriesOfADeletedTopic() {
        LogManager logs = logs();
        TopicManager topics = new TopicManager(config(), logs);
        topics.create("orders", 1, Map.of(), false);
        topics.create("audit", 1, Map.of(), false);
        metrics.watch(topics, logs, groups(topics));
        ProduceRequestData request = new ProduceRequestData().setAcks((short) 0).setTopicData(List.of(
                produce("orders", null, partition(0, batch(2))), produce("audit", null, partition(0, batch(3)))));
        metrics.requests().handled(ApiMessageType.PRODUCE, context(ApiMessageType.PRODUCE, 9, 0), request, null);
        assertEquals(3.0, Samples.of(metrics.registry()).get(traffic("produced_records", "audit")));

        topics.delete("audit");
        // the scrape that notices the deletion may still show the series; the next one does not
        Samples.of(metrics.registry());
        Map<String, Double> samples = Samples.of(metrics.registry());

        assertFalse(samples.keySet().stream().anyMatch(sample -> sample.contains("topic=\"audit\"")),
                samples::toString);
        assertEquals(2.0, samples.get(traffic("produced_records", "orders")));
    }

    @Test
    void shouldCountConnectionsByListener() {
        ConnectionMetrics plaintext = metrics.connections("PLAINTEXT");
        ConnectionMetrics tls = metrics.connections("SSL");
        plaintext.opened();
        plaintext.opened();
        tls.opened();
        plaintext.closed();

        Map<String, Double> samples = Samples.of(metrics.registry());
        assertEquals(1.0, samples.get("ferry_connections{listener=\"PLAINTEXT\"}"));
        assertEquals(2.0, samples.get("ferry_connections_opened_total{listener=\"PLAINTEXT\"}"));
        assertEquals(1.0, samples.get("ferry_connections_closed_total{listener=\"PLAINTEXT\"}"));
        assertEquals(1.0, samples.get("ferry_connections{listener=\"SSL\"}"));
        assertEquals(0.0, samples.get("ferry_connections_closed_total{listener=\"SSL\"}"));
    }

    @Test
    void shouldReadRefusedConnectionsByLimitAtEachScrape() {
        AtomicLong atMaxConnections = new AtomicLong();
        metrics.watchConnectionLimits(atMaxConnections::get, () -> 7, null);
        assertEquals(0.0,
                Samples.of(metrics.registry()).get("ferry_connections_refused_total{limit=\"max.connections\"}"));

        atMaxConnections.set(3);

        Map<String, Double> samples = Samples.of(metrics.registry());
        assertEquals(3.0, samples.get("ferry_connections_refused_total{limit=\"max.connections\"}"));
        assertEquals(7.0, samples.get("ferry_connections_refused_total{limit=\"max.connections.per.ip\"}"));
        assertNull(samples.get("ferry_connections_refused_total{limit=\"tenant.max.connections\"}"),
                "no application limits outside hosted mode");
    }

    @Test
    void shouldReadRefusalsAtApplicationLimitsInHostedMode() {
        AtomicLong atApplicationLimit = new AtomicLong();
        metrics.watchConnectionLimits(() -> 0, () -> 0, atApplicationLimit::get);
        atApplicationLimit.set(4);

        assertEquals(4.0, Samples.of(metrics.registry())
                .get("ferry_connections_refused_total{limit=\"tenant.max.connections\"}"));
    }

    @Test
    void shouldRecordThrottleTimeInSecondsAndShowItAtZeroBefore() {
        assertEquals(0.0, Samples.of(metrics.registry()).get("ferry_request_throttle_time_seconds_count"));

        metrics.requests().throttled(ApiMessageType.PRODUCE, context(ApiMessageType.PRODUCE, 9, 0), 1_500);

        Map<String, Double> samples = Samples.of(metrics.registry());
        assertEquals(1.0, samples.get("ferry_request_throttle_time_seconds_count"));
        assertEquals(1.5, samples.get("ferry_request_throttle_time_seconds_sum"));
    }

    @Test
    void shouldIncludeTheJvmMetricsInEveryBrokersRegistry() {
        BrokerMetrics another = new BrokerMetrics(true, id -> null);
        for (BrokerMetrics each : List.of(metrics, another)) {
            Map<String, Double> samples = Samples.of(each.registry());
            assertTrue(samples.keySet().stream().anyMatch(sample -> sample.startsWith("jvm_memory_used_bytes{")),
                    samples::toString);
            assertTrue(samples.containsKey("jvm_threads_current"), samples::toString);
        }
    }

    private LogManager logs() {
        LogManager logs = LogManager.open(new StorageConfig(List.of(dir.resolve("logs")), 64, 60_000, 1_000));
        resources.add(logs);
        return logs;
    }

    private FerryConfig config() {
        return FerryConfig.of(Map.of("log.dirs", dir.resolve("logs").toString()));
    }

    private GroupCoordinator groups(TopicManager topics) {
        OffsetStore store = OffsetStore.open(dir.resolve("offsets"), new OffsetStoreConfig(false, 100_000));
        resources.add(store);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        resources.add(scheduler::shutdownNow);
        GroupCoordinator groups = new GroupCoordinator(store, topics, scheduler,
                GroupCoordinator.Settings.from(config()), System::currentTimeMillis);
        resources.add(groups);
        return groups;
    }

    private static void append(Log log, ByteBuf batch) {
        log.append(batch.nioBuffer(), System.currentTimeMillis());
    }

    private ByteBuf batch(int records) {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        for (int i = 0; i < records; i++) {
            builder.add(1_000L + i, null, ("value-" + i).getBytes(StandardCharsets.UTF_8));
        }
        ByteBuf batch = builder.build(UnpooledByteBufAllocator.DEFAULT);
        buffers.add(batch);
        return batch;
    }

    private static TopicProduceData produce(String name, UUID id, PartitionProduceData... partitions) {
        TopicProduceData topic = new TopicProduceData().setName(name).setPartitionData(List.of(partitions));
        return id == null ? topic : topic.setTopicId(id);
    }

    private static PartitionProduceData partition(int index, ByteBuf batch) {
        return new PartitionProduceData().setIndex(index).setRecords(new ByteBufRecords(batch));
    }

    private static PartitionProduceResponse answer(int index, Errors error) {
        return new PartitionProduceResponse().setIndex(index).setErrorCode(error.code());
    }

    private static String traffic(String what, String topic) {
        return "ferry_" + what + "_total{application=\"\",topic=\"" + topic + "\"}";
    }

    private static RequestContext context(ApiMessageType api, int version, long receivedNanos) {
        return new RequestContext(api.apiKey(), (short) version, 1, "test", null, "PLAINTEXT", receivedNanos);
    }
}
