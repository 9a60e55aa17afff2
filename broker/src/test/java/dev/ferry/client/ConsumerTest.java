package dev.ferry.client;

import static dev.ferry.protocol.record.RecordBatchDescriptor.ATTRIBUTES_OFFSET;
import static dev.ferry.protocol.record.RecordBatchDescriptor.CONTROL_FLAG_MASK;
import static dev.ferry.protocol.record.RecordBatchDescriptor.CRC_OFFSET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.protocol.ByteBufRecords;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ApiVersionsRequestData;
import dev.ferry.protocol.message.FetchRequestData;
import dev.ferry.protocol.message.FetchRequestData.FetchPartition;
import dev.ferry.protocol.message.FetchResponseData;
import dev.ferry.protocol.message.FetchResponseData.FetchableTopicResponse;
import dev.ferry.protocol.message.FetchResponseData.PartitionData;
import dev.ferry.protocol.message.ListOffsetsRequestData;
import dev.ferry.protocol.message.ListOffsetsResponseData;
import dev.ferry.protocol.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import dev.ferry.protocol.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import dev.ferry.protocol.message.MetadataRequestData;
import dev.ferry.protocol.record.Header;
import dev.ferry.protocol.record.RecordBatch;
import dev.ferry.protocol.record.RecordBatchBuilder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A consumer without a group against a fake broker whose log the test lays out batch by batch. */
@Timeout(30)
class ConsumerTest {

    private static final String TOPIC = "events";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final List<Long> fetchOffsets = new CopyOnWriteArrayList<>();

    /** A broker whose partition 0 starts at {@code logStart} and answers every Fetch with {@code log}. */
    private FakeBroker broker(long logStart, byte[] log) {
        FakeBroker[] self = new FakeBroker[1];
        self[0] = FakeBroker.start(() -> (header, request) -> {
            if (request instanceof ApiVersionsRequestData) {
                return FakeBroker.Reply.of(FakeBroker.allApiVersions());
            }
            if (request instanceof MetadataRequestData metadata) {
                return FakeBroker.Reply.of(self[0].metadata(metadata, Map.of(TOPIC, 1)));
            }
            if (request instanceof ListOffsetsRequestData) {
                ListOffsetsResponseData response = new ListOffsetsResponseData();
                response.topics().add(new ListOffsetsTopicResponse().setName(TOPIC).setPartitions(List.of(
                        new ListOffsetsPartitionResponse().setPartitionIndex(0).setOffset(logStart))));
                return FakeBroker.Reply.of(response);
            }
            FetchRequestData fetch = (FetchRequestData) request;
            FetchPartition asked = fetch.topics().get(0).partitions().get(0);
            fetchOffsets.add(asked.fetchOffset());
            // everything once, then nothing: the consumer must not ask for what it already has
            byte[] records = asked.fetchOffset() == logStart ? log : new byte[0];
            FetchResponseData response = new FetchResponseData();
            response.responses().add(new FetchableTopicResponse().setTopic(TOPIC).setTopicId(FakeBroker.topicId(TOPIC))
                    .setPartitions(List.of(new PartitionData().setPartitionIndex(0).setHighWatermark(100)
                            .setRecords(new ByteBufRecords(Unpooled.wrappedBuffer(records))))));
            return FakeBroker.Reply.of(response);
        });
        return self[0];
    }

    /** A batch of {@code values} from {@code baseOffset}, the first with a header. */
    private static byte[] batch(long baseOffset, String... values) {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        for (int i = 0; i < values.length; i++) {
            Header[] headers = i == 0 ? new Header[] {new Header("h", "x".getBytes(StandardCharsets.UTF_8))}
                    : new Header[0];
            builder.add(1_700_000_000_000L + i, ("k" + i).getBytes(StandardCharsets.UTF_8),
                    values[i].getBytes(StandardCharsets.UTF_8), headers);
        }
        ByteBuf buffer = Unpooled.buffer();
        builder.writeTo(buffer);
        new RecordBatch().wrap(buffer, 0).setBaseOffset(baseOffset);
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.readBytes(bytes);
        buffer.release();
        return bytes;
    }

