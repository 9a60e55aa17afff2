package dev.ferry.broker.handler;

import static dev.ferry.broker.handler.DataPlaneApisFixture.bytes;
import static dev.ferry.broker.handler.DataPlaneApisFixture.context;
import static dev.ferry.broker.handler.DataPlaneApisFixture.offsets;
import static dev.ferry.broker.handler.DataPlaneApisFixture.partition;
import static dev.ferry.broker.handler.DataPlaneApisFixture.release;
import static dev.ferry.broker.handler.DataPlaneApisFixture.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.broker.network.FetchSliceRecords;
import dev.ferry.broker.tenant.Role;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.FetchRequestData;
import dev.ferry.protocol.message.FetchRequestData.FetchPartition;
import dev.ferry.protocol.message.FetchRequestData.FetchTopic;
import dev.ferry.protocol.message.FetchResponseData;
import dev.ferry.protocol.message.FetchResponseData.PartitionData;
import dev.ferry.protocol.record.RecordBatchBuilder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FetchHandlerTest {

    private static final String TOPIC = "events";
    private static final int VERSION = 12;

    @TempDir
    Path dir;

    @Test
    void shouldReturnProducedRecordsWithTheirOffsetsAndTheHighWatermark() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            fixture.produce(TOPIC, 0, fixture.batch("a", "b", "c"));
            fixture.produce(TOPIC, 0, fixture.batch("d", "e"));

            FetchResponseData response = fetch(fixture, request(1 << 20, fetchPartition(0, 0, 1 << 20)));
            try {
                PartitionData data = partition(response, 0);
                assertEquals(Errors.NONE.code(), response.errorCode());
                assertEquals(0, response.sessionId());
                assertEquals(Errors.NONE.code(), data.errorCode());
                assertEquals(5, data.highWatermark());
                assertEquals(5, data.lastStableOffset());
                assertEquals(0, data.logStartOffset());
                assertEquals(-1, data.preferredReadReplica());
                assertNull(data.abortedTransactions());
                assertInstanceOf(FetchSliceRecords.class, data.records());
                assertEquals(List.of("a", "b", "c", "d", "e"), values(data.records()));
                assertEquals(List.of(0L, 1L, 2L, 3L, 4L), offsets(data.records()));
            } finally {
                release(response);
            }
        }
    }

    @Test
    void shouldReadFromTheBatchHoldingTheFetchOffset() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            fixture.produce(TOPIC, 0, fixture.batch("a", "b"));
            fixture.produce(TOPIC, 0, fixture.batch("c", "d"));

            FetchResponseData response = fetch(fixture, request(1 << 20, fetchPartition(0, 3, 1 << 20)));
            try {
                // Kafka returns whole batches; the consumer skips records below its position
                assertEquals(List.of(2L, 3L), offsets(partition(response, 0).records()));
            } finally {
                release(response);
            }
        }
    }

    @Test
    void shouldAnswerOffsetOutOfRangeAboveTheLogEnd() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            fixture.produce(TOPIC, 0, fixture.batch("a"));

            FetchResponseData response = fetch(fixture, request(1 << 20, fetchPartition(0, 2, 1 << 20)));

            PartitionData data = partition(response, 0);
            assertEquals(1, data.errorCode());
            assertEquals(Errors.OFFSET_OUT_OF_RANGE.code(), data.errorCode());
            assertEquals(-1, data.highWatermark());
            assertEquals(-1, data.logStartOffset());
            assertEquals(0, data.records().sizeInBytes());
        }
    }

    @Test
    void shouldAnswerEmptyRecordsAtTheLogEndWhenNotWaiting() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            fixture.produce(TOPIC, 0, fixture.batch("a"));

            FetchResponseData response = fetch(fixture, request(1 << 20, fetchPartition(0, 1, 1 << 20)));
            try {
                PartitionData data = partition(response, 0);
                assertEquals(Errors.NONE.code(), data.errorCode());
                assertEquals(1, data.highWatermark());
                assertEquals(0, data.records().sizeInBytes());
            } finally {
                release(response);
            }
        }
    }

    @Test
    void shouldAnswerUnknownTopicOrPartitionWithoutCreatingIt() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            FetchRequestData request = request(1 << 20, fetchPartition(1, 0, 1024));
            request.topics().add(new FetchTopic().setTopic("missing")
                    .setPartitions(new ArrayList<>(List.of(fetchPartition(0, 0, 1024)))));

            FetchResponseData response = fetch(fixture, request);

            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(),
                    response.responses().get(0).partitions().get(0).errorCode());
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(),
                    response.responses().get(1).partitions().get(0).errorCode());
            assertTrue(fixture.topics().topic("missing").isEmpty());
        }
    }

    @Test
    void shouldAnswerUnknownLeaderEpochForAnEpochAboveZero() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);

            FetchResponseData response = fetch(fixture,
                    request(1 << 20, fetchPartition(0, 0, 1024).setCurrentLeaderEpoch(1)));

            assertEquals(Errors.UNKNOWN_LEADER_EPOCH.code(), partition(response, 0).errorCode());
        }
    }

    @Test
    void shouldResolveTopicIdsFromVersion13() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            fixture.produce(TOPIC, 0, fixture.batch("a"));
            UUID id = fixture.topics().topic(TOPIC).orElseThrow().id();
            UUID unknown = new UUID(7, 7);
            FetchRequestData request = new FetchRequestData().setMaxWaitMs(0).setMinBytes(0).setMaxBytes(1 << 20)
                    .setSessionEpoch(-1).setTopics(new ArrayList<>(List.of(
                            new FetchTopic().setTopicId(id)
                                    .setPartitions(new ArrayList<>(List.of(fetchPartition(0, 0, 1024)))),
                            new FetchTopic().setTopicId(unknown)
                                    .setPartitions(new ArrayList<>(List.of(fetchPartition(0, 0, 1024)))))));

            FetchResponseData response = fixture.fetchHandler().handle(context(ApiMessageType.FETCH, 13), request)
                    .join();
            try {
                assertEquals(id, response.responses().get(0).topicId());
                assertEquals(List.of("a"), values(response.responses().get(0).partitions().get(0).records()));
                assertEquals(unknown, response.responses().get(1).topicId());
                assertEquals(Errors.UNKNOWN_TOPIC_ID.code(),
                        response.responses().get(1).partitions().get(0).errorCode());
            } finally {
                release(response);
            }
        }
    }

    @Test
    void shouldAnswerFetchSessionIdNotFoundForAnIncrementalFetch() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            FetchRequestData request = request(1 << 20, fetchPartition(0, 0, 1024)).setSessionId(12).setSessionEpoch(3);

            FetchResponseData response = fetch(fixture, request);

            assertEquals(Errors.FETCH_SESSION_ID_NOT_FOUND.code(), response.errorCode());
            assertEquals(0, response.sessionId());
            assertTrue(response.responses().isEmpty());
        }
    }

    @Test
    void shouldAnswerFullFetchOfAnUnknownSessionWithoutCreatingOne() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            FetchRequestData request = request(1 << 20, fetchPartition(0, 0, 1024)).setSessionId(12).setSessionEpoch(0);

            FetchResponseData response = fetch(fixture, request);
            try {
                assertEquals(Errors.NONE.code(), response.errorCode());
                assertEquals(0, response.sessionId());
                assertEquals(Errors.NONE.code(), partition(response, 0).errorCode());
            } finally {
                release(response);
            }
        }
    }

    @Test
    void shouldSendEmptyAbortedTransactionsForReadCommitted() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            fixture.produce(TOPIC, 0, fixture.batch("a"));

            FetchResponseData response = fetch(fixture,
                    request(1 << 20, fetchPartition(0, 0, 1024)).setIsolationLevel((byte) 1));
            try {
                assertNotNull(partition(response, 0).abortedTransactions());
                assertTrue(partition(response, 0).abortedTransactions().isEmpty());
                assertEquals(List.of("a"), values(partition(response, 0).records()));
            } finally {
                release(response);
            }
        }
    }

    @Test
    void shouldShareTheResponseMaxBytesAcrossPartitionsInRequestOrder() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 2);
            int batchSize = produceTwoEqualBatches(fixture, 0);
            produceTwoEqualBatches(fixture, 1);

            FetchResponseData response = fetch(fixture, request(3 * batchSize,
                    fetchPartition(0, 0, 1 << 20), fetchPartition(1, 0, 1 << 20)));
            try {
                assertEquals(2 * batchSize, partition(response, 0).records().sizeInBytes());
                assertEquals(List.of(0L, 1L), offsets(partition(response, 0).records()));
                assertEquals(batchSize, partition(response, 1).records().sizeInBytes());
                assertEquals(List.of(0L), offsets(partition(response, 1).records()));
            } finally {
                release(response);
            }
        }
    }

    @Test
    void shouldHonourPartitionMaxBytes() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 2);
            int batchSize = produceTwoEqualBatches(fixture, 0);
            produceTwoEqualBatches(fixture, 1);

            FetchResponseData response = fetch(fixture, request(1 << 20,
                    fetchPartition(0, 0, batchSize + 1), fetchPartition(1, 0, 2 * batchSize)));
            try {
                assertEquals(List.of(0L), offsets(partition(response, 0).records()));
                assertEquals(List.of(0L, 1L), offsets(partition(response, 1).records()));
            } finally {
                release(response);
            }
        }
    }

    @Test
    void shouldReturnOneWholeBatchOfTheFirstPartitionWithDataEvenBeyondTheLimits() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 3);
            int batchSize = produceTwoEqualBatches(fixture, 1);
            produceTwoEqualBatches(fixture, 2);

            FetchResponseData response = fetch(fixture, request(batchSize / 2,
                    fetchPartition(0, 0, 10), fetchPartition(1, 0, 10), fetchPartition(2, 0, 10)));
            try {
                assertEquals(0, partition(response, 0).records().sizeInBytes());
                assertEquals(batchSize, partition(response, 1).records().sizeInBytes());
                assertEquals(List.of(0L), offsets(partition(response, 1).records()));
                assertEquals(0, partition(response, 2).records().sizeInBytes());
            } finally {
                release(response);
            }
        }
    }

    @Test
    void shouldCompleteLongPollWhenAnAppendBringsRecords() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            fixture.produce(TOPIC, 0, fixture.batch("old"));
            FetchRequestData request = request(1 << 20, fetchPartition(0, 1, 1 << 20))
                    .setMinBytes(1).setMaxWaitMs(60_000);

            CompletableFuture<FetchResponseData> future = fixture.fetchHandler()
                    .handle(context(ApiMessageType.FETCH, VERSION), request);
            assertFalse(future.isDone(), "nothing to read yet: the fetch waits");

            fixture.produce(TOPIC, 0, fixture.batch("new"));

            // the append woke the fetch on the producer's thread, before produce returned
            assertTrue(future.isDone());
            FetchResponseData response = future.join();
            try {
                assertEquals(List.of("new"), values(partition(response, 0).records()));
                assertEquals(2, partition(response, 0).highWatermark());
            } finally {
                release(response);
            }
        }
    }

    @Test
    void shouldCompleteLongPollAtMaxWaitWithWhatIsThere() throws Exception {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            FetchRequestData request = request(1 << 20, fetchPartition(0, 0, 1 << 20))
                    .setMinBytes(1).setMaxWaitMs(20);

            FetchResponseData response = fixture.fetchHandler()
                    .handle(context(ApiMessageType.FETCH, VERSION), request).get(30, TimeUnit.SECONDS);
            try {
                assertEquals(Errors.NONE.code(), partition(response, 0).errorCode());
                assertEquals(0, partition(response, 0).records().sizeInBytes());
                assertEquals(0, partition(response, 0).highWatermark());
            } finally {
                release(response);
            }
        }
    }

    @Test
    void shouldKeepWaitingBelowMinBytesAndSendWhatArrivedAtMaxWait() throws Exception {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            FetchRequestData request = request(1 << 20, fetchPartition(0, 0, 1 << 20))
                    .setMinBytes(1 << 16).setMaxWaitMs(300);

            CompletableFuture<FetchResponseData> future = fixture.fetchHandler()
                    .handle(context(ApiMessageType.FETCH, VERSION), request);
            fixture.produce(TOPIC, 0, fixture.batch("small"));
            boolean doneRightAfterAppend = future.isDone();
            FetchResponseData response = future.get(30, TimeUnit.SECONDS);
            try {
                assertFalse(doneRightAfterAppend, "one small batch is below min_bytes");
                assertEquals(List.of("small"), values(partition(response, 0).records()));
            } finally {
                release(response);
            }
        }
    }

    @Test
    void shouldAnswerAtOnceWhenAPartitionIsInError() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            FetchRequestData request = request(1 << 20, fetchPartition(0, 0, 1024), fetchPartition(9, 0, 1024))
                    .setMinBytes(1).setMaxWaitMs(60_000);

            CompletableFuture<FetchResponseData> future = fixture.fetchHandler()
                    .handle(context(ApiMessageType.FETCH, VERSION), request);

            assertTrue(future.isDone());
            FetchResponseData response = future.join();
            try {
                assertEquals(Errors.NONE.code(), partition(response, 0).errorCode());
                assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), partition(response, 9).errorCode());
            } finally {
                release(response);
            }
        }
    }

    @Test
    void shouldCapMaxBytesByTheBrokerFetchMaxBytes() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir,
                Map.of("fetch.max.bytes", "1024"))) {
            fixture.createTopic(TOPIC, 2);
            ByteBuf big = fixture.batch(new RecordBatchBuilder().add(1, null, new byte[700]));
            fixture.produce(TOPIC, 0, big);
            fixture.produce(TOPIC, 1, fixture.batch(new RecordBatchBuilder().add(1, null, new byte[700])));

            FetchResponseData response = fetch(fixture, request(Integer.MAX_VALUE,
                    fetchPartition(0, 0, 1 << 20), fetchPartition(1, 0, 1 << 20)));
            try {
                assertTrue(partition(response, 0).records().sizeInBytes() > 700);
                assertEquals(0, partition(response, 1).records().sizeInBytes(),
                        "1024 bytes leave no room for a second batch of over 700");
            } finally {
                release(response);
            }
        }
    }

    @Test
    void shouldEncodeTheResponseAtEveryVersion() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            fixture.produce(TOPIC, 0, fixture.batch("a"));
            UUID id = fixture.topics().topic(TOPIC).orElseThrow().id();
            ApiMessageType api = ApiMessageType.FETCH;
            for (short version = api.lowestSupportedVersion(); version <= api.highestSupportedVersion(); version++) {
                FetchRequestData request = request(1 << 20, fetchPartition(0, 0, 1024), fetchPartition(3, 0, 1024));
                request.topics().get(0).setTopicId(id);
                FetchResponseData response = fixture.fetchHandler().handle(context(api, version), request).join();
                ByteBuf out = Unpooled.buffer();
                try {
                    response.write(out, version, (target, records) -> target.writeBytes(bytes(records)));
                    assertEquals(response.size(version), out.readableBytes(), "version " + version);
                    assertEquals(List.of("a"), values(partition(response, 0).records()), "version " + version);
                    assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), partition(response, 3).errorCode());
                } finally {
                    out.release();
                    release(response);
                }
            }
        }
    }

    @Test
    void shouldAnswerUnknownTopicOrPartitionForALogDeletedUnderTheFetchAndServeTheOthers() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 2);
            fixture.produce(TOPIC, 0, fixture.batch("gone"));
            fixture.produce(TOPIC, 1, fixture.batch("still here"));
            fixture.deleteLogUnderneath(TOPIC, 0);

            FetchResponseData response = fetch(fixture, request(1 << 20, fetchPartition(0, 0, 1 << 20),
                    fetchPartition(1, 0, 1 << 20)));
            try {
                PartitionData deleted = partition(response, 0);
                assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), deleted.errorCode());
                assertEquals(-1, deleted.highWatermark());
                assertEquals(0, deleted.records().sizeInBytes());
                assertEquals(Errors.NONE.code(), partition(response, 1).errorCode());
                assertEquals(List.of("still here"), values(partition(response, 1).records()));
            } finally {
                release(response);
            }
        }
    }

    @Test
    void shouldReleaseEverySegmentWhenTheTopicIsDeletedWhileAFetchWaits() throws Exception {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            fixture.produce(TOPIC, 0, fixture.batch("before"));
            FetchRequestData request = request(1 << 20, fetchPartition(0, 0, 1 << 20))
                    .setMinBytes(1 << 16).setMaxWaitMs(50);

            CompletableFuture<FetchResponseData> future = fixture.fetchHandler()
                    .handle(context(ApiMessageType.FETCH, VERSION), request);
            assertFalse(future.isDone(), "one small batch is below min_bytes");
            assertTrue(fixture.topics().delete(TOPIC).isOk());

            FetchResponseData response = future.get(30, TimeUnit.SECONDS);
            try {
                // the slice read before the deletion still reads the unlinked file
                assertEquals(List.of("before"), values(partition(response, 0).records()));
            } finally {
                release(response);
            }
            fixture.awaitNoOpenSegments();
        }
    }

    @Test
    void shouldRefuseATenantAnotherApplicationsTopicByNameWhetherItExistsOrNot() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic("acme.events", 1);
            fixture.createTopic("globex.events", 2);
            fixture.produce("acme.events", 0, fixture.batch("mine"));
            fixture.produce("globex.events", 0, fixture.batch("theirs"));
            FetchRequestData request = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(0)
                    .setMaxBytes(1 << 20).setSessionId(0).setSessionEpoch(-1).setTopics(new ArrayList<>(List.of(
                            new FetchTopic().setTopic("acme.events").setPartitions(new ArrayList<>(
                                    List.of(fetchPartition(0, 0, 1 << 20)))),
                            new FetchTopic().setTopic("globex.events").setPartitions(new ArrayList<>(
                                    List.of(fetchPartition(0, 0, 1 << 20), fetchPartition(1, 0, 1 << 20)))),
                            new FetchTopic().setTopic("globex.missing").setPartitions(new ArrayList<>(
                                    List.of(fetchPartition(0, 0, 1 << 20)))))));

            FetchResponseData response = fixture.fetchHandler()
                    .handle(context(ApiMessageType.FETCH, VERSION, TopicsFixture.acme(Role.ALL)), request).join();
            try {
                PartitionData mine = response.responses().get(0).partitions().get(0);
                assertEquals(Errors.NONE.code(), mine.errorCode());
                assertEquals(List.of("mine"), values(mine.records()));
                for (int topic = 1; topic <= 2; topic++) {
                    for (PartitionData refused : response.responses().get(topic).partitions()) {
                        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), refused.errorCode());
                        assertEquals(-1, refused.highWatermark());
                        assertEquals(0, bytes(refused.records()).length);
                    }
                }
                assertEquals(2, response.responses().get(1).partitions().size());
                assertFalse(fixture.topics().topic("globex.missing").isPresent(), "nothing is auto-created");
            } finally {
                release(response);
            }
        }
    }

    @Test
    void shouldRefuseAnExistingTopicIdOfAnotherApplicationAndKeepUnknownIdsUnknown() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic("globex.events", 1);
            fixture.produce("globex.events", 0, fixture.batch("theirs"));
            UUID theirs = fixture.topics().topic("globex.events").orElseThrow().id();
            UUID unknown = UUID.randomUUID();
            FetchRequestData request = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(0)
                    .setMaxBytes(1 << 20).setSessionId(0).setSessionEpoch(-1).setTopics(new ArrayList<>(List.of(
                            new FetchTopic().setTopicId(theirs).setPartitions(new ArrayList<>(
                                    List.of(fetchPartition(0, 0, 1 << 20)))),
                            new FetchTopic().setTopicId(unknown).setPartitions(new ArrayList<>(
                                    List.of(fetchPartition(0, 0, 1 << 20)))))));

            FetchResponseData response = fixture.fetchHandler()
                    .handle(context(ApiMessageType.FETCH, 13, TopicsFixture.acme(Role.ALL)), request).join();
            try {
                assertEquals(theirs, response.responses().get(0).topicId());
                assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(),
                        response.responses().get(0).partitions().get(0).errorCode());
                assertEquals(Errors.UNKNOWN_TOPIC_ID.code(),
                        response.responses().get(1).partitions().get(0).errorCode());
            } finally {
                release(response);
            }
        }
    }

    @Test
    void shouldRefuseAProduceOnlyKeyEvenItsOwnTopics() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic("acme.events", 1);
            fixture.produce("acme.events", 0, fixture.batch("mine"));
            FetchRequestData request = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(0)
                    .setMaxBytes(1 << 20).setSessionId(0).setSessionEpoch(-1).setTopics(new ArrayList<>(List.of(
                            new FetchTopic().setTopic("acme.events").setPartitions(new ArrayList<>(
                                    List.of(fetchPartition(0, 0, 1 << 20)))))));

            FetchResponseData produceOnly = fixture.fetchHandler()
                    .handle(context(ApiMessageType.FETCH, VERSION, TopicsFixture.acme(Role.PRODUCE)), request).join();
            FetchResponseData consume = fixture.fetchHandler()
                    .handle(context(ApiMessageType.FETCH, VERSION, TopicsFixture.acme(Role.CONSUME)), request).join();
            try {
                assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), partition(produceOnly, 0).errorCode());
                assertEquals(Errors.NONE.code(), partition(consume, 0).errorCode());
                assertEquals(List.of("mine"), values(partition(consume, 0).records()));
            } finally {
                release(produceOnly);
                release(consume);
            }
        }
    }

    /** Produces two batches of one record each, of equal size, and returns that size. */
    private static int produceTwoEqualBatches(DataPlaneApisFixture fixture, int partition) {
        ByteBuf first = fixture.batch("value-1");
        int size = first.readableBytes();
        fixture.produce(TOPIC, partition, first);
        fixture.produce(TOPIC, partition, fixture.batch("value-2"));
        return size;
    }

    private static FetchResponseData fetch(DataPlaneApisFixture fixture, FetchRequestData request) {
        CompletableFuture<FetchResponseData> future = fixture.fetchHandler()
                .handle(context(ApiMessageType.FETCH, VERSION), request);
        assertTrue(future.isDone(), "a fetch that does not wait answers at once");
        return future.join();
    }

    /** A full, sessionless fetch of {@link #TOPIC} that does not wait. */
    private static FetchRequestData request(int maxBytes, FetchPartition... partitions) {
        return new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(0)
                .setMaxBytes(maxBytes)
                .setSessionId(0).setSessionEpoch(-1)
                .setTopics(new ArrayList<>(List.of(new FetchTopic().setTopic(TOPIC)
                        .setPartitions(new ArrayList<>(List.of(partitions))))));
    }

    private static FetchPartition fetchPartition(int index, long offset, int maxBytes) {
        return new FetchPartition().setPartition(index).setFetchOffset(offset).setPartitionMaxBytes(maxBytes)
                .setCurrentLeaderEpoch(-1);
    }
}
