package dev.ferry.broker.handler;

import static dev.ferry.broker.handler.DataPlaneApisFixture.context;
import static dev.ferry.broker.handler.DataPlaneApisFixture.offsets;
import static dev.ferry.broker.handler.DataPlaneApisFixture.partition;
import static dev.ferry.broker.handler.DataPlaneApisFixture.release;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.broker.tenant.Role;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.DeleteRecordsRequestData;
import dev.ferry.protocol.message.DeleteRecordsRequestData.DeleteRecordsPartition;
import dev.ferry.protocol.message.DeleteRecordsRequestData.DeleteRecordsTopic;
import dev.ferry.protocol.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import dev.ferry.protocol.message.FetchRequestData;
import dev.ferry.protocol.message.FetchRequestData.FetchPartition;
import dev.ferry.protocol.message.FetchRequestData.FetchTopic;
import dev.ferry.protocol.message.FetchResponseData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeleteRecordsHandlerTest {

    private static final String TOPIC = "logs";

    @TempDir
    Path dir;

    @Test
    void shouldMoveTheLogStartSoThatFetchingBelowItIsOutOfRange() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            for (String value : List.of("a", "b", "c", "d", "e")) {
                fixture.produce(TOPIC, 0, fixture.batch(value));
            }

            DeleteRecordsPartitionResult result = delete(fixture, 0, 3);

            assertEquals(Errors.NONE.code(), result.errorCode());
            assertEquals(3, result.lowWatermark());
            assertEquals(3, fixture.log(TOPIC, 0).logStartOffset());
            FetchResponseData below = fetch(fixture, 1);
            assertEquals(Errors.OFFSET_OUT_OF_RANGE.code(), partition(below, 0).errorCode());
            FetchResponseData at = fetch(fixture, 3);
            try {
                assertEquals(Errors.NONE.code(), partition(at, 0).errorCode());
                assertEquals(3, partition(at, 0).logStartOffset());
                assertEquals(List.of(3L, 4L), offsets(partition(at, 0).records()));
            } finally {
                release(at);
            }
        }
    }

    @Test
    void shouldDeleteUpToTheHighWatermarkForOffsetMinusOne() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            fixture.produce(TOPIC, 0, fixture.batch("a", "b"));

            DeleteRecordsPartitionResult result = delete(fixture, 0, -1);

            assertEquals(Errors.NONE.code(), result.errorCode());
            assertEquals(2, result.lowWatermark());
            assertEquals(2, fixture.log(TOPIC, 0).logStartOffset());
        }
    }

    @Test
    void shouldKeepTheLogStartWhenTheOffsetIsBelowIt() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            fixture.produce(TOPIC, 0, fixture.batch("a", "b", "c"));
            delete(fixture, 0, 2);

            DeleteRecordsPartitionResult result = delete(fixture, 0, 1);

            assertEquals(Errors.NONE.code(), result.errorCode());
            assertEquals(2, result.lowWatermark());
        }
    }

    @Test
    void shouldRefuseOffsetsBeyondTheLogEndOrNegative() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            fixture.produce(TOPIC, 0, fixture.batch("a"));

            DeleteRecordsPartitionResult beyond = delete(fixture, 0, 2);
            DeleteRecordsPartitionResult negative = delete(fixture, 0, -2);

            assertEquals(Errors.OFFSET_OUT_OF_RANGE.code(), beyond.errorCode());
            assertEquals(-1, beyond.lowWatermark());
            assertEquals(Errors.OFFSET_OUT_OF_RANGE.code(), negative.errorCode());
            assertEquals(0, fixture.log(TOPIC, 0).logStartOffset());
        }
    }

    @Test
    void shouldAnswerUnknownTopicOrPartition() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);

            DeleteRecordsPartitionResult result = delete(fixture, 4, 0);

            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), result.errorCode());
            assertEquals(-1, result.lowWatermark());
        }
    }

    @Test
    void shouldRefuseTopicsWhoseCleanupPolicyDoesNotDelete() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1, Map.of("cleanup.policy", "compact"));
            fixture.produce(TOPIC, 0, fixture.batch("a"));

            DeleteRecordsPartitionResult result = delete(fixture, 0, 1);

            assertEquals(Errors.POLICY_VIOLATION.code(), result.errorCode());
            assertEquals(0, fixture.log(TOPIC, 0).logStartOffset());
        }
    }

    @Test
    void shouldRefuseAnotherApplicationsTopicOrAConsumeOnlyKeyAndKeepTheRecords() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic("acme.events", 1);
            fixture.createTopic("globex.events", 1);
            fixture.produce("acme.events", 0, fixture.batch("a", "b"));
            fixture.produce("globex.events", 0, fixture.batch("a", "b"));

            DeleteRecordsPartitionResult theirs = deleteAs(fixture, "globex.events", Role.ALL);
            DeleteRecordsPartitionResult consumeOnly = deleteAs(fixture, "acme.events", Role.CONSUME);

            assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), theirs.errorCode());
            assertEquals(-1, theirs.lowWatermark());
            assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), consumeOnly.errorCode());
            assertEquals(0, fixture.log("globex.events", 0).logStartOffset());
            assertEquals(0, fixture.log("acme.events", 0).logStartOffset());

            DeleteRecordsPartitionResult mine = deleteAs(fixture, "acme.events", Role.PRODUCE);

            assertEquals(Errors.NONE.code(), mine.errorCode());
            assertEquals(1, mine.lowWatermark());
        }
    }

    private static DeleteRecordsPartitionResult deleteAs(DataPlaneApisFixture fixture, String topic, Role role) {
        DeleteRecordsRequestData request = new DeleteRecordsRequestData().setTimeoutMs(1000)
                .setTopics(new ArrayList<>(List.of(new DeleteRecordsTopic().setName(topic)
                        .setPartitions(new ArrayList<>(List.of(new DeleteRecordsPartition()
                                .setPartitionIndex(0).setOffset(1)))))));
        return new DeleteRecordsHandler(fixture.topics(), fixture.waiters())
                .handle(context(ApiMessageType.DELETE_RECORDS, 2, TopicsFixture.acme(role)), request).join()
                .topics().get(0).partitions().get(0);
    }

    private static DeleteRecordsPartitionResult delete(DataPlaneApisFixture fixture, int partition, long offset) {
        DeleteRecordsRequestData request = new DeleteRecordsRequestData().setTimeoutMs(1000)
                .setTopics(new ArrayList<>(List.of(new DeleteRecordsTopic().setName(TOPIC)
                        .setPartitions(new ArrayList<>(List.of(new DeleteRecordsPartition()
                                .setPartitionIndex(partition).setOffset(offset)))))));
        return new DeleteRecordsHandler(fixture.topics(), fixture.waiters())
                .handle(context(ApiMessageType.DELETE_RECORDS, 2), request).join()
                .topics().get(0).partitions().get(0);
    }

    private static FetchResponseData fetch(DataPlaneApisFixture fixture, long offset) {
        FetchRequestData request = new FetchRequestData().setMaxWaitMs(0).setMinBytes(0).setMaxBytes(1 << 20)
                .setSessionEpoch(-1).setTopics(new ArrayList<>(List.of(new FetchTopic().setTopic(TOPIC)
                        .setPartitions(new ArrayList<>(List.of(new FetchPartition().setPartition(0)
                                .setFetchOffset(offset).setPartitionMaxBytes(1 << 20)))))));
        return fixture.fetchHandler().handle(context(ApiMessageType.FETCH, 12), request).join();
    }
}