    /** A transaction marker batch at {@code offset}: a control batch, which a consumer skips. */
    private static byte[] controlBatch(long offset) {
        byte[] bytes = batch(offset, "marker");
        ByteBuf buffer = Unpooled.wrappedBuffer(bytes);
        buffer.setShort(ATTRIBUTES_OFFSET, buffer.getShort(ATTRIBUTES_OFFSET) | CONTROL_FLAG_MASK);
        buffer.setInt(CRC_OFFSET, (int) new RecordBatch().wrap(buffer, 0).computeCrc());
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuf all = Unpooled.buffer();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        byte[] bytes = new byte[all.readableBytes()];
        all.readBytes(bytes);
        all.release();
        return bytes;
    }

    private static List<String> values(List<ConsumerRecord> records) {
        List<String> values = new ArrayList<>();
        for (ConsumerRecord record : records) {
            values.add(record.offset() + ":" + new String(record.value(), StandardCharsets.UTF_8));
        }
        return values;
    }

    private ConsumerSettings fromBeginning() {
        return ConsumerSettings.defaults(null).withOffsetReset(OffsetReset.EARLIEST);
    }

    @Test
    void shouldSkipRecordsBeforeThePositionAndControlBatchesAndLeaveAPartialBatchForLater() {
        byte[] first = batch(0, "a", "b", "c", "d", "e");
        byte[] partial = batch(6, "g", "h");
        byte[] log = concat(first, controlBatch(5), Arrays.copyOf(partial, partial.length - 3));
        try (FakeBroker broker = broker(2, log);
             KafkaCluster cluster = new KafkaCluster(ClientSettings.to(broker.address())
                     .withTimeouts(TIMEOUT, TIMEOUT));
             Consumer consumer = Consumer.assignAll(cluster, fromBeginning(), List.of(TOPIC))) {
            List<ConsumerRecord> records = consumer.poll(Duration.ofMillis(100));

            assertEquals(List.of("2:c", "3:d", "4:e"), values(records));
            ConsumerRecord c = records.get(0);
            assertEquals(new TopicPartition(TOPIC, 0), c.partition());
            assertEquals("k2", new String(c.key(), StandardCharsets.UTF_8));
            assertEquals(1_700_000_000_002L, c.timestamp());
            assertEquals(Map.of(new TopicPartition(TOPIC, 0), 6L), consumer.positions());

            assertEquals(List.of(), consumer.poll(Duration.ofMillis(100)));
            assertEquals(List.of(2L, 6L), fetchOffsets.subList(0, 2));
        }
    }

    @Test
    void shouldRefuseABatchThatFailsItsCrc() {
        byte[] log = batch(0, "intact", "until", "now");
        log[log.length - 1] ^= 1;
        try (FakeBroker broker = broker(0, log);
             KafkaCluster cluster = new KafkaCluster(ClientSettings.to(broker.address())
                     .withTimeouts(TIMEOUT, TIMEOUT));
             Consumer consumer = Consumer.assignAll(cluster, fromBeginning(), List.of(TOPIC))) {
            KafkaErrorException e = assertThrows(KafkaErrorException.class, () -> consumer.poll(Duration.ZERO));
            assertEquals(Errors.CORRUPT_MESSAGE, e.error());
            assertEquals("corrupt records in events-0 at offset 0: the batch fails its CRC check", e.getMessage());
        }
    }

    @Test
    void shouldFailForATopicThatDoesNotExist() {
        try (FakeBroker broker = broker(0, new byte[0]);
             KafkaCluster cluster = new KafkaCluster(ClientSettings.to(broker.address())
                     .withTimeouts(TIMEOUT, TIMEOUT))) {
            KafkaErrorException e = assertThrows(KafkaErrorException.class,
                    () -> Consumer.assignAll(cluster, fromBeginning(), List.of("nope")));
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, e.error());
            assertEquals("topic 'nope' does not exist (and the broker does not create topics automatically)",
                    e.getMessage());
        }
    }
}
