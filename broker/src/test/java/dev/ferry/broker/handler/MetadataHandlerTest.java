package dev.ferry.broker.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.broker.tenant.Principal;
import dev.ferry.broker.tenant.Role;
import dev.ferry.broker.topic.TopicManager.TopicInfo;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.Uuids;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.MetadataRequestData;
import dev.ferry.protocol.message.MetadataRequestData.MetadataRequestTopic;
import dev.ferry.protocol.message.MetadataResponseData;
import dev.ferry.protocol.message.MetadataResponseData.MetadataResponseBroker;
import dev.ferry.protocol.message.MetadataResponseData.MetadataResponsePartition;
import dev.ferry.protocol.message.MetadataResponseData.MetadataResponseTopic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataHandlerTest {

    @TempDir
    Path dir;

    private TopicsFixture fixture;
    private MetadataHandler handler;

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void shouldDescribeThisNodeAsOnlyBrokerAndController() {
        open(Map.of());

        MetadataResponseData response = metadata(12, null, true);

        assertEquals(1, response.brokers().size());
        MetadataResponseBroker broker = response.brokers().get(0);
        assertEquals(fixture.config.nodeId(), broker.nodeId());
        assertEquals("broker.example", broker.host());
        assertEquals(19092, broker.port(), "port 0 in advertised.listeners is replaced by the bound port");
        assertEquals(TopicsFixture.CLUSTER_ID, response.clusterId());
        assertEquals(fixture.config.nodeId(), response.controllerId());
    }

    @Test
    void shouldListEveryTopicForNullListAndNoneForEmptyList() {
        open(Map.of());
        fixture.topics.create("b", 1, Map.of(), false);
        fixture.topics.create("a", 2, Map.of(), false);

        assertEquals(List.of("a", "b"), names(metadata(12, null, true)));
        assertEquals(List.of(), names(metadata(12, List.of(), true)));
        assertEquals(List.of("a", "b"), names(metadata(0, List.of(), true)), "at version 0 empty means all");
    }

    @Test
    void shouldDescribePartitionsLedByThisNode() {
        open(Map.of());
        UUID id = fixture.topics.create("orders", 3, Map.of(), false).topic().id();

        MetadataResponseTopic topic = metadata(12, List.of("orders"), false).topics().get(0);

        assertEquals(Errors.NONE.code(), topic.errorCode());
        assertEquals(id, topic.topicId());
        assertEquals(3, topic.partitions().size());
        for (int p = 0; p < 3; p++) {
            MetadataResponsePartition partition = topic.partitions().get(p);
            assertEquals(p, partition.partitionIndex());
            assertEquals(fixture.config.nodeId(), partition.leaderId());
            assertEquals(0, partition.leaderEpoch());
            assertEquals(List.of(fixture.config.nodeId()), partition.replicaNodes());
            assertEquals(List.of(fixture.config.nodeId()), partition.isrNodes());
            assertTrue(partition.offlineReplicas().isEmpty());
        }
        assertEquals(Integer.MIN_VALUE, topic.topicAuthorizedOperations());
    }

    @Test
    void shouldAutoCreateOnlyWhenRequestAndBrokerAllowIt() {
        open(Map.of("num.partitions", "2"));

        MetadataResponseTopic refused = metadata(12, List.of("events"), false).topics().get(0);
        MetadataResponseTopic created = metadata(12, List.of("events"), true).topics().get(0);

        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), refused.errorCode());
        assertTrue(refused.partitions().isEmpty());
        assertEquals(Errors.NONE.code(), created.errorCode());
        assertEquals(2, created.partitions().size());
    }

    @Test
    void shouldNotAutoCreateWhenBrokerForbidsIt() {
        open(Map.of("auto.create.topics.enable", "false"));

        MetadataResponseTopic topic = metadata(12, List.of("events"), true).topics().get(0);

        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), topic.errorCode());
        assertTrue(fixture.topics.topic("events").isEmpty());
    }

    @Test
    void shouldReportIllegalNamesAsInvalidTopics() {
        open(Map.of());

        MetadataResponseTopic topic = metadata(12, List.of("no/slashes"), true).topics().get(0);

        assertEquals(Errors.INVALID_TOPIC_EXCEPTION.code(), topic.errorCode());
        assertEquals("no/slashes", topic.name());
    }

    @Test
    void shouldResolveTopicIdsAndReportUnknownOnes() {
        open(Map.of());
        UUID id = fixture.topics.create("orders", 1, Map.of(), false).topic().id();
        UUID unknown = new UUID(7, 7);
        MetadataRequestData request = new MetadataRequestData().setTopics(new ArrayList<>(List.of(
                new MetadataRequestTopic().setTopicId(id).setName(null),
                new MetadataRequestTopic().setTopicId(unknown).setName(null))));

        MetadataResponseData response = handler.handle(context(12), request).join();

        assertEquals("orders", response.topics().get(0).name());
        assertEquals(Errors.UNKNOWN_TOPIC_ID.code(), response.topics().get(1).errorCode());
        assertNull(response.topics().get(1).name());
        assertEquals(unknown, response.topics().get(1).topicId());
    }

    @Test
    void shouldRefuseTopicIdsBeforeVersion12() {
        open(Map.of());
        MetadataRequestData request = new MetadataRequestData().setTopics(new ArrayList<>(List.of(
                new MetadataRequestTopic().setTopicId(new UUID(1, 2)).setName("orders"))));

        MetadataResponseData response = handler.handle(context(11), request).join();

        assertEquals(Errors.INVALID_REQUEST.code(), response.topics().get(0).errorCode());
        assertTrue(response.brokers().isEmpty());
    }

    @Test
    void shouldReportAuthorizedOperationsWhenAsked() {
        open(Map.of());
        fixture.topics.create("orders", 1, Map.of(), false);
        MetadataRequestData request = request(List.of("orders"), false).setIncludeTopicAuthorizedOperations(true);

        MetadataResponseTopic topic = handler.handle(context(12), request).join().topics().get(0);

        // READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS
        assertEquals(0b1101_1111_1000, topic.topicAuthorizedOperations());
    }

    @Test
    void shouldReportOnlyWhatTheKeysRoleMayDoToATenant() {
        open(Map.of());
        fixture.topics.create("acme.orders", 1, Map.of(), false);
        MetadataRequestData request = request(List.of("acme.orders"), false).setIncludeTopicAuthorizedOperations(true)
                .setIncludeClusterAuthorizedOperations(true);

        MetadataResponseData consume = handler.handle(tenant(Role.CONSUME, 10), request).join();
        MetadataResponseData produce = handler.handle(tenant(Role.PRODUCE, 10), request).join();
        MetadataResponseData all = handler.handle(tenant(Role.ALL, 10), request).join();

        // READ, DESCRIBE, DESCRIBE_CONFIGS
        assertEquals(0b0101_0000_1000, consume.topics().get(0).topicAuthorizedOperations());
        // WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS
        assertEquals(0b1101_1111_0000, produce.topics().get(0).topicAuthorizedOperations());
        assertEquals(0b1101_1111_1000, all.topics().get(0).topicAuthorizedOperations());
        // the cluster: DESCRIBE; CREATE and IDEMPOTENT_WRITE with a key that may create topics and write
        assertEquals(0b0001_0000_0000, consume.clusterAuthorizedOperations());
        assertEquals(0b1_0001_0010_0000, produce.clusterAuthorizedOperations());
        assertEquals(0b1_0001_0010_0000, all.clusterAuthorizedOperations());
    }

    @Test
    void shouldDeduplicateRequestedNames() {
        open(Map.of());
        fixture.topics.create("orders", 1, Map.of(), false);

        assertEquals(List.of("orders"), names(metadata(12, List.of("orders", "orders"), false)));
        assertEquals(Uuids.ZERO, metadata(12, List.of("gone"), false).topics().get(0).topicId());
    }

    @Test
    void shouldListOnlyTheTenantsTopicsWhenAskedForEveryTopic() {
        open(Map.of());
        fixture.topics.create("acme.b", 1, Map.of(), false);
        fixture.topics.create("acme.a", 1, Map.of(), false);
        fixture.topics.create("globex.t", 1, Map.of(), false);
        fixture.topics.create("acme", 1, Map.of(), false);
        fixture.topics.create("orders", 1, Map.of(), false);

        assertEquals(List.of("acme.a", "acme.b"), names(tenantMetadata(Role.ALL, 12, null, true)));
        assertEquals(List.of("acme.a", "acme.b"), names(tenantMetadata(Role.CONSUME, 0, List.of(), true)),
                "at version 0 empty means all");
        assertEquals(5, fixture.topics.topics().size());
    }

    @Test
    void shouldRefuseAnotherApplicationsTopicByNameWhetherOrNotItExistsAndCreateNothing() {
        open(Map.of());
        fixture.topics.create("globex.t", 2, Map.of(), false);

        MetadataResponseData response = tenantMetadata(Role.ALL, 12,
                List.of("globex.t", "globex.missing", "unprefixed"), true);

        assertEquals(List.of("globex.t", "globex.missing", "unprefixed"), names(response));
        for (MetadataResponseTopic topic : response.topics()) {
            assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), topic.errorCode(), topic.name());
            assertEquals(Uuids.ZERO, topic.topicId(), "no existence leak: " + topic.name());
            assertTrue(topic.partitions().isEmpty(), topic.name());
        }
        assertEquals(List.of("globex.t"), topicNames());
        assertEquals(2, fixture.topics.topic("globex.t").orElseThrow().partitions());
    }

    @Test
    void shouldRefuseAnotherApplicationsTopicByIdAndResolveTheTenantsOwn() {
        open(Map.of());
        UUID globex = fixture.topics.create("globex.t", 1, Map.of(), false).topic().id();
        UUID acme = fixture.topics.create("acme.t", 1, Map.of(), false).topic().id();
        UUID unknown = new UUID(7, 7);
        MetadataRequestData request = new MetadataRequestData().setTopics(new ArrayList<>(List.of(
                new MetadataRequestTopic().setTopicId(globex).setName(null),
                new MetadataRequestTopic().setTopicId(acme).setName(null),
                new MetadataRequestTopic().setTopicId(unknown).setName(null))));

        MetadataResponseData response = handler.handle(tenant(Role.ALL, 12), request).join();

        MetadataResponseTopic refused = response.topics().get(0);
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), refused.errorCode());
        assertNull(refused.name(), "the name of another application's topic is not revealed");
        assertEquals(globex, refused.topicId());
        assertTrue(refused.partitions().isEmpty());
        assertEquals(Errors.NONE.code(), response.topics().get(1).errorCode());
        assertEquals("acme.t", response.topics().get(1).name());
        assertEquals(Errors.UNKNOWN_TOPIC_ID.code(), response.topics().get(2).errorCode());
    }

    @Test
    void shouldAutoCreateTheTenantsOwnTopicOnlyWithAKeyThatMayCreateTopics() {
        open(Map.of("num.partitions", "2"));

        MetadataResponseTopic consumer = tenantMetadata(Role.CONSUME, 12, List.of("acme.events"), true)
                .topics().get(0);

        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), consumer.errorCode());
        assertTrue(fixture.topics.topic("acme.events").isEmpty());

        MetadataResponseTopic all = tenantMetadata(Role.ALL, 12, List.of("acme.events"), true).topics().get(0);

        assertEquals(Errors.NONE.code(), all.errorCode());
        assertEquals(2, all.partitions().size());
        assertEquals(2, fixture.topics.topic("acme.events").orElseThrow().partitions());
        assertEquals(Errors.NONE.code(), tenantMetadata(Role.CONSUME, 12, List.of("acme.events"), false)
                .topics().get(0).errorCode(), "a consume key describes the existing topic");
    }

    @Test
    void shouldShowAndCreateEveryApplicationsTopicsOnAnOpenBroker() {
        open(Map.of());
        fixture.topics.create("globex.t", 1, Map.of(), false);
        fixture.topics.create("acme.t", 1, Map.of(), false);

        assertEquals(List.of("acme.t", "globex.t"), names(metadata(12, null, true)));
        MetadataResponseTopic created = metadata(12, List.of("globex.new"), true).topics().get(0);

        assertEquals(Errors.NONE.code(), created.errorCode());
        assertTrue(fixture.topics.topic("globex.new").isPresent());
    }

    private void open(Map<String, String> settings) {
        fixture = new TopicsFixture(dir, settings);
        handler = new MetadataHandler(fixture.topics, fixture.broker);
    }

    private MetadataResponseData metadata(int version, List<String> topics, boolean allowAutoCreate) {
        return handler.handle(context(version), request(topics, allowAutoCreate)).join();
    }

    private MetadataResponseData tenantMetadata(Role role, int version, List<String> topics,
                                                boolean allowAutoCreate) {
        return handler.handle(tenant(role, version), request(topics, allowAutoCreate)).join();
    }

    private List<String> topicNames() {
        return fixture.topics.topics().stream().map(TopicInfo::name).sorted().toList();
    }

    private static MetadataRequestData request(List<String> topics, boolean allowAutoCreate) {
        MetadataRequestData request = new MetadataRequestData().setAllowAutoTopicCreation(allowAutoCreate);
        if (topics == null) {
            return request.setTopics(null);
        }
        List<MetadataRequestTopic> requested = new ArrayList<>();
        for (String topic : topics) {
            requested.add(new MetadataRequestTopic().setName(topic));
        }
        return request.setTopics(requested);
    }

    private static RequestContext context(int version) {
        return TopicsFixture.context(ApiMessageType.METADATA, version);
    }

    /** A request of the application {@code acme}, whose topics are {@code acme.*}, through a key of {@code role}. */
    private static RequestContext tenant(Role role, int version) {
        return context(version).withPrincipal(new Principal("acme", "ci", "k1", role));
    }

    private static List<String> names(MetadataResponseData response) {
        return response.topics().stream().map(MetadataResponseTopic::name).toList();
    }
}
