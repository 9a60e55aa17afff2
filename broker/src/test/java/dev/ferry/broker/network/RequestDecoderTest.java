package dev.ferry.broker.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.broker.handler.ApiDispatcher;
import dev.ferry.broker.handler.ApiVersionsHandler;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.MetadataResponseData;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RequestDecoderTest {

    private static final String CLUSTER_ID = "decoder-test-cluster";

    private final List<String> clientIdsSeen = new ArrayList<>();
    private EmbeddedChannel channel;

    @BeforeEach
    void startChannel() {
        ApiDispatcher dispatcher = new ApiDispatcher();
        dispatcher.register(ApiMessageType.API_VERSIONS, new ApiVersionsHandler(dispatcher));
        dispatcher.register(ApiMessageType.METADATA, (context, request) -> {
            clientIdsSeen.add(context.clientId());
            return CompletableFuture.completedFuture(new MetadataResponseData().setClusterId(CLUSTER_ID));
        });
        channel = new EmbeddedChannel(new KafkaFrameDecoder(1 << 20), new RequestDecoder(dispatcher, "PLAINTEXT"),
                new ResponseEncoder(), new RequestProcessor(dispatcher, Runnable::run));
    }

    @AfterEach
    void closeChannel() {
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldAnswerApiVersionsWithExactlyTheRegisteredApis() {
        ApiVersionsRequest request = new ApiVersionsRequest.Builder().build((short) 3);

        ApiVersionsResponse response = (ApiVersionsResponse) exchange(request, 7);

        assertEquals(Errors.NONE.code(), response.data().errorCode());
        List<ApiVersion> apis = new ArrayList<>(response.data().apiKeys());
        assertEquals(2, apis.size());
        assertEquals(ApiKeys.METADATA.id, apis.get(0).apiKey());
        assertEquals(ApiKeys.METADATA.oldestVersion(), apis.get(0).minVersion());
        assertEquals(ApiKeys.METADATA.latestVersion(), apis.get(0).maxVersion());
        assertEquals(ApiKeys.API_VERSIONS.id, apis.get(1).apiKey());
        assertEquals(ApiKeys.API_VERSIONS.latestVersion(), apis.get(1).maxVersion());
    }

    @Test
    void shouldAnswerApiVersionsOfUnknownVersionAtVersionZeroWithUnsupportedVersion() {
        short tooNew = (short) (ApiKeys.API_VERSIONS.latestVersion() + 10);
        channel.writeInbound(rawFrame(ApiKeys.API_VERSIONS.id, tooNew, 11, true, new byte[] {1, 2, 3}));
        channel.runPendingTasks();

        // Kafka answers at version 0, whose response header is version 0
        RequestHeader asVersionZero = new RequestHeader(ApiKeys.API_VERSIONS, (short) 0, KafkaWire.CLIENT_ID, 11);
        ApiVersionsResponse response = (ApiVersionsResponse) KafkaWire.parseResponse(readOutbound(), asVersionZero);

        assertEquals(Errors.UNSUPPORTED_VERSION.code(), response.data().errorCode());
        assertEquals(1, response.data().apiKeys().size());
        ApiVersion apiVersions = response.data().apiKeys().find(ApiKeys.API_VERSIONS.id);
        assertEquals(0, apiVersions.minVersion());
        assertEquals(ApiKeys.API_VERSIONS.latestVersion(), apiVersions.maxVersion());
        assertTrue(channel.isOpen());
    }

    @Test
    void shouldServeRequestsAfterTheApiVersionsFallback() {
        channel.writeInbound(rawFrame(ApiKeys.API_VERSIONS.id, (short) 99, 1, true, new byte[0]));
        channel.runPendingTasks();
        readOutbound();

        MetadataResponse response = (MetadataResponse) exchange(metadataRequest((short) 12), 2);

        assertEquals(CLUSTER_ID, response.data().clusterId());
    }

    @Test
    void shouldCloseConnectionOnUnknownApiKey() {
        channel.writeInbound(rawFrame((short) 9999, (short) 0, 3, false, new byte[0]));
        channel.runPendingTasks();

        assertFalse(channel.isOpen());
        assertNull(channel.readOutbound());
    }

    @Test
    void shouldCloseConnectionOnApiTheBrokerDoesNotServe() {
        channel.writeInbound(rawFrame(ApiKeys.FIND_COORDINATOR.id, (short) 4, 3, true, new byte[0]));
        channel.runPendingTasks();

        assertFalse(channel.isOpen());
        assertNull(channel.readOutbound());
    }

    @Test
    void shouldCloseConnectionOnVersionOutsideTheServedRange() {
        channel.writeInbound(rawFrame(ApiKeys.METADATA.id, (short) 99, 3, true, new byte[0]));
        channel.runPendingTasks();

        assertFalse(channel.isOpen());
        assertNull(channel.readOutbound());
    }

    @Test
    void shouldCloseConnectionOnTruncatedBody() {
        ByteBuf whole = KafkaWire.frameBody(metadataRequest((short) 12), 4);
        ByteBuf truncated = Unpooled.buffer();
        truncated.writeInt(whole.readableBytes() - 3).writeBytes(whole, whole.readableBytes() - 3);
        whole.release();

        channel.writeInbound(truncated);
        channel.runPendingTasks();

        assertFalse(channel.isOpen());
        assertNull(channel.readOutbound());
        assertTrue(clientIdsSeen.isEmpty(), "no handler may see a malformed request");
    }

    @Test
    void shouldCloseConnectionOnFrameTooShortForAHeader() {
        channel.writeInbound(Unpooled.buffer().writeInt(3).writeBytes(new byte[] {0, 3, 0}));
        channel.runPendingTasks();

        assertFalse(channel.isOpen());
    }

    @Test
    void shouldIgnoreBytesAfterTheBodyAsKafkaDoes() {
        ByteBuf body = KafkaWire.frameBody(metadataRequest((short) 12), 5);
        ByteBuf frame = Unpooled.buffer();
        frame.writeInt(body.readableBytes() + 3).writeBytes(body).writeBytes(new byte[] {9, 9, 9});
        body.release();

        channel.writeInbound(frame);
        channel.runPendingTasks();
        RequestHeader header = KafkaWire.header(metadataRequest((short) 12), 5);
        MetadataResponse response = (MetadataResponse) KafkaWire.parseResponse(readOutbound(), header);

        assertEquals(List.of(KafkaWire.CLIENT_ID), clientIdsSeen);
        assertEquals(CLUSTER_ID, response.data().clusterId());
    }

    @Test
    void shouldReleaseFrameAfterAnsweringAndWhenRefusing() {
        EmbeddedChannel decoderOnly = new EmbeddedChannel(
                new RequestDecoder(dispatcherServingMetadata(), "PLAINTEXT"), new ResponseEncoder(),
                new RequestProcessor(dispatcherServingMetadata(), Runnable::run));
        ByteBuf answered = KafkaWire.frameBody(metadataRequest((short) 12), 6);
        ByteBuf refused = KafkaWire.frameBody(metadataRequest((short) 12), 7);
        refused.setShort(0, 9999);

        decoderOnly.writeInbound(answered.retain());
        decoderOnly.runPendingTasks();
        assertEquals(1, answered.refCnt(), "the pipeline must release the frame it was given");
        decoderOnly.writeInbound(refused.retain());
        assertEquals(1, refused.refCnt(), "a refused frame must be released too");

        answered.release();
        refused.release();
        decoderOnly.finishAndReleaseAll();
    }

    private static ApiDispatcher dispatcherServingMetadata() {
        ApiDispatcher dispatcher = new ApiDispatcher();
        dispatcher.register(ApiMessageType.METADATA,
                (context, request) -> CompletableFuture.completedFuture(new MetadataResponseData()));
        return dispatcher;
    }

    private static MetadataRequest metadataRequest(short version) {
        return new MetadataRequest.Builder(List.of("orders"), false).build(version);
    }

    private AbstractResponse exchange(AbstractRequest request, int correlationId) {
        channel.writeInbound(KafkaWire.frame(request, correlationId));
        channel.runPendingTasks();
        return KafkaWire.parseResponse(readOutbound(), KafkaWire.header(request, correlationId));
    }

    private byte[] readOutbound() {
        ByteBuf out = channel.readOutbound();
        try {
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    /** A frame with a hand-written header: request header v2 (flexible) or v1. */
    private static ByteBuf rawFrame(short apiKey, short version, int correlationId, boolean flexible, byte[] body) {
        byte[] clientId = KafkaWire.CLIENT_ID.getBytes(StandardCharsets.UTF_8);
        ByteBuf frame = Unpooled.buffer();
        frame.writeInt(0);
        frame.writeShort(apiKey).writeShort(version).writeInt(correlationId);
        frame.writeShort(clientId.length).writeBytes(clientId);
        if (flexible) {
            frame.writeByte(0); // no tagged fields
        }
        frame.writeBytes(body);
        frame.setInt(0, frame.readableBytes() - 4);
        return frame;
    }
}
