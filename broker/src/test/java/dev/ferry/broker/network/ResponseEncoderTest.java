package dev.ferry.broker.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.Records;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.FetchResponseData;
import dev.ferry.protocol.message.FetchResponseData.FetchableTopicResponse;
import dev.ferry.protocol.message.FetchResponseData.PartitionData;
import dev.ferry.storage.FetchSlice;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResponseEncoderTest {

    private static final short FETCH_VERSION = 12;

    @TempDir
    Path dir;

    private FileChannel file;
    private final EmbeddedChannel channel = new EmbeddedChannel(new ResponseEncoder());

    @BeforeEach
    void writeSegment() throws IOException {
        file = FileChannel.open(dir.resolve("segment.log"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        byte[] content = new byte[300];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) i;
        }
        file.write(ByteBuffer.wrap(content));
    }

    @AfterEach
    void close() throws IOException {
        channel.finishAndReleaseAll();
        file.close();
    }

    @Test
    void shouldSendFileSlicesAsRegionsBetweenBufferChunks() throws IOException {
        CountingSlice first = new CountingSlice(file, 10, 40);
        CountingSlice second = new CountingSlice(file, 200, 100);
        FetchResponseData response = new FetchResponseData().setResponses(new ArrayList<>(List.of(
                new FetchableTopicResponse().setTopic("orders").setPartitions(new ArrayList<>(List.of(
                        partition(0, new FetchSliceRecords(first)),
                        partition(1, new FetchSliceRecords(second))))))));

        channel.writeAndFlush(new KafkaResponse(42, ApiMessageType.FETCH.responseHeaderVersion(FETCH_VERSION),
                FETCH_VERSION, response));

        List<Object> parts = drainOutbound();
        assertEquals(5, parts.size(), "buffer, region, buffer, region, buffer");
        assertInstanceOf(FileRegion.class, parts.get(1));
        assertInstanceOf(FileRegion.class, parts.get(3));
        byte[] wire = concatenate(parts);
        assertEquals(1, first.closes.get(), "a region's release closes its slice");
        assertEquals(1, second.closes.get());

        FetchResponse parsed = (FetchResponse) KafkaWire.parseResponse(wire, fetchHeader(42));
        var partitions = parsed.data().responses().get(0).partitions();
        assertEquals(2, partitions.size());
        assertArrayEquals(fileBytes(10, 40), recordsBytes(partitions.get(0).records()));
        assertArrayEquals(fileBytes(200, 100), recordsBytes(partitions.get(1).records()));
    }

    @Test
    void shouldCopyFileSlicesIntoOneBufferWhenCopying() throws IOException {
        EmbeddedChannel tlsChannel = new EmbeddedChannel(ResponseEncoder.copying());
        CountingSlice first = new CountingSlice(file, 10, 40);
        CountingSlice second = new CountingSlice(file, 200, 100);
        FetchResponseData response = new FetchResponseData().setResponses(new ArrayList<>(List.of(
                new FetchableTopicResponse().setTopic("orders").setPartitions(new ArrayList<>(List.of(
                        partition(0, new FetchSliceRecords(first)),
                        partition(1, new FetchSliceRecords(second))))))));

        tlsChannel.writeAndFlush(new KafkaResponse(43, ApiMessageType.FETCH.responseHeaderVersion(FETCH_VERSION),
                FETCH_VERSION, response));

        ByteBuf wire = tlsChannel.readOutbound();
        assertTrue(tlsChannel.outboundMessages().isEmpty(), "the whole response in one buffer, no file region");
        assertEquals(1, first.closes.get(), "a slice is closed once copied");
        assertEquals(1, second.closes.get());
        FetchResponse parsed;
        try {
            parsed = (FetchResponse) KafkaWire.parseResponse(ByteBufUtil.getBytes(wire), fetchHeader(43));
        } finally {
            wire.release();
            assertFalse(tlsChannel.finishAndReleaseAll());
        }
        var partitions = parsed.data().responses().get(0).partitions();
        assertArrayEquals(fileBytes(10, 40), recordsBytes(partitions.get(0).records()));
        assertArrayEquals(fileBytes(200, 100), recordsBytes(partitions.get(1).records()));
    }

    @Test
    void shouldCloseSliceAndFailWriteWhenCopyRunsPastEndOfFile() {
        EmbeddedChannel tlsChannel = new EmbeddedChannel(ResponseEncoder.copying());
        CountingSlice truncated = new CountingSlice(file, 250, 100);
        FetchResponseData response = new FetchResponseData().setResponses(new ArrayList<>(List.of(
                new FetchableTopicResponse().setTopic("orders").setPartitions(new ArrayList<>(List.of(
                        partition(0, new FetchSliceRecords(truncated))))))));

        boolean written = tlsChannel.writeOneOutbound(new KafkaResponse(10,
                ApiMessageType.FETCH.responseHeaderVersion(FETCH_VERSION), FETCH_VERSION, response)).isSuccess();
        tlsChannel.flushOutbound();

        assertFalse(written);
        assertEquals(1, truncated.closes.get());
        assertFalse(tlsChannel.finishAndReleaseAll(), "nothing written");
    }

    @Test
    void shouldCloseEmptySliceWithoutSendingARegion() {
        CountingSlice empty = new CountingSlice(file, 300, 0);
        FetchResponseData response = new FetchResponseData().setResponses(new ArrayList<>(List.of(
                new FetchableTopicResponse().setTopic("orders").setPartitions(new ArrayList<>(List.of(
                        partition(0, new FetchSliceRecords(empty))))))));

        channel.writeAndFlush(new KafkaResponse(7, ApiMessageType.FETCH.responseHeaderVersion(FETCH_VERSION),
                FETCH_VERSION, response));

        List<Object> parts = drainOutbound();
        assertEquals(1, parts.size());
        assertEquals(1, empty.closes.get());
        FetchResponse parsed = (FetchResponse) KafkaWire.parseResponse(concatenate(parts), fetchHeader(7));
        assertEquals(0, recordsBytes(parsed.data().responses().get(0).partitions().get(0).records()).length);
    }

    @Test
    void shouldCloseSlicesTakenSoFarWhenEncodingFails() {
        CountingSlice taken = new CountingSlice(file, 0, 50);
        Records unwritable = new Records() {
            @Override
            public int sizeInBytes() {
                return 4;
            }
        };
        FetchResponseData response = new FetchResponseData().setResponses(new ArrayList<>(List.of(
                new FetchableTopicResponse().setTopic("orders").setPartitions(new ArrayList<>(List.of(
                        partition(0, new FetchSliceRecords(taken)),
                        // records of a kind the encoder cannot write: encoding fails after the first slice
                        new PartitionData().setPartitionIndex(1).setRecords(unwritable)))))));

        boolean written = channel.writeOneOutbound(new KafkaResponse(8,
                ApiMessageType.FETCH.responseHeaderVersion(FETCH_VERSION), FETCH_VERSION, response)).isSuccess();
        channel.flushOutbound();

        assertFalse(written);
        assertEquals(1, taken.closes.get());
        assertTrue(drainOutbound().isEmpty());
    }

    @Test
    void shouldCloseSlicesWhenSizingTheResponseFails() {
        CountingSlice taken = new CountingSlice(file, 0, 50);
        Records unsizable = new Records() {
            @Override
            public int sizeInBytes() {
                throw new IllegalStateException("size unknown");
            }
        };
        FetchResponseData response = new FetchResponseData().setResponses(new ArrayList<>(List.of(
                new FetchableTopicResponse().setTopic("orders").setPartitions(new ArrayList<>(List.of(
                        partition(0, new FetchSliceRecords(taken)),
                        new PartitionData().setPartitionIndex(1).setRecords(unsizable)))))));

        boolean written = channel.writeOneOutbound(new KafkaResponse(9,
                ApiMessageType.FETCH.responseHeaderVersion(FETCH_VERSION), FETCH_VERSION, response)).isSuccess();
        channel.flushOutbound();

        assertFalse(written);
        assertEquals(1, taken.closes.get());
        assertTrue(drainOutbound().isEmpty());
    }

    private static PartitionData partition(int index, FetchSliceRecords records) {
        return new PartitionData().setPartitionIndex(index).setHighWatermark(1000).setLastStableOffset(1000)
                .setLogStartOffset(0).setRecords(records);
    }

    private static RequestHeader fetchHeader(int correlationId) {
        return new RequestHeader(ApiKeys.FETCH, FETCH_VERSION, KafkaWire.CLIENT_ID, correlationId);
    }

    private List<Object> drainOutbound() {
        List<Object> parts = new ArrayList<>();
        Object part;
        while ((part = channel.readOutbound()) != null) {
            parts.add(part);
        }
        return parts;
    }

    /** Writes every part as the socket would, releasing each. */
    private static byte[] concatenate(List<Object> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WritableByteChannel target = Channels.newChannel(out);
        for (Object part : parts) {
            if (part instanceof ByteBuf buf) {
                out.writeBytes(ByteBufUtil.getBytes(buf));
                buf.release();
            } else {
                FileRegion region = (FileRegion) part;
                try {
                    while (region.transferred() < region.count()) {
                        region.transferTo(target, region.transferred());
                    }
                } catch (IOException e) {
                    throw new AssertionError(e);
                } finally {
                    region.release();
                }
            }
        }
        return out.toByteArray();
    }

    private byte[] fileBytes(long position, int length) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(length);
        file.read(bytes, position);
        return bytes.array();
    }

    private static byte[] recordsBytes(BaseRecords records) {
        ByteBuffer buffer = ((MemoryRecords) records).buffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    /** A slice of a real file that counts how often it is closed. */
    private static final class CountingSlice implements FetchSlice {

        private final FileChannel channel;
        private final long position;
        private final int length;
        private final AtomicInteger closes = new AtomicInteger();

        CountingSlice(FileChannel channel, long position, int length) {
            this.channel = channel;
            this.position = position;
            this.length = length;
        }

        @Override
        public FileChannel channel() {
            return channel;
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }
}
