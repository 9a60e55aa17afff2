package dev.ferry.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.ByteBufRecords;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.ApiVersionsRequestData;
import dev.ferry.protocol.message.MetadataRequestData;
import dev.ferry.protocol.message.ProduceRequestData;
import dev.ferry.protocol.message.ProduceRequestData.PartitionProduceData;
import dev.ferry.protocol.message.ProduceRequestData.TopicProduceData;
import dev.ferry.protocol.message.ProduceResponseData;
import dev.ferry.protocol.message.ProduceResponseData.PartitionProduceResponse;
import dev.ferry.protocol.message.ProduceResponseData.TopicProduceResponse;
import dev.ferry.protocol.record.Record;
import dev.ferry.protocol.record.RecordBatch;
import dev.ferry.protocol.record.RecordReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ProducerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String TOPIC = "orders";

    /** What the fake broker stored: each partition's values in order, and the Produce requests it took. */
    private final Map<Integer, List<String>> stored = new ConcurrentHashMap<>();
    private final AtomicInteger produceRequests = new AtomicInteger();
    private final AtomicInteger metadataRequests = new AtomicInteger();

    /**
     * A broker holding {@value #TOPIC} with two partitions, answering the n-th Produce request (counting from 1) with
     * {@code errorForRequest.apply(n)} for every partition; a partition answered NONE stores the records.
     */
    private FakeBroker broker(IntFunction<Errors> errorForRequest) {
        FakeBroker[] self = new FakeBroker[1];
        self[0] = FakeBroker.start(() -> (header, request) -> {
            if (request instanceof ApiVersionsRequestData) {
                return FakeBroker.Reply.of(FakeBroker.allApiVersions());
            }
            if (request instanceof MetadataRequestData metadata) {
                metadataRequests.incrementAndGet();
                return FakeBroker.Reply.of(self[0].metadata(metadata, Map.of(TOPIC, 2)));
            }
            ProduceRequestData produce = (ProduceRequestData) request;
            Errors error = errorForRequest.apply(produceRequests.incrementAndGet());
            ProduceResponseData response = new ProduceResponseData();
            for (TopicProduceData topic : produce.topicData()) {
                assertEquals(FakeBroker.topicId(TOPIC), topic.topicId(), "Produce v13 names topics by id");
                TopicProduceResponse answer = new TopicProduceResponse().setName(TOPIC).setTopicId(topic.topicId());
                for (PartitionProduceData partition : topic.partitionData()) {
                    long baseOffset = -1;
                    if (error == Errors.NONE) {
                        List<String> log = stored.computeIfAbsent(partition.index(),
                                p -> Collections.synchronizedList(new ArrayList<>()));
                        baseOffset = log.size();
                        log.addAll(values(partition));
                    }
                    answer.partitionResponses().add(new PartitionProduceResponse().setIndex(partition.index())
                            .setErrorCode(error.code()).setBaseOffset(baseOffset));
                }
                response.responses().add(answer);
            }
            return produce.acks() == 0 ? null : FakeBroker.Reply.of(response);
        });
        return self[0];
    }

    private static List<String> values(PartitionProduceData partition) {
        RecordBatch batch = new RecordBatch().wrap(((ByteBufRecords) partition.records()).buffer(),
                ((ByteBufRecords) partition.records()).buffer().readerIndex());
        List<String> values = new ArrayList<>();
        for (Record record : RecordReader.readAll(batch)) {
            values.add(new String(record.value(), StandardCharsets.UTF_8));
        }
        return values;
    }

    private static ClientSettings settings(FakeBroker broker) {
        return ClientSettings.to(broker.address()).withTimeouts(TIMEOUT, TIMEOUT);
    }

    private static ProducerRecord record(Integer partition, String value) {
        return new ProducerRecord(TOPIC, partition, null, value.getBytes(StandardCharsets.UTF_8), List.of(), null);
    }

    @Test
    void shouldRetryARetriableErrorAfterRefreshingMetadataAndKeepTheOrder() throws Exception {
        try (FakeBroker broker = broker(n -> n == 1 ? Errors.NOT_LEADER_OR_FOLLOWER : Errors.NONE);
             KafkaCluster cluster = new KafkaCluster(settings(broker));
             Producer producer = new Producer(cluster, ProducerSettings.defaults())) {
            List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                acks.add(producer.send(record(0, "v" + i)));
            }
            producer.flush();

            for (int i = 0; i < 10; i++) {
                assertEquals(new RecordMetadata(new TopicPartition(TOPIC, 0), i), acks.get(i).get());
            }
            assertEquals(List.of("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9"), stored.get(0));
            assertTrue(produceRequests.get() >= 2, "the first attempt failed, so a second was needed");
            assertTrue(metadataRequests.get() >= 2, "NOT_LEADER_OR_FOLLOWER makes the producer ask for metadata");
        }
    }

    @Test
    void shouldFailTheRecordsOnANonRetriableError() {
        try (FakeBroker broker = broker(n -> Errors.TOPIC_AUTHORIZATION_FAILED);
             KafkaCluster cluster = new KafkaCluster(settings(broker));
             Producer producer = new Producer(cluster, ProducerSettings.defaults())) {
            CompletableFuture<RecordMetadata> ack = producer.send(record(1, "refused"));

            ExecutionException e = assertThrows(ExecutionException.class, () -> ack.get(10, TimeUnit.SECONDS));
            KafkaErrorException cause = assertInstanceOf(KafkaErrorException.class, e.getCause());
            assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED, cause.error());
            assertEquals("not authorized to access topic 'orders'", cause.getMessage());
            assertEquals(1, produceRequests.get(), "a non-retriable error is not retried");
        }
    }

    @Test
    void shouldGiveUpRetryingAfterTheDeliveryTimeout() {
        ProducerSettings quick = ProducerSettings.defaults().withDeliveryTimeout(Duration.ofMillis(500));
        try (FakeBroker broker = broker(n -> Errors.NOT_ENOUGH_REPLICAS);
             KafkaCluster cluster = new KafkaCluster(settings(broker));
             Producer producer = new Producer(cluster, quick)) {
            CompletableFuture<RecordMetadata> ack = producer.send(record(0, "stuck"));

            ExecutionException e = assertThrows(ExecutionException.class, () -> ack.get(10, TimeUnit.SECONDS));
            assertInstanceOf(ClientTimeoutException.class, e.getCause());
            assertTrue(e.getCause().getMessage().startsWith("1 record(s) for orders-0 could not be delivered within "
                    + "500 ms: too few in-sync replicas"), e.getCause().getMessage());
            assertTrue(produceRequests.get() > 1, "retried before giving up");
        }
    }

    @Test
    void shouldBatchRecordsThatArriveWithinTheLinger() throws Exception {
        ProducerSettings lingering = ProducerSettings.defaults().withLinger(Duration.ofSeconds(1));
        try (FakeBroker broker = broker(n -> Errors.NONE);
             KafkaCluster cluster = new KafkaCluster(settings(broker));
             Producer producer = new Producer(cluster, lingering)) {
            List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                acks.add(producer.send(record(1, "r" + i)));
            }
            acks.get(99).get(10, TimeUnit.SECONDS);

            assertEquals(1, produceRequests.get(), "100 small records lingering together go in one request");
            assertEquals(100, stored.get(1).size());
        }
    }

    @Test
    void shouldNotWaitForAnswersWithAcksZeroButDeliverEverythingBeforeClosing() throws Exception {
        FakeBroker broker = broker(n -> Errors.NONE);
        try (broker; KafkaCluster cluster = new KafkaCluster(settings(broker))) {
            Producer producer = new Producer(cluster, ProducerSettings.defaults().withAcks(Acks.NONE));
            CompletableFuture<RecordMetadata> ack = producer.send(record(0, "fire"));
            producer.send(record(0, "forget"));
            producer.close();

            assertEquals(new RecordMetadata(new TopicPartition(TOPIC, 0), -1), ack.get());
            assertEquals(List.of("fire", "forget"), stored.get(0));
            List<ApiMessageType> apis = broker.receivedApis();
            assertEquals(ApiMessageType.API_VERSIONS, apis.get(apis.size() - 1),
                    "closing waits for an answer sent after the unanswered Produce requests");
        }
    }

    @Test
    void shouldRefuseAPartitionTheTopicDoesNotHave() {
        try (FakeBroker broker = broker(n -> Errors.NONE);
             KafkaCluster cluster = new KafkaCluster(settings(broker));
             Producer producer = new Producer(cluster, ProducerSettings.defaults())) {
            KafkaErrorException e = assertThrows(KafkaErrorException.class, () -> producer.send(record(2, "x")));
            assertEquals("partition 2 of topic 'orders' does not exist (it has 2 partitions)", e.getMessage());
        }
    }
}
