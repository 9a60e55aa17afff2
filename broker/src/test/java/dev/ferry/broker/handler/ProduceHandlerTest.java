package dev.ferry.broker.handler;

import static dev.ferry.broker.handler.DataPlaneApisFixture.context;
import static dev.ferry.broker.handler.DataPlaneApisFixture.produceRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.broker.tenant.Principal;
import dev.ferry.broker.tenant.Role;
import dev.ferry.broker.topic.StorageQuota;
import dev.ferry.protocol.ByteBufRecords;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.FetchRequestData;
import dev.ferry.protocol.message.FetchRequestData.FetchPartition;
import dev.ferry.protocol.message.FetchRequestData.FetchTopic;
import dev.ferry.protocol.message.FetchResponseData;
import dev.ferry.protocol.message.ProduceRequestData;
import dev.ferry.protocol.message.ProduceRequestData.PartitionProduceData;
import dev.ferry.protocol.message.ProduceRequestData.TopicProduceData;
import dev.ferry.protocol.message.ProduceResponseData;
import dev.ferry.protocol.message.ProduceResponseData.PartitionProduceResponse;
import dev.ferry.protocol.message.ProduceResponseData.TopicProduceResponse;
import dev.ferry.protocol.record.RecordBatch;
import dev.ferry.protocol.record.RecordBatchBuilder;
import dev.ferry.protocol.record.RecordBatchDescriptor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProduceHandlerTest {

    private static final String TOPIC = "orders";

    @TempDir
    Path dir;

    @Test
    void shouldAssignConsecutiveOffsetsToSuccessiveBatches() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);

            PartitionProduceResponse first = fixture.produce(TOPIC, 0, fixture.batch("a", "b", "c"));
            PartitionProduceResponse second = fixture.produce(TOPIC, 0, fixture.batch("d", "e"));

            assertEquals(Errors.NONE.code(), first.errorCode());
            assertEquals(0, first.baseOffset());
            assertEquals(-1, first.logAppendTimeMs());
            assertEquals(0, first.logStartOffset());
            assertEquals(Errors.NONE.code(), second.errorCode());
            assertEquals(3, second.baseOffset());
            assertEquals(5, fixture.log(TOPIC, 0).logEndOffset());
        }
    }

    @Test
    void shouldTakeOnTheNetworkThreadOnlyAppendsToOpenLogsOfExistingTopics() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 2);
            ProduceHandler handler = fixture.produceHandler();
            ByteBuf batch = fixture.batch("a");
            UUID topicId = fixture.topics().topic(TOPIC).orElseThrow().id();

            assertFalse(handler.handlesOnNetworkThread(produceRequest(TOPIC, 0, batch)), "its log is not open yet");
            assertEquals(Errors.NONE.code(), fixture.produce(TOPIC, 0, fixture.batch("opens the log")).errorCode());

            assertTrue(handler.handlesOnNetworkThread(produceRequest(TOPIC, 0, batch)));
            ProduceRequestData byId = produceRequest(TOPIC, 0, batch);
            byId.topicData().get(0).setName("").setTopicId(topicId);
            assertTrue(handler.handlesOnNetworkThread(byId));
            ProduceRequestData alsoClosed = produceRequest(TOPIC, 0, batch);
            alsoClosed.topicData().get(0).partitionData().add(new PartitionProduceData().setIndex(1)
                    .setRecords(new ByteBufRecords(batch)));
            assertFalse(handler.handlesOnNetworkThread(alsoClosed), "partition 1's log is not open");
            assertFalse(handler.handlesOnNetworkThread(produceRequest("to-be-created", 0, batch)));
            byId.topicData().get(0).setTopicId(UUID.randomUUID());
            assertFalse(handler.handlesOnNetworkThread(byId), "an unknown topic id");
        }
    }

    @Test
    void shouldLeaveToThePoolAProduceThatWouldWakeMoreFetchesThanANetworkThreadShouldRead() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            assertEquals(Errors.NONE.code(), fixture.produce(TOPIC, 0, fixture.batch("opens the log")).errorCode());
            ProduceHandler handler = fixture.produceHandler();
            ProduceRequestData next = produceRequest(TOPIC, 0, fixture.batch("next"));
            List<CompletableFuture<FetchResponseData>> fetches = new ArrayList<>();
            for (int i = 0; i < ProduceHandler.MAX_FETCHES_WOKEN_ON_NETWORK_THREAD; i++) {
                fetches.add(waitingFetch(fixture, 1));
            }
            assertTrue(handler.handlesOnNetworkThread(next), "as many waiting fetches as a network thread reads");

            fetches.add(waitingFetch(fixture, 1));
            assertFalse(handler.handlesOnNetworkThread(next), "one more");

            assertEquals(Errors.NONE.code(), fixture.produce(TOPIC, 0, fixture.batch("wakes them")).errorCode());
            for (CompletableFuture<FetchResponseData> fetch : fetches) {
                FetchResponseData response = fetch.getNow(null);
                assertNotNull(response, "every waiting fetch is answered by the append");
                DataPlaneApisFixture.release(response);
            }
        }
    }

    /** A consumer's fetch of partition 0 of {@link #TOPIC} from {@code offset}, parked until records arrive. */
    private static CompletableFuture<FetchResponseData> waitingFetch(DataPlaneApisFixture fixture, long offset) {
        FetchRequestData request = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(60_000).setMinBytes(1)
                .setMaxBytes(1 << 20).setSessionId(0).setSessionEpoch(-1)
                .setTopics(new ArrayList<>(List.of(new FetchTopic().setTopic(TOPIC)
                        .setPartitions(new ArrayList<>(List.of(new FetchPartition().setPartition(0)
                                .setFetchOffset(offset).setPartitionMaxBytes(1 << 20).setCurrentLeaderEpoch(-1)))))));
        CompletableFuture<FetchResponseData> future = fixture.fetchHandler()
                .handle(context(ApiMessageType.FETCH, 12), request);
        assertFalse(future.isDone(), "no records past the log end: the fetch waits");
        return future;
    }

    @Test
    void shouldAnswerUnknownTopicOrPartitionWhenTheLogIsDeletedDuringTheRequest() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            fixture.produce(TOPIC, 0, fixture.batch("a"));
            fixture.deleteLogUnderneath(TOPIC, 0);

            PartitionProduceResponse response = fixture.produce(TOPIC, 0, fixture.batch("b"));

            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), response.errorCode());
            assertEquals(-1, response.baseOffset());
            assertEquals(-1, response.logStartOffset());
        }
    }

    /** Needs a real full file system: a small tmpfs, which only root may mount; skipped elsewhere. */
    @Test
    void shouldAnswerKafkaStorageErrorWhileTheLogDirectoryIsFullAndAppendAgainOnceSpaceReturns() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        Path mount = Files.createDirectory(dir.resolve("fs"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount.toString()),
                "mount -t tmpfs is not permitted here");
        try {
            try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(mount)) {
                fixture.createTopic(TOPIC, 1);
                PartitionProduceResponse before = fixture.produce(TOPIC, 0, fixture.batch("a", "b"));
                Path filler = fill(mount.resolve("filler"));

                // larger than a page, so it needs blocks the full file system does not have
                PartitionProduceResponse refused = fixture.produce(TOPIC, 0, fixture.batch("c".repeat(16 * 1024)));
                assertEquals(2, fixture.log(TOPIC, 0).logEndOffset());
                Files.delete(filler);
                PartitionProduceResponse after = fixture.produce(TOPIC, 0, fixture.batch("d"));

                assertEquals(Errors.NONE.code(), before.errorCode());
                assertEquals(Errors.KAFKA_STORAGE_ERROR.code(), refused.errorCode());
                assertEquals(-1, refused.baseOffset());
                assertEquals(Errors.NONE.code(), after.errorCode());
                assertEquals(2, after.baseOffset());
            }
        } finally {
            // lazily, so that a file some background thread still holds cannot fail the cleanup
            assertTrue(run("umount", "-l", mount.toString()), "umount failed");
        }
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    }

    /** Writes the file until its file system refuses another byte. */
    private static Path fill(Path filler) throws IOException {
        try (FileChannel channel = FileChannel.open(filler, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer chunk = ByteBuffer.allocate(4096);
            for (int size : new int[] {4096, 1}) {
                for (int i = 0; i < 4096; i++) {
                    chunk.clear().limit(size);
                    try {
                        channel.write(chunk);
                    } catch (IOException noSpace) {
                        break;
                    }
                }
            }
        }
        assertEquals(0, filler.getParent().toFile().getUsableSpace(), "the file system should be full");
        return filler;
    }

    @Test
    void shouldAcknowledgeDuplicateRetryWithOriginalOffsetAndWriteNothing() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            fixture.produce(TOPIC, 0, fixture.batch("x"));

            PartitionProduceResponse original = fixture.produce(TOPIC, 0, idempotentBatch(fixture, 0, "a", "b"));
            PartitionProduceResponse next = fixture.produce(TOPIC, 0, idempotentBatch(fixture, 2, "c"));
            PartitionProduceResponse retry = fixture.produce(TOPIC, 0, idempotentBatch(fixture, 0, "a", "b"));

            assertEquals(1, original.baseOffset());
            assertEquals(3, next.baseOffset());
            assertEquals(Errors.NONE.code(), retry.errorCode());
            assertEquals(1, retry.baseOffset());
            assertEquals(4, fixture.log(TOPIC, 0).logEndOffset());
        }
    }

    @Test
    void shouldRejectSequenceGapWithOutOfOrderSequenceNumberAndLogStartOffset() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            fixture.produce(TOPIC, 0, idempotentBatch(fixture, 0, "a"));

            PartitionProduceResponse gap = fixture.produce(TOPIC, 0, idempotentBatch(fixture, 5, "f"));

            assertEquals(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.code(), gap.errorCode());
            assertEquals(45, gap.errorCode());
            assertEquals(-1, gap.baseOffset());
            assertEquals(0, gap.logStartOffset());
            assertEquals(1, fixture.log(TOPIC, 0).logEndOffset());
        }
    }

    @Test
    void shouldRejectInvalidAcksForEveryExistingPartitionWithoutWriting() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 2);
            ProduceRequestData request = new ProduceRequestData().setAcks((short) 2).setTimeoutMs(1000)
                    .setTopicData(new ArrayList<>(List.of(
                            topicData(TOPIC, partition(0, fixture.batch("a")), partition(1, fixture.batch("b"))),
                            topicData("missing", partition(0, fixture.batch("c"))))));

            ProduceResponseData response = fixture.produceHandler()
                    .handle(context(ApiMessageType.PRODUCE, 11), request).join();

            TopicProduceResponse existing = response.responses().get(0);
            assertEquals(21, existing.partitionResponses().get(0).errorCode());
            assertEquals(21, existing.partitionResponses().get(1).errorCode());
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(),
                    response.responses().get(1).partitionResponses().get(0).errorCode());
            assertEquals(0, fixture.log(TOPIC, 0).logEndOffset());
            assertEquals(0, fixture.log(TOPIC, 1).logEndOffset());
            assertTrue(fixture.topics().topic("missing").isEmpty(), "a request writing nothing creates no topic");
        }
    }

    @Test
    void shouldAnswerUnknownTopicWithoutCreatingItWhenAutoCreateIsDisabled() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir,
                Map.of("auto.create.topics.enable", "false"))) {
            PartitionProduceResponse response = fixture.produce("missing", 0, fixture.batch("a"));

            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), response.errorCode());
            assertEquals(-1, response.baseOffset());
            assertTrue(fixture.topics().topic("missing").isEmpty());
        }
    }

    @Test
    void shouldAutoCreateTopicWithDefaultPartitionsWhenAllowed() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir, Map.of("num.partitions", "2"))) {
            PartitionProduceResponse response = fixture.produce("fresh", 1, fixture.batch("a"));

            assertEquals(Errors.NONE.code(), response.errorCode());
            assertEquals(0, response.baseOffset());
            assertEquals(2, fixture.topics().topic("fresh").orElseThrow().partitions());
            assertEquals(1, fixture.log("fresh", 1).logEndOffset());
        }
    }

    @Test
    void shouldAnswerInvalidTopicForIllegalName() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            PartitionProduceResponse response = fixture.produce("bad/name", 0, fixture.batch("a"));

            assertEquals(Errors.INVALID_TOPIC_EXCEPTION.code(), response.errorCode());
        }
    }

    @Test
    void shouldAnswerUnknownPartitionOfExistingTopic() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);

            PartitionProduceResponse response = fixture.produce(TOPIC, 1, fixture.batch("a"));

            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), response.errorCode());
        }
    }

    @Test
    void shouldRejectBatchLargerThanTopicMaxMessageBytes() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1, Map.of("max.message.bytes", "200"));
            ByteBuf large = fixture.batch(new RecordBatchBuilder().add(1, null, new byte[300]));

            PartitionProduceResponse response = fixture.produce(TOPIC, 0, large);

            assertEquals(10, response.errorCode());
            assertEquals(Errors.MESSAGE_TOO_LARGE.code(), response.errorCode());
            assertEquals(0, fixture.log(TOPIC, 0).logEndOffset());
        }
    }

    @Test
    void shouldRejectBatchWithCorruptCrc() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            ByteBuf batch = fixture.batch("payload");
            int last = batch.writerIndex() - 1;
            batch.setByte(last, batch.getByte(last) ^ 0x01);

            PartitionProduceResponse response = fixture.produce(TOPIC, 0, batch);

            assertEquals(2, response.errorCode());
            assertEquals(Errors.CORRUPT_MESSAGE.code(), response.errorCode());
            assertNotNull(response.errorMessage());
            assertEquals(0, fixture.log(TOPIC, 0).logEndOffset());
        }
    }

    @Test
    void shouldRejectTwoBatchesInOnePartitionAsInvalidRecord() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            ByteBuf two = fixture.track(PooledByteBufAllocator.DEFAULT.buffer());
            new RecordBatchBuilder().add(1, null, new byte[] {1}).writeTo(two);
            new RecordBatchBuilder().add(2, null, new byte[] {2}).writeTo(two);

            PartitionProduceResponse response = fixture.produce(TOPIC, 0, two);

            assertEquals(Errors.INVALID_RECORD.code(), response.errorCode());
            assertEquals(0, fixture.log(TOPIC, 0).logEndOffset());
        }
    }

    @Test
    void shouldRejectNullRecordsAsInvalidRecord() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            ProduceRequestData request = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(1000)
                    .setTopicData(new ArrayList<>(List.of(topicData(TOPIC,
                            new PartitionProduceData().setIndex(0).setRecords(null)))));

            ProduceResponseData response = fixture.produceHandler()
                    .handle(context(ApiMessageType.PRODUCE, 9), request).join();

            assertEquals(Errors.INVALID_RECORD.code(),
                    response.responses().get(0).partitionResponses().get(0).errorCode());
        }
    }

    @Test
    void shouldRefuseTransactionalIdForEveryPartition() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 2);
            ProduceRequestData request = new ProduceRequestData().setTransactionalId("tx-1").setAcks((short) -1)
                    .setTimeoutMs(1000).setTopicData(new ArrayList<>(List.of(topicData(TOPIC,
                            partition(0, fixture.batch("a")), partition(1, fixture.batch("b"))))));

            ProduceResponseData response = fixture.produceHandler()
                    .handle(context(ApiMessageType.PRODUCE, 11), request).join();

            for (PartitionProduceResponse partition : response.responses().get(0).partitionResponses()) {
                assertEquals(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code(), partition.errorCode());
                assertEquals(-1, partition.baseOffset());
            }
            assertEquals(0, fixture.log(TOPIC, 0).logEndOffset());
        }
    }

    @Test
    void shouldRefuseTransactionalBatchWithoutTransactionalId() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            ByteBuf transactional = fixture.batch(new RecordBatchBuilder().producer(3, (short) 0, 0)
                    .transactional(true).add(1, null, new byte[] {1}));

            PartitionProduceResponse response = fixture.produce(TOPIC, 0, transactional);

            assertEquals(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code(), response.errorCode());
            assertEquals(0, fixture.log(TOPIC, 0).logEndOffset());
        }
    }

    @Test
    void shouldResolveTopicsByIdFromVersion13() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            UUID id = fixture.topics().topic(TOPIC).orElseThrow().id();
            UUID unknown = new UUID(42, 42);
            ProduceRequestData request = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(1000)
                    .setTopicData(new ArrayList<>(List.of(
                            new TopicProduceData().setTopicId(id).setPartitionData(new ArrayList<>(
                                    List.of(partition(0, fixture.batch("a"))))),
                            new TopicProduceData().setTopicId(unknown).setPartitionData(new ArrayList<>(
                                    List.of(partition(0, fixture.batch("b"))))))));

            ProduceResponseData response = fixture.produceHandler()
                    .handle(context(ApiMessageType.PRODUCE, 13), request).join();

            assertEquals(id, response.responses().get(0).topicId());
            assertEquals(Errors.NONE.code(), response.responses().get(0).partitionResponses().get(0).errorCode());
            assertEquals(unknown, response.responses().get(1).topicId());
            assertEquals(Errors.UNKNOWN_TOPIC_ID.code(),
                    response.responses().get(1).partitionResponses().get(0).errorCode());
            assertEquals(1, fixture.log(TOPIC, 0).logEndOffset());
        }
    }

    @Test
    void shouldRejectZstdBeforeVersion7AndAcceptItFrom7() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);

            ProduceResponseData old = fixture.produceHandler().handle(context(ApiMessageType.PRODUCE, 6),
                    produceRequest(TOPIC, 0, zstdLabelledBatch(fixture))).join();
            ProduceResponseData current = fixture.produceHandler().handle(context(ApiMessageType.PRODUCE, 7),
                    produceRequest(TOPIC, 0, zstdLabelledBatch(fixture))).join();

            assertEquals(Errors.UNSUPPORTED_COMPRESSION_TYPE.code(),
                    old.responses().get(0).partitionResponses().get(0).errorCode());
            assertEquals(Errors.NONE.code(), current.responses().get(0).partitionResponses().get(0).errorCode());
            assertEquals(1, fixture.log(TOPIC, 0).logEndOffset());
        }
    }

    @Test
    void shouldStampLogAppendTimeWhenTopicUsesIt() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1, Map.of("message.timestamp.type", "LogAppendTime"));
            long before = System.currentTimeMillis();

            PartitionProduceResponse response = fixture.produce(TOPIC, 0, fixture.batch("a"));

            long after = System.currentTimeMillis();
            assertEquals(Errors.NONE.code(), response.errorCode());
            assertTrue(response.logAppendTimeMs() >= before && response.logAppendTimeMs() <= after,
                    () -> "log append time " + response.logAppendTimeMs() + " outside [" + before + ", " + after + "]");
        }
    }

    @Test
    void shouldSendNoResponseForAcksZero() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            ProduceRequestData request = produceRequest(TOPIC, 0, fixture.batch("a", "b")).setAcks((short) 0);

            ProduceResponseData response = fixture.produceHandler()
                    .handle(context(ApiMessageType.PRODUCE, 11), request).join();

            assertNull(response);
            assertEquals(2, fixture.log(TOPIC, 0).logEndOffset());
        }
    }

    @Test
    void shouldFailAcksZeroRequestWithAnErrorSoTheConnectionCloses() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            ProduceRequestData request = produceRequest(TOPIC, 3, fixture.batch("a")).setAcks((short) 0);

            CompletableFuture<ProduceResponseData> future = fixture.produceHandler()
                    .handle(context(ApiMessageType.PRODUCE, 11), request);

            CompletionException failure = assertThrows(CompletionException.class, future::join);
            assertInstanceOf(ProduceHandler.UnacknowledgedProduceFailedException.class, failure.getCause());
            assertTrue(failure.getCause().getMessage().contains("orders-3: UNKNOWN_TOPIC_OR_PARTITION"),
                    failure.getCause().getMessage());
        }
    }

    @Test
    void shouldEncodeTheResponseAtEveryVersion() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            UUID id = fixture.topics().topic(TOPIC).orElseThrow().id();
            ApiMessageType api = ApiMessageType.PRODUCE;
            long expectedOffset = 0;
            for (short version = api.lowestSupportedVersion(); version <= api.highestSupportedVersion(); version++) {
                ProduceRequestData request = produceRequest(TOPIC, 0, fixture.batch("v" + version));
                request.topicData().get(0).setTopicId(id);
                ProduceResponseData response = fixture.produceHandler().handle(context(api, version), request).join();
                ByteBuf out = Unpooled.buffer();
                try {
                    response.write(out, version);
                    assertEquals(response.size(version), out.readableBytes(), "version " + version);
                } finally {
                    out.release();
                }
                PartitionProduceResponse partition = response.responses().get(0).partitionResponses().get(0);
                assertEquals(Errors.NONE.code(), partition.errorCode(), "version " + version);
                assertEquals(expectedOffset++, partition.baseOffset(), "version " + version);
            }
        }
    }

    @Test
    void shouldRefuseAnotherApplicationsTopicsWithoutCreatingOrAppending() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic("globex.t", 1);
            fixture.createTopic(TOPIC, 1);
            ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(1000)
                    .setTopicData(new ArrayList<>(List.of(
                            topicData("globex.t", partition(0, fixture.batch("a"))),
                            topicData("globex.new", partition(0, fixture.batch("b"))),
                            topicData(TOPIC, partition(0, fixture.batch("c"))))));

            ProduceResponseData response = fixture.produceHandler().handle(tenant(Role.ALL, 11), request).join();

            assertEquals(3, response.responses().size());
            for (TopicProduceResponse topic : response.responses()) {
                PartitionProduceResponse partition = topic.partitionResponses().get(0);
                assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), partition.errorCode(), topic.name());
                assertEquals(-1, partition.baseOffset(), topic.name());
            }
            assertEquals(0, fixture.log("globex.t", 0).logEndOffset());
            assertEquals(0, fixture.log(TOPIC, 0).logEndOffset());
            assertTrue(fixture.topics().topic("globex.new").isEmpty(), "another application's topic is not created");
        }
    }

    @Test
    void shouldRefuseAConsumeKeyEvenOnItsApplicationsTopic() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic("acme.t", 1);

            ProduceResponseData response = fixture.produceHandler().handle(tenant(Role.CONSUME, 11),
                    produceRequest("acme.t", 0, fixture.batch("a"))).join();

            assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(),
                    response.responses().get(0).partitionResponses().get(0).errorCode());
            assertEquals(0, fixture.log("acme.t", 0).logEndOffset());
        }
    }

    @Test
    void shouldRefuseAnotherApplicationsTopicGivenById() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic("globex.t", 1);
            fixture.createTopic("acme.t", 1);
            UUID globex = fixture.topics().topic("globex.t").orElseThrow().id();
            UUID acme = fixture.topics().topic("acme.t").orElseThrow().id();
            ProduceRequestData request = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(1000)
                    .setTopicData(new ArrayList<>(List.of(
                            topicData(null, partition(0, fixture.batch("a"))).setTopicId(globex),
                            topicData(null, partition(0, fixture.batch("b"))).setTopicId(acme))));

            ProduceResponseData response = fixture.produceHandler().handle(tenant(Role.ALL, 13), request).join();

            assertEquals(globex, response.responses().get(0).topicId());
            assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(),
                    response.responses().get(0).partitionResponses().get(0).errorCode());
            assertEquals(Errors.NONE.code(), response.responses().get(1).partitionResponses().get(0).errorCode());
            assertEquals(0, fixture.log("globex.t", 0).logEndOffset());
            assertEquals(1, fixture.log("acme.t", 0).logEndOffset());
        }
    }

    @Test
    void shouldRefuseEveryPartitionWithTheQuotasMessageWhileTheApplicationMayStoreNoMore() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic("acme.t", 2);
            fixture.createTopic("globex.t", 1);
            RecordingQuota quota = new RecordingQuota("acme", "Application acme is full.");
            ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(1000)
                    .setTopicData(new ArrayList<>(List.of(
                            topicData("acme.t", partition(0, fixture.batch("a")), partition(1, fixture.batch("b"))),
                            topicData("globex.t", partition(0, fixture.batch("c"))))));

            ProduceResponseData response = new ProduceHandler(fixture.topics(), fixture.waiters(), quota)
                    .handle(tenant(Role.ALL, 11), request).join();

            List<PartitionProduceResponse> refused = response.responses().get(0).partitionResponses();
            assertEquals(2, refused.size());
            for (PartitionProduceResponse partition : refused) {
                assertEquals(Errors.POLICY_VIOLATION.code(), partition.errorCode());
                assertEquals("Application acme is full.", partition.errorMessage());
                assertEquals(-1, partition.baseOffset());
            }
            PartitionProduceResponse unauthorized = response.responses().get(1).partitionResponses().get(0);
            assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), unauthorized.errorCode(),
                    "authorization is checked before the quota");
            assertEquals(0, fixture.log("acme.t", 0).logEndOffset());
            assertEquals(0, fixture.log("acme.t", 1).logEndOffset());
            assertEquals(List.of("acme"), quota.asked, "asked once per request");
            assertTrue(quota.appended.isEmpty());
        }
    }

    @Test
    void shouldTellTheQuotaTheSizeOfEveryBatchAppendedButNotOfADuplicate() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic("acme.t", 2);
            RecordingQuota quota = new RecordingQuota("acme", null);
            ProduceHandler handler = new ProduceHandler(fixture.topics(), fixture.waiters(), quota);
            ByteBuf small = fixture.batch("a");
            ByteBuf large = fixture.batch("b".repeat(100), "c".repeat(100));
            int smallSize = small.readableBytes();
            int largeSize = large.readableBytes();
            ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(1000)
                    .setTopicData(new ArrayList<>(List.of(
                            topicData("acme.t", partition(0, small), partition(1, large)))));

            ProduceResponseData response = handler.handle(tenant(Role.PRODUCE, 11), request).join();
            ByteBuf idempotent = idempotentBatch(fixture, 0, "d");
            int idempotentSize = idempotent.readableBytes();
            handler.handle(tenant(Role.PRODUCE, 11), produceRequest("acme.t", 0, idempotent)).join();
            PartitionProduceResponse retry = handler.handle(tenant(Role.PRODUCE, 11),
                    produceRequest("acme.t", 0, idempotentBatch(fixture, 0, "d"))).join()
                    .responses().get(0).partitionResponses().get(0);

            for (PartitionProduceResponse partition : response.responses().get(0).partitionResponses()) {
                assertEquals(Errors.NONE.code(), partition.errorCode());
            }
            assertEquals(Errors.NONE.code(), retry.errorCode());
            assertEquals(1, retry.baseOffset(), "the retry is acknowledged with the original offset");
            assertEquals(List.of("acme:" + smallSize, "acme:" + largeSize, "acme:" + idempotentSize),
                    quota.appended);
            assertEquals(List.of("acme", "acme", "acme"), quota.asked);
        }
    }

    @Test
    void shouldNeitherAskNorTellTheStorageQuotaOnAnOpenBroker() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic("acme.t", 1);
            RecordingQuota quota = new RecordingQuota("acme", "Application acme is full.");

            ProduceResponseData response = new ProduceHandler(fixture.topics(), fixture.waiters(), quota)
                    .handle(context(ApiMessageType.PRODUCE, 11), produceRequest("acme.t", 0, fixture.batch("a")))
                    .join();

            assertEquals(Errors.NONE.code(), response.responses().get(0).partitionResponses().get(0).errorCode());
            assertEquals(1, fixture.log("acme.t", 0).logEndOffset());
            assertTrue(quota.asked.isEmpty());
            assertTrue(quota.appended.isEmpty());
        }
    }

    /** A request of the application {@code acme}, whose topics are {@code acme.*}, through a key of {@code role}. */
    private static RequestContext tenant(Role role, int version) {
        return context(ApiMessageType.PRODUCE, version).withPrincipal(new Principal("acme", "ci", "k1", role));
    }

    /** Refuses one application with a fixed message (or never, for null), and records what it is asked and told. */
    private static final class RecordingQuota implements StorageQuota {

        final List<String> asked = new ArrayList<>();
        final List<String> appended = new ArrayList<>();
        private final String refusedApplication;
        private final String refusal;

        RecordingQuota(String refusedApplication, String refusal) {
            this.refusedApplication = refusedApplication;
            this.refusal = refusal;
        }

        @Override
        public String refusal(String application) {
            asked.add(application);
            return application.equals(refusedApplication) ? refusal : null;
        }

        @Override
        public void appended(String application, long bytes) {
            appended.add(application + ":" + bytes);
        }
    }

    private static ByteBuf idempotentBatch(DataPlaneApisFixture fixture, int baseSequence, String... values) {
        RecordBatchBuilder builder = new RecordBatchBuilder().producer(17, (short) 0, baseSequence);
        for (String value : values) {
            builder.add(DataPlaneApisFixture.BASE_TIMESTAMP, null, value.getBytes());
        }
        return fixture.batch(builder);
    }

    /**
     * An uncompressed batch whose attributes claim zstd, with its CRC fixed: the broker stores compressed batches
     * without decompressing them, so only the header matters here.
     */
    private static ByteBuf zstdLabelledBatch(DataPlaneApisFixture fixture) {
        ByteBuf batch = fixture.batch("z");
        batch.setShort(RecordBatchDescriptor.ATTRIBUTES_OFFSET, RecordBatchDescriptor.COMPRESSION_ZSTD);
        RecordBatch header = new RecordBatch().wrap(batch, 0);
        batch.setInt(RecordBatchDescriptor.CRC_OFFSET, (int) header.computeCrc());
        return batch;
    }

    private static TopicProduceData topicData(String topic, PartitionProduceData... partitions) {
        return new TopicProduceData().setName(topic).setPartitionData(new ArrayList<>(List.of(partitions)));
    }

    private static PartitionProduceData partition(int index, ByteBuf batch) {
        return new PartitionProduceData().setIndex(index).setRecords(new ByteBufRecords(batch));
    }
}
