package dev.ferry.broker.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.broker.tenant.Principal;
import dev.ferry.broker.tenant.Role;
import dev.ferry.config.ConfigType;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.DescribeConfigsRequestData;
import dev.ferry.protocol.message.DescribeConfigsRequestData.DescribeConfigsResource;
import dev.ferry.protocol.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import dev.ferry.protocol.message.DescribeConfigsResponseData.DescribeConfigsResult;
import dev.ferry.protocol.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DescribeConfigsHandlerTest {

    private static final byte TOPIC = 2;
    private static final byte BROKER = 4;
    private static final byte BROKER_LOGGER = 8;

    @TempDir
    Path dir;

    private TopicsFixture fixture;
    private DescribeConfigsHandler handler;

    @BeforeEach
    void open() {
        fixture = new TopicsFixture(dir, Map.of("log.segment.bytes", "2097152"));
        handler = new DescribeConfigsHandler(fixture.topics, fixture.config);
        fixture.topics.create("orders", 1, Map.of("retention.ms", "1000"), false);
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void shouldDescribeEveryTopicConfigWithItsSource() {
        DescribeConfigsResult result = describe(resource(TOPIC, "orders", null), false, false, 4);

        assertEquals(Errors.NONE.code(), result.errorCode());
        assertEquals(TOPIC, result.resourceType());
        assertEquals("orders", result.resourceName());
        DescribeConfigsResourceResult retention = entry(result, "retention.ms");
        assertEquals("1000", retention.value());
        assertEquals(ConfigSources.DYNAMIC_TOPIC_CONFIG, retention.configSource());
        assertFalse(retention.readOnly());
        assertFalse(retention.isSensitive());
        assertEquals(ConfigType.LONG.id(), retention.configType());
        assertEquals("2097152", entry(result, "segment.bytes").value());
        assertEquals(ConfigSources.STATIC_BROKER_CONFIG, entry(result, "segment.bytes").configSource());
        assertEquals(ConfigSources.DEFAULT_CONFIG, entry(result, "retention.bytes").configSource());
        assertTrue(retention.synonyms().isEmpty(), "no synonyms unless asked");
        assertNull(retention.documentation(), "no documentation unless asked");
        assertTrue(result.configs().size() > 20, "every topic config is listed");
    }

    @Test
    void shouldListSynonymsStrongestFirst() {
        DescribeConfigsResult result = describe(resource(TOPIC, "orders", List.of("retention.ms", "segment.bytes")),
                true, true, 4);

        assertEquals(2, result.configs().size());
        List<DescribeConfigsSynonym> retention = entry(result, "retention.ms").synonyms();
        assertEquals("retention.ms", retention.get(0).name());
        assertEquals(ConfigSources.DYNAMIC_TOPIC_CONFIG, retention.get(0).source());
        assertEquals("log.retention.ms", retention.get(retention.size() - 1).name());
        assertEquals(ConfigSources.DEFAULT_CONFIG, retention.get(retention.size() - 1).source());
        List<DescribeConfigsSynonym> segment = entry(result, "segment.bytes").synonyms();
        assertEquals(2, segment.size());
        assertEquals(ConfigSources.STATIC_BROKER_CONFIG, segment.get(0).source());
        assertEquals("2097152", segment.get(0).value());
        assertEquals(ConfigSources.DEFAULT_CONFIG, segment.get(1).source());
        assertEquals("1073741824", segment.get(1).value());
        assertNotNull(entry(result, "retention.ms").documentation());
    }

    @Test
    void shouldReportUnknownAndIllegalTopics() {
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(),
                describe(resource(TOPIC, "missing", null), false, false, 4).errorCode());
        assertEquals(Errors.INVALID_TOPIC_EXCEPTION.code(),
                describe(resource(TOPIC, "bad name", null), false, false, 4).errorCode());
    }

    @Test
    void shouldDescribeThisBrokerAsReadOnlySettings() {
        String nodeId = String.valueOf(fixture.config.nodeId());

        DescribeConfigsResult result = describe(resource(BROKER, nodeId, null), true, false, 4);

        assertEquals(Errors.NONE.code(), result.errorCode());
        DescribeConfigsResourceResult segmentBytes = entry(result, "log.segment.bytes");
        assertEquals("2097152", segmentBytes.value());
        assertTrue(segmentBytes.readOnly());
        assertEquals(ConfigSources.STATIC_BROKER_CONFIG, segmentBytes.configSource());
        assertEquals(ConfigSources.DEFAULT_CONFIG, entry(result, "num.io.threads").configSource());
        assertEquals(2, segmentBytes.synonyms().size());
    }

    @Test
    void shouldRefuseOtherBrokersAndUnsupportedTypes() {
        assertEquals(Errors.INVALID_REQUEST.code(),
                describe(resource(BROKER, "12345", null), false, false, 4).errorCode());
        assertEquals(Errors.INVALID_REQUEST.code(),
                describe(resource(BROKER, "abc", null), false, false, 4).errorCode());
        assertEquals(Errors.INVALID_REQUEST.code(),
                describe(resource(BROKER_LOGGER, "0", null), false, false, 4).errorCode());
        DescribeConfigsResult clusterDefaults = describe(resource(BROKER, "", null), false, false, 4);
        assertEquals(Errors.NONE.code(), clusterDefaults.errorCode());
        assertTrue(clusterDefaults.configs().isEmpty(), "Ferry has no dynamic cluster-wide defaults");
    }

    @Test
    void shouldRefuseTopicsOutsideTheTenantsApplicationWhetherOrNotTheyExist() {
        fixture.topics.create("globex.t", 1, Map.of("retention.ms", "5000"), false);

        for (String name : List.of("globex.t", "globex.missing", "orders")) {
            DescribeConfigsResult refused = describe(tenant(Role.CONSUME), resource(TOPIC, name, null));

            assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), refused.errorCode(), name);
            assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.message(), refused.errorMessage(), name);
            assertEquals(TOPIC, refused.resourceType());
            assertEquals(name, refused.resourceName());
            assertTrue(refused.configs().isEmpty(), "no config of " + name + " is revealed");
        }
    }

    @Test
    void shouldDescribeTheTenantsOwnTopicWithAnyRole() {
        fixture.topics.create("acme.t", 1, Map.of("retention.ms", "5000"), false);

        for (Role role : Role.values()) {
            DescribeConfigsResult result = describe(tenant(role), resource(TOPIC, "acme.t", List.of("retention.ms")));

            assertEquals(Errors.NONE.code(), result.errorCode(), role.label());
            assertEquals("5000", entry(result, "retention.ms").value(), role.label());
        }
    }

    @Test
    void shouldRefuseBrokerSettingsToATenantAsAClusterOperation() {
        String nodeId = String.valueOf(fixture.config.nodeId());

        DescribeConfigsResult refused = describe(tenant(Role.ALL), resource(BROKER, nodeId, null));
        DescribeConfigsResult clusterDefaults = describe(tenant(Role.ALL), resource(BROKER, "", null));

        assertEquals(Errors.CLUSTER_AUTHORIZATION_FAILED.code(), refused.errorCode());
        assertEquals(Errors.CLUSTER_AUTHORIZATION_FAILED.message(), refused.errorMessage());
        assertEquals(BROKER, refused.resourceType());
        assertEquals(nodeId, refused.resourceName());
        assertTrue(refused.configs().isEmpty());
        assertEquals(Errors.CLUSTER_AUTHORIZATION_FAILED.code(), clusterDefaults.errorCode());
    }

    private DescribeConfigsResult describe(DescribeConfigsResource resource, boolean synonyms, boolean documentation,
                                           int version) {
        DescribeConfigsRequestData request = new DescribeConfigsRequestData().setIncludeSynonyms(synonyms)
                .setIncludeDocumentation(documentation);
        request.resources().add(resource);
        return describe(TopicsFixture.context(ApiMessageType.DESCRIBE_CONFIGS, version), request);
    }

    private DescribeConfigsResult describe(RequestContext context, DescribeConfigsResource resource) {
        DescribeConfigsRequestData request = new DescribeConfigsRequestData();
        request.resources().add(resource);
        return describe(context, request);
    }

    private DescribeConfigsResult describe(RequestContext context, DescribeConfigsRequestData request) {
        List<DescribeConfigsResult> results = handler.handle(context, request).join().results();
        assertEquals(1, results.size());
        return results.get(0);
    }

    /** A request of the application {@code acme}, whose topics are {@code acme.*}, through a key of {@code role}. */
    private static RequestContext tenant(Role role) {
        return TopicsFixture.context(ApiMessageType.DESCRIBE_CONFIGS, 4)
                .withPrincipal(new Principal("acme", "ci", "k1", role));
    }

    private static DescribeConfigsResource resource(byte type, String name, List<String> keys) {
        return new DescribeConfigsResource().setResourceType(type).setResourceName(name)
                .setConfigurationKeys(keys == null ? null : new ArrayList<>(keys));
    }

    private static DescribeConfigsResourceResult entry(DescribeConfigsResult result, String name) {
        return result.configs().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }
}
