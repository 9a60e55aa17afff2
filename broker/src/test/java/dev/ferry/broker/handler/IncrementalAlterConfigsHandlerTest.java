package dev.ferry.broker.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.IncrementalAlterConfigsRequestData;
import dev.ferry.protocol.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import dev.ferry.protocol.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import dev.ferry.protocol.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import dev.ferry.storage.Log;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncrementalAlterConfigsHandlerTest {

    private static final byte TOPIC = 2;
    private static final byte BROKER = 4;
    private static final byte SET = 0;
    private static final byte DELETE = 1;
    private static final byte APPEND = 2;
    private static final byte SUBTRACT = 3;

    @TempDir
    Path dir;

    private TopicsFixture fixture;
    private IncrementalAlterConfigsHandler handler;

    @BeforeEach
    void open() {
        fixture = new TopicsFixture(dir, Map.of());
        handler = new IncrementalAlterConfigsHandler(fixture.topics, fixture.config);
        fixture.topics.create("orders", 1, Map.of("retention.bytes", "5000000"), false);
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void shouldSetAndDeleteTopicConfigsAndApplyThemToOpenLogs() {
        Log log = fixture.topics.log("orders", 0).orElseThrow();

        AlterConfigsResourceResponse response = alterOne(resource(TOPIC, "orders",
                change("retention.ms", SET, "60000"), change("retention.bytes", DELETE, null)), false);

        assertEquals(Errors.NONE.code(), response.errorCode());
        assertNull(response.errorMessage());
        assertEquals(Map.of("retention.ms", "60000"), fixture.topics.topic("orders").orElseThrow().configs());
        assertEquals(60000, log.config().retentionMs());
        assertEquals(-1, log.config().retentionBytes());
    }

    @Test
    void shouldAppendToAndSubtractFromListConfigs() {
        assertEquals(Errors.NONE.code(), alterOne(resource(TOPIC, "orders",
                change("cleanup.policy", APPEND, "compact")), false).errorCode());
        assertEquals("delete,compact", fixture.topics.topic("orders").orElseThrow().configs().get("cleanup.policy"));

        assertEquals(Errors.NONE.code(), alterOne(resource(TOPIC, "orders",
                change("cleanup.policy", SUBTRACT, "delete")), false).errorCode());
        assertEquals("compact", fixture.topics.topic("orders").orElseThrow().configs().get("cleanup.policy"));
    }

    @Test
    void shouldRefuseAppendingToAConfigThatIsNoList() {
        AlterConfigsResourceResponse response = alterOne(resource(TOPIC, "orders",
                change("retention.ms", APPEND, "5")), false);

        assertEquals(Errors.INVALID_CONFIG.code(), response.errorCode());
        assertEquals("Can't APPEND to key retention.ms because its type is not LIST.", response.errorMessage());
    }

    @Test
    void shouldRefuseInvalidValuesAndChangeNothing() {
        AlterConfigsResourceResponse response = alterOne(resource(TOPIC, "orders",
                change("retention.ms", SET, "60000"), change("segment.bytes", SET, "tiny")), false);

        assertEquals(Errors.INVALID_CONFIG.code(), response.errorCode());
        assertTrue(response.errorMessage().contains("segment.bytes"), response.errorMessage());
        assertEquals(Map.of("retention.bytes", "5000000"), fixture.topics.topic("orders").orElseThrow().configs());
    }

    @Test
    void shouldOnlyValidateWhenAsked() {
        assertEquals(Errors.NONE.code(), alterOne(resource(TOPIC, "orders",
                change("retention.ms", SET, "60000")), true).errorCode());
        assertEquals(Map.of("retention.bytes", "5000000"), fixture.topics.topic("orders").orElseThrow().configs());
    }

    @Test
    void shouldRefuseMalformedRequests() {
        assertEquals(Errors.INVALID_REQUEST.code(), alterOne(resource(TOPIC, "orders",
                change("retention.ms", SET, "1"), change("retention.ms", SET, "2")), false).errorCode());
        assertEquals(Errors.INVALID_REQUEST.code(), alterOne(resource(TOPIC, "orders",
                change("retention.ms", SET, null)), false).errorCode());
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), alterOne(resource(TOPIC, "missing",
                change("retention.ms", SET, "1")), false).errorCode());
        assertEquals(Errors.INVALID_REQUEST.code(), alterOne(resource(TOPIC, "",
                change("retention.ms", SET, "1")), false).errorCode());
    }

    @Test
    void shouldRefuseTheSameResourceTwice() {
        IncrementalAlterConfigsRequestData request = new IncrementalAlterConfigsRequestData();
        request.resources().add(resource(TOPIC, "orders", change("retention.ms", SET, "1")));
        request.resources().add(resource(TOPIC, "orders", change("retention.ms", SET, "2")));

        List<AlterConfigsResourceResponse> responses = handler.handle(context(), request).join().responses();

        assertEquals(2, responses.size());
        for (AlterConfigsResourceResponse response : responses) {
            assertEquals(Errors.INVALID_REQUEST.code(), response.errorCode());
            assertEquals("Each resource must appear at most once.", response.errorMessage());
        }
    }

    @Test
    void shouldRefuseChangesToStaticBrokerSettings() {
        String nodeId = String.valueOf(fixture.config.nodeId());

        AlterConfigsResourceResponse response = alterOne(resource(BROKER, nodeId,
                change("log.retention.ms", SET, "1000")), false);

        assertEquals(Errors.INVALID_REQUEST.code(), response.errorCode());
        assertEquals("Cannot update these configs dynamically: [log.retention.ms]", response.errorMessage());
        assertEquals(Errors.INVALID_REQUEST.code(), alterOne(resource(BROKER, "77",
                change("log.retention.ms", SET, "1000")), false).errorCode());
    }

    private AlterConfigsResourceResponse alterOne(AlterConfigsResource resource, boolean validateOnly) {
        IncrementalAlterConfigsRequestData request = new IncrementalAlterConfigsRequestData()
                .setValidateOnly(validateOnly);
        request.resources().add(resource);
        List<AlterConfigsResourceResponse> responses = handler.handle(context(), request).join().responses();
        assertEquals(1, responses.size());
        assertEquals(resource.resourceName(), responses.get(0).resourceName());
        return responses.get(0);
    }

    private static AlterConfigsResource resource(byte type, String name, AlterableConfig... changes) {
        AlterConfigsResource resource = new AlterConfigsResource().setResourceType(type).setResourceName(name);
        resource.configs().addAll(List.of(changes));
        return resource;
    }

    private static AlterableConfig change(String name, byte operation, String value) {
        return new AlterableConfig().setName(name).setConfigOperation(operation).setValue(value);
    }

    private static RequestContext context() {
        return TopicsFixture.context(ApiMessageType.INCREMENTAL_ALTER_CONFIGS, 1);
    }
}
