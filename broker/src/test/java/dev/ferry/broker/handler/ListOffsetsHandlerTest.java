package dev.ferry.broker.handler;

import static dev.ferry.broker.handler.DataPlaneApisFixture.context;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.broker.tenant.Role;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.ListOffsetsRequestData;
import dev.ferry.protocol.message.ListOffsetsRequestData.ListOffsetsPartition;
import dev.ferry.protocol.message.ListOffsetsRequestData.ListOffsetsTopic;
import dev.ferry.protocol.message.ListOffsetsResponseData;
import dev.ferry.protocol.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import dev.ferry.protocol.record.RecordBatchBuilder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ListOffsetsHandlerTest {

    private static final String TOPIC = "prices";
    private static final long EARLIEST = -2;
    private static final long LATEST = -1;
    private static final long MAX_TIMESTAMP = -3;
    /** Base of the compressed timelines' record timestamps. */
    private static final long T = 1_000_000;

    @TempDir
    Path dir;

    @Test
    void shouldAnswerEarliestAndLatestWithTheLogStartAndEndOffsets() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            fixture.produce(TOPIC, 0, fixture.batch("a", "b"));
            fixture.produce(TOPIC, 0, fixture.batch("c", "d", "e"));
            fixture.log(TOPIC, 0).deleteRecordsBefore(2);

            ListOffsetsPartitionResponse earliest = listOne(fixture, 6, EARLIEST);
            ListOffsetsPartitionResponse latest = listOne(fixture, 6, LATEST);
            ListOffsetsPartitionResponse earliestLocal = listOne(fixture, 8, -4);

            assertEquals(Errors.NONE.code(), earliest.errorCode());
            assertEquals(2, earliest.offset());
            assertEquals(-1, earliest.timestamp());
            assertEquals(0, earliest.leaderEpoch());
            assertEquals(5, latest.offset());
            assertEquals(-1, latest.timestamp());
            assertEquals(0, latest.leaderEpoch());
            assertEquals(2, earliestLocal.offset());
        }
    }

    @Test
    void shouldFindTheFirstOffsetAtOrAfterATimestamp() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            produceAt(fixture, 1_000);
            produceAt(fixture, 2_000);
            produceAt(fixture, 3_000);

            ListOffsetsPartitionResponse between = listOne(fixture, 5, 1_500);
            ListOffsetsPartitionResponse exact = listOne(fixture, 5, 3_000);
            ListOffsetsPartitionResponse after = listOne(fixture, 5, 3_001);

            assertEquals(1, between.offset());
            assertEquals(2_000, between.timestamp());
            assertEquals(0, between.leaderEpoch());
            assertEquals(2, exact.offset());
            assertEquals(3_000, exact.timestamp());
            assertEquals(Errors.NONE.code(), after.errorCode());
            assertEquals(-1, after.offset());
            assertEquals(-1, after.timestamp());
            assertEquals(-1, after.leaderEpoch());
        }
    }

    @Test
    void shouldAnswerTheLargestTimestampAndItsOffsetFromVersion7() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            produceAt(fixture, 1_000);
            produceAt(fixture, 3_000);
            produceAt(fixture, 2_000);

            ListOffsetsPartitionResponse max = listOne(fixture, 7, MAX_TIMESTAMP);
            ListOffsetsPartitionResponse tooOld = listOne(fixture, 6, MAX_TIMESTAMP);

            assertEquals(Errors.NONE.code(), max.errorCode());
            assertEquals(1, max.offset());
            assertEquals(3_000, max.timestamp());
            assertEquals(Errors.UNSUPPORTED_VERSION.code(), tooOld.errorCode());
        }
    }

    @Test
    void shouldAnswerNoOffsetForMaxTimestampOfAnEmptyLog() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);

            ListOffsetsPartitionResponse max = listOne(fixture, 7, MAX_TIMESTAMP);

            assertEquals(Errors.NONE.code(), max.errorCode());
            assertEquals(-1, max.offset());
            assertEquals(-1, max.timestamp());
        }
    }

    @Test
    void shouldAnswerNoTieredOffsetsAndRefuseUnknownSpecialTimestamps() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            fixture.produce(TOPIC, 0, fixture.batch("a"));

            ListOffsetsPartitionResponse latestTiered = listOne(fixture, 9, -5);
            ListOffsetsPartitionResponse pendingUpload = listOne(fixture, 11, -6);
            ListOffsetsPartitionResponse pendingUploadTooOld = listOne(fixture, 10, -6);
            ListOffsetsPartitionResponse unknown = listOne(fixture, 11, -7);

            assertEquals(Errors.NONE.code(), latestTiered.errorCode());
            assertEquals(-1, latestTiered.offset());
            assertEquals(-1, latestTiered.leaderEpoch());
            assertEquals(Errors.NONE.code(), pendingUpload.errorCode());
            assertEquals(-1, pendingUpload.offset());
            assertEquals(Errors.UNSUPPORTED_VERSION.code(), pendingUploadTooOld.errorCode());
            assertEquals(Errors.UNSUPPORTED_VERSION.code(), unknown.errorCode());
        }
    }

    @Test
    void shouldAnswerDuplicatedPartitionsOnceWithInvalidRequest() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 2);
            ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1)
                    .setTopics(new ArrayList<>(List.of(
                            topic(TOPIC, partition(0, LATEST), partition(1, LATEST)),
                            topic(TOPIC, partition(0, EARLIEST)))));

            ListOffsetsResponseData response = list(fixture, 6, request);

            assertEquals(1, response.topics().size());
            List<ListOffsetsPartitionResponse> partitions = response.topics().get(0).partitions();
            assertEquals(2, partitions.size());
            assertEquals(0, partitions.get(0).partitionIndex());
            assertEquals(Errors.INVALID_REQUEST.code(), partitions.get(0).errorCode());
            assertEquals(1, partitions.get(1).partitionIndex());
            assertEquals(Errors.NONE.code(), partitions.get(1).errorCode());
        }
    }

    @Test
    void shouldAnswerUnknownTopicOrPartitionWithoutCreatingIt() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1)
                    .setTopics(new ArrayList<>(List.of(topic(TOPIC, partition(1, LATEST)),
                            topic("missing", partition(0, LATEST)))));

            ListOffsetsResponseData response = list(fixture, 6, request);

            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(),
                    response.topics().get(0).partitions().get(0).errorCode());
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(),
                    response.topics().get(1).partitions().get(0).errorCode());
            assertTrue(fixture.topics().topic("missing").isEmpty());
        }
    }

    @Test
    void shouldCheckTheCurrentLeaderEpoch() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);

            assertEquals(Errors.NONE.code(), listOne(fixture, 6, LATEST, 0).errorCode());
            assertEquals(Errors.NONE.code(), listOne(fixture, 6, LATEST, -1).errorCode());
            assertEquals(Errors.UNKNOWN_LEADER_EPOCH.code(), listOne(fixture, 6, LATEST, 1).errorCode());
            assertEquals(Errors.FENCED_LEADER_EPOCH.code(), listOne(fixture, 6, LATEST, -2).errorCode());
        }
    }

    @Test
    void shouldEncodeTheResponseAtEveryVersion() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            fixture.produce(TOPIC, 0, fixture.batch("a"));
            ApiMessageType api = ApiMessageType.LIST_OFFSETS;
            for (short version = api.lowestSupportedVersion(); version <= api.highestSupportedVersion(); version++) {
                ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1)
                        .setTopics(new ArrayList<>(List.of(topic(TOPIC, partition(0, LATEST)))));
                ListOffsetsResponseData response = list(fixture, version, request);
                ByteBuf out = Unpooled.buffer();
                try {
                    response.write(out, version);
                    assertEquals(response.size(version), out.readableBytes());
                } finally {
                    out.release();
                }
                assertEquals(1, response.topics().get(0).partitions().get(0).offset(), "version " + version);
                assertEquals(version >= 4 ? 0 : -1, response.topics().get(0).partitions().get(0).leaderEpoch(),
                        "version " + version);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = {"GZIP", "SNAPPY", "LZ4", "ZSTD"})
    void shouldFindTheRecordAtOrAfterATimestampInsideCompressedBatches(CompressionType codec) {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            produceCompressedTimeline(fixture, codec);

            assertAnswer(listOne(fixture, 7, T - 1_000), 0, T);
            assertAnswer(listOne(fixture, 7, T + 150), 2, T + 200);
            // offsets 5 and 6 are closer in time, but offset 4 comes first in the log
            assertAnswer(listOne(fixture, 7, T + 300), 4, T + 900);
            assertAnswer(listOne(fixture, 7, T + 900), 4, T + 900);
            assertAnswer(listOne(fixture, 7, T + 901), -1, -1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = {"GZIP", "SNAPPY", "LZ4", "ZSTD"})
    void shouldAnswerTheMaxTimestampWithTheRecordCarryingItInsideACompressedBatch(CompressionType codec) {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            produceCompressedTimeline(fixture, codec);

            assertAnswer(listOne(fixture, 7, MAX_TIMESTAMP), 4, T + 900);
        }
    }

    @Test
    void shouldSkipRecordsBelowTheLogStartInsideACompressedBatch() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            produceCompressedTimeline(fixture, CompressionType.LZ4);
            fixture.log(TOPIC, 0).deleteRecordsBefore(5);

            assertAnswer(listOne(fixture, 7, T), 5, T + 400);
            // offset 4 (T+900) is gone and offset 5 is too old: the answer lies in the next batch
            assertAnswer(listOne(fixture, 7, T + 450), 6, T + 500);
            assertAnswer(listOne(fixture, 7, T + 800), -1, -1);
        }
    }

    @Test
    void shouldAnswerACompressedLogAppendTimeBatchWithItsFirstOffset() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1, Map.of("message.timestamp.type", "LogAppendTime"));
            long before = System.currentTimeMillis();
            produceCompressed(fixture, CompressionType.ZSTD, T, T + 900, T + 400);

            ListOffsetsPartitionResponse max = listOne(fixture, 7, MAX_TIMESTAMP);
            ListOffsetsPartitionResponse byTime = listOne(fixture, 7, T + 500);

            assertTrue(max.timestamp() >= before, "the append time, not a producer's timestamp");
            assertAnswer(max, 0, max.timestamp());
            assertAnswer(byTime, 0, max.timestamp());
        }
    }

    private static void produceAt(DataPlaneApisFixture fixture, long timestamp) {
        fixture.produce(TOPIC, 0, fixture.batch(new RecordBatchBuilder().add(timestamp, null, new byte[] {1})));
    }

    /**
     * Three compressed batches, offsets 0-2, 3-5 and 6, with timestamps T, T+100, T+200 | T+200, T+900, T+400 |
     * T+500: the newest record sits inside a batch and older ones follow it.
     */
    private static void produceCompressedTimeline(DataPlaneApisFixture fixture, CompressionType codec) {
        produceCompressed(fixture, codec, T, T + 100, T + 200);
        produceCompressed(fixture, codec, T + 200, T + 900, T + 400);
        produceCompressed(fixture, codec, T + 500);
    }

    /** Produces one batch that kafka-clients compressed, as a producer would send it. */
    private static void produceCompressed(DataPlaneApisFixture fixture, CompressionType codec, long... timestamps) {
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(4096), Compression.of(codec).build(),
                TimestampType.CREATE_TIME, 0L);
        for (int i = 0; i < timestamps.length; i++) {
            builder.append(new SimpleRecord(timestamps[i], null, ("value-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        ByteBuffer built = builder.build().buffer();
        ByteBuf batch = fixture.track(PooledByteBufAllocator.DEFAULT.buffer(built.remaining()));
        batch.writeBytes(built);
        assertEquals(Errors.NONE.code(), fixture.produce(TOPIC, 0, batch).errorCode(), "produce " + codec);
    }

    private static void assertAnswer(ListOffsetsPartitionResponse response, long offset, long timestamp) {
        assertEquals(Errors.NONE.code(), response.errorCode());
        assertEquals(offset, response.offset(), "offset");
        assertEquals(timestamp, response.timestamp(), "timestamp");
    }

    @Test
    void shouldRefuseATenantAnotherApplicationsTopicWhetherItExistsOrNot() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic("acme.events", 1);
            fixture.createTopic("globex.events", 1);
            fixture.produce("acme.events", 0, fixture.batch("a", "b"));
            ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1)
                    .setTopics(new ArrayList<>(List.of(topic("acme.events", partition(0, LATEST)),
                            topic("globex.events", partition(0, LATEST)),
                            topic("globex.missing", partition(0, LATEST)))));

            ListOffsetsResponseData response = new ListOffsetsHandler(fixture.topics())
                    .handle(context(ApiMessageType.LIST_OFFSETS, 7, TopicsFixture.acme(Role.PRODUCE)), request)
                    .join();

            ListOffsetsPartitionResponse mine = response.topics().get(0).partitions().get(0);
            assertEquals(Errors.NONE.code(), mine.errorCode());
            assertEquals(2, mine.offset());
            for (int topic = 1; topic <= 2; topic++) {
                ListOffsetsPartitionResponse refused = response.topics().get(topic).partitions().get(0);
                assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), refused.errorCode());
                assertEquals(-1, refused.offset());
                assertEquals(-1, refused.timestamp());
            }
        }
    }

    private static ListOffsetsPartitionResponse listOne(DataPlaneApisFixture fixture, int version, long timestamp) {
        return listOne(fixture, version, timestamp, -1);
    }

    private static ListOffsetsPartitionResponse listOne(DataPlaneApisFixture fixture, int version, long timestamp,
                                                        int currentLeaderEpoch) {
        ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1)
                .setTopics(new ArrayList<>(List.of(topic(TOPIC,
                        partition(0, timestamp).setCurrentLeaderEpoch(currentLeaderEpoch)))));
        return list(fixture, version, request).topics().get(0).partitions().get(0);
    }

    private static ListOffsetsResponseData list(DataPlaneApisFixture fixture, int version,
                                                ListOffsetsRequestData request) {
        return new ListOffsetsHandler(fixture.topics()).handle(context(ApiMessageType.LIST_OFFSETS, version), request)
                .join();
    }

    private static ListOffsetsTopic topic(String name, ListOffsetsPartition... partitions) {
        return new ListOffsetsTopic().setName(name).setPartitions(new ArrayList<>(List.of(partitions)));
    }

    private static ListOffsetsPartition partition(int index, long timestamp) {
        return new ListOffsetsPartition().setPartitionIndex(index).setTimestamp(timestamp);
    }
}
