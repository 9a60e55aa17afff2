package dev.ferry.broker.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.broker.tenant.Principal;
import dev.ferry.broker.tenant.Role;
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

    @Test
    void shouldRefuseTopicsOutsideTheTenantsApplicationAndChangeNothing() {
        fixture.topics.create("globex.t", 1, Map.of("retention.ms", "5000"), false);

        for (String name : List.of("globex.t", "globex.missing", "orders")) {
            for (boolean validateOnly : new boolean[] {true, false}) {
                AlterConfigsResourceResponse refused = alterOne(tenant(Role.ALL), resource(TOPIC, name,
                        change("retention.ms", SET, "1")), validateOnly);

                assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), refused.errorCode(), name);
                assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.message(), refused.errorMessage(), name);
                assertEquals(TOPIC, refused.resourceType());
            }
        }
        assertEquals(Map.of("retention.ms", "5000"), fixture.topics.topic("globex.t").orElseThrow().configs());
        assertEquals(Map.of("retention.bytes", "5000000"), fixture.topics.topic("orders").orElseThrow().configs());
        assertTrue(fixture.topics.topic("globex.missing").isEmpty());
    }

    @Test
    void shouldRefuseBrokerSettingsToATenantAsAClusterOperation() {
        String nodeId = String.valueOf(fixture.config.nodeId());

        AlterConfigsResourceResponse refused = alterOne(tenant(Role.ALL), resource(BROKER, nodeId,
                change("log.retention.ms", SET, "1000")), false);

        assertEquals(Errors.CLUSTER_AUTHORIZATION_FAILED.code(), refused.errorCode());
        assertEquals(Errors.CLUSTER_AUTHORIZATION_FAILED.message(), refused.errorMessage());
        assertEquals(BROKER, refused.resourceType());
    }

    @Test
    void shouldLetAProduceKeyAlterItsApplicationsTopicButNotAConsumeKey() {
        fixture.topics.create("acme.t", 1, Map.of(), false);

        AlterConfigsResourceResponse consumer = alterOne(tenant(Role.CONSUME), resource(TOPIC, "acme.t",
                change("retention.ms", SET, "60000")), false);

        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), consumer.errorCode());
        assertEquals(Map.of(), fixture.topics.topic("acme.t").orElseThrow().configs());

        AlterConfigsResourceResponse producer = alterOne(tenant(Role.PRODUCE), resource(TOPIC, "acme.t",
                change("retention.ms", SET, "60000")), false);
        AlterConfigsResourceResponse all = alterOne(tenant(Role.ALL), resource(TOPIC, "acme.t",
                change("retention.bytes", SET, "1000000")), false);

        assertEquals(Errors.NONE.code(), producer.errorCode());
        assertEquals(Errors.NONE.code(), all.errorCode());
        assertEquals(Map.of("retention.ms", "60000", "retention.bytes", "1000000"),
                fixture.topics.topic("acme.t").orElseThrow().configs());
    }

    private AlterConfigsResourceResponse alterOne(AlterConfigsResource resource, boolean validateOnly) {
        return alterOne(context(), resource, validateOnly);
    }

    private AlterConfigsResourceResponse alterOne(RequestContext context, AlterConfigsResource resource,
                                                  boolean validateOnly) {
        IncrementalAlterConfigsRequestData request = new IncrementalAlterConfigsRequestData()
                .setValidateOnly(validateOnly);
        request.resources().add(resource);
        List<AlterConfigsResourceResponse> responses = handler.handle(context, request).join().responses();
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

    /** A request of the application {@code acme}, whose topics are {@code acme.*}, through a key of {@code role}. */
    private static RequestContext tenant(Role role) {
        return context().withPrincipal(new Principal("acme", "ci", "k1", role));
    }
}
