package dev.ferry.protocol.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.ByteBufRecords;
import dev.ferry.protocol.Message;
import dev.ferry.protocol.ProtocolException;
import dev.ferry.protocol.Records;
import dev.ferry.protocol.RecordsWriter;
import dev.ferry.protocol.Uuids;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * How messages are written: nullability and version checks, records handed to the {@link RecordsWriter}, defaults.
 */
class MessageWriteTest {

    @Test
    void shouldNameTheFieldWhenWritingNullInNonNullableVersion() {
        ProduceRequestData request = new ProduceRequestData().setTopicData(null);
        ProtocolException e = assertWriteFails(request, (short) 9);
        assertTrue(e.getMessage().contains("topicData"), e.getMessage());

        SaslHandshakeRequestData handshake = new SaslHandshakeRequestData().setMechanism(null);
        e = assertWriteFails(handshake, (short) 1);
        assertTrue(e.getMessage().contains("mechanism"), e.getMessage());
    }

    @Test
    void shouldRejectNonDefaultValueInFieldTheVersionLacks() {
        ListOffsetsRequestData request = new ListOffsetsRequestData().setIsolationLevel((byte) 1);
        ProtocolException e = assertWriteFails(request, (short) 1);
        assertTrue(e.getMessage().contains("isolationLevel"), e.getMessage());
    }

    @Test
    void shouldDropIgnorableFieldTheVersionLacks() {
        ProduceRequestData request = produceRequest(records("a"));
        request.topicData().get(0).setName("topic").setTopicId(new UUID(1L, 2L));
        ProduceRequestData parsed = roundTrip(request, (short) 13);
        assertEquals("", parsed.topicData().get(0).name());
        assertEquals(new UUID(1L, 2L), parsed.topicData().get(0).topicId());
        parsed = roundTrip(request, (short) 12);
        assertEquals("topic", parsed.topicData().get(0).name());
        assertEquals(Uuids.ZERO, parsed.topicData().get(0).topicId());
    }

    @Test
    void shouldWriteRecordsThroughTheRecordsWriterOncePerFieldInWireOrder() {
        ProduceRequestData request = produceRequest(records("first"), null, records("third"));
        List<String> calls = new ArrayList<>();
        RecordsWriter tracking = (out, records) -> {
            ByteBuf source = ((ByteBufRecords) records).buffer();
            calls.add(source.toString(StandardCharsets.UTF_8));
            RecordsWriter.COPYING.write(out, records);
        };
        ByteBuf tracked = Unpooled.buffer();
        ByteBuf copied = Unpooled.buffer();
        try {
            request.write(tracked, (short) 9, tracking);
            request.write(copied, (short) 9);
            assertEquals(List.of("first", "third"), calls);
            assertEquals(copied, tracked);
            assertEquals(request.size((short) 9), tracked.readableBytes());
        } finally {
            tracked.release();
            copied.release();
        }
    }

    @Test
    void shouldLeaveRecordsSourceIndexesUntouchedWhenCopying() {
        ByteBufRecords records = records("payload");
        ProduceRequestData request = produceRequest(records);
        ByteBuf out = Unpooled.buffer();
        try {
            request.write(out, (short) 3);
            assertEquals(0, records.buffer().readerIndex());
            assertEquals(7, records.sizeInBytes());
        } finally {
            out.release();
        }
    }

    @Test
    void shouldRejectRecordsTheCopyingWriterCannotCopy() {
        Records foreign = () -> 3;
        ProduceRequestData request = produceRequest(foreign);
        ProtocolException e = assertWriteFails(request, (short) 9);
        assertTrue(e.getMessage().contains("Cannot copy"), e.getMessage());
    }

    @Test
    void shouldReadRecordsAsUnretainedSliceOfTheInput() {
        ProduceRequestData request = produceRequest(records("abc"));
        ByteBuf in = Unpooled.buffer();
        try {
            request.write(in, (short) 9);
            ProduceRequestData parsed = new ProduceRequestData(in, (short) 9);
            Records records = parsed.topicData().get(0).partitionData().get(0).records();
            ByteBuf slice = assertInstanceOf(ByteBufRecords.class, records).buffer();
            assertEquals("abc", slice.toString(StandardCharsets.UTF_8));
            assertEquals(1, in.refCnt());
            int recordsOffset = in.indexOf(0, in.writerIndex(), (byte) 'a');
            in.setByte(recordsOffset, 'x');
            assertEquals("xbc", slice.toString(StandardCharsets.UTF_8), "the records share the input's memory");
        } finally {
            in.release();
        }
    }

    @Test
    void shouldWriteAndReadNullRecords() {
        ProduceRequestData request = produceRequest((Records) null);
        for (short version : new short[] {3, 9}) {
            ProduceRequestData parsed = roundTrip(request, version);
            assertNull(parsed.topicData().get(0).partitionData().get(0).records());
            assertEquals(request, parsed);
        }
    }

    @Test
    void shouldHoldSpecDefaults() {
        FetchRequestData fetch = new FetchRequestData();
        assertEquals(-1, fetch.replicaId());
        assertEquals(0x7fffffff, fetch.maxBytes());
        assertEquals(-1, fetch.sessionEpoch());
        assertNull(fetch.clusterId());
        assertEquals(List.of(), fetch.topics());
        ConsumerGroupHeartbeatResponseData heartbeat = new ConsumerGroupHeartbeatResponseData();
        assertNull(heartbeat.assignment());
        assertEquals(new FetchResponseData.EpochEndOffset(), new FetchResponseData.PartitionData().divergingEpoch());
        assertEquals(-1, new FetchResponseData.EpochEndOffset().epoch());
        assertEquals(Uuids.ZERO, new FetchRequestData.FetchTopic().topicId());
    }

    @Test
    void shouldPrintRecordsAsTheirSize() {
        String text = produceRequest(records("12345")).toString();
        assertTrue(text.contains("records=5 bytes"), text);
    }

    private static ProduceRequestData produceRequest(Records... partitionRecords) {
        List<ProduceRequestData.PartitionProduceData> partitions = new ArrayList<>();
        for (int i = 0; i < partitionRecords.length; i++) {
            partitions.add(new ProduceRequestData.PartitionProduceData().setIndex(i).setRecords(partitionRecords[i]));
        }
        List<ProduceRequestData.TopicProduceData> topics = new ArrayList<>();
        topics.add(new ProduceRequestData.TopicProduceData().setName("t").setPartitionData(partitions));
        return new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000).setTopicData(topics);
    }

    private static ByteBufRecords records(String content) {
        return new ByteBufRecords(Unpooled.wrappedBuffer(content.getBytes(StandardCharsets.UTF_8)));
    }

    private static ProduceRequestData roundTrip(ProduceRequestData request, short version) {
        ByteBuf buffer = Unpooled.buffer();
        try {
            request.write(buffer, version);
            byte[] bytes = ByteBufUtil.getBytes(buffer);
            ProduceRequestData parsed = new ProduceRequestData(Unpooled.wrappedBuffer(bytes), version);
            assertArrayEquals(bytes, written(parsed, version));
            return parsed;
        } finally {
            buffer.release();
        }
    }

    private static byte[] written(ProduceRequestData request, short version) {
        ByteBuf buffer = Unpooled.buffer();
        try {
            request.write(buffer, version);
            return ByteBufUtil.getBytes(buffer);
        } finally {
            buffer.release();
        }
    }

    private static ProtocolException assertWriteFails(Message message, short version) {
        ByteBuf out = Unpooled.buffer();
        try {
            return assertThrows(ProtocolException.class, () -> message.write(out, version));
        } finally {
            out.release();
        }
    }
}
