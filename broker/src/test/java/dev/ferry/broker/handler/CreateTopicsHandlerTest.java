package dev.ferry.broker.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.broker.tenant.Principal;
import dev.ferry.broker.tenant.Role;
import dev.ferry.broker.topic.PartitionLimits;
import dev.ferry.broker.topic.TopicManager;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.CreateTopicsRequestData;
import dev.ferry.protocol.message.CreateTopicsRequestData.CreatableReplicaAssignment;
import dev.ferry.protocol.message.CreateTopicsRequestData.CreatableTopic;
import dev.ferry.protocol.message.CreateTopicsRequestData.CreatableTopicConfig;
import dev.ferry.protocol.message.CreateTopicsResponseData;
import dev.ferry.protocol.message.CreateTopicsResponseData.CreatableTopicConfigs;
import dev.ferry.protocol.message.CreateTopicsResponseData.CreatableTopicResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CreateTopicsHandlerTest {

    @TempDir
    Path dir;

    private TopicsFixture fixture;
    private CreateTopicsHandler handler;

    @BeforeEach
    void open() {
        fixture = new TopicsFixture(dir, Map.of("num.partitions", "3", "log.retention.ms", "7200000"));
        handler = new CreateTopicsHandler(fixture.topics, fixture.config);
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void shouldCreateWithBrokerDefaultsForMinusOne() {
        CreatableTopicResult result = createOne(topic("orders", -1, (short) -1), 7);

        assertEquals(Errors.NONE.code(), result.errorCode());
        assertNull(result.errorMessage());
        assertEquals(3, result.numPartitions());
        assertEquals(1, result.replicationFactor());
        assertEquals(fixture.topics.topic("orders").orElseThrow().id(), result.topicId());
        assertEquals(3, fixture.topics.topic("orders").orElseThrow().partitions());
        CreatableTopicConfigs retention = config(result, "retention.ms");
        assertEquals("7200000", retention.value());
        assertEquals(ConfigSources.STATIC_BROKER_CONFIG, retention.configSource());
        assertEquals(ConfigSources.DEFAULT_CONFIG, config(result, "segment.jitter.ms").configSource());
    }

    @Test
    void shouldReturnTopicOverridesAsDynamicTopicConfigs() {
        CreatableTopic topic = topic("orders", 2, (short) 1);
        topic.configs().add(new CreatableTopicConfig().setName("retention.ms").setValue("1000"));

        CreatableTopicResult result = createOne(topic, 7);

        assertEquals(Errors.NONE.code(), result.errorCode());
        assertEquals(2, result.numPartitions());
        assertEquals("1000", config(result, "retention.ms").value());
        assertEquals(ConfigSources.DYNAMIC_TOPIC_CONFIG, config(result, "retention.ms").configSource());
        assertEquals(Map.of("retention.ms", "1000"), fixture.topics.topic("orders").orElseThrow().configs());
    }

    @Test
    void shouldLeaveOutConfigsBeforeVersionFive() {
        CreatableTopicResult result = createOne(topic("orders", 2, (short) 1), 4);

        assertEquals(Errors.NONE.code(), result.errorCode());
        assertEquals(-1, result.numPartitions());
        assertTrue(result.configs() == null || result.configs().isEmpty());
    }

    @Test
    void shouldOnlyValidateWhenAsked() {
        CreateTopicsRequestData request = new CreateTopicsRequestData().setValidateOnly(true);
        request.topics().add(topic("orders", 4, (short) 1));

        CreatableTopicResult result = handler.handle(context(7), request).join().topics().get(0);

        assertEquals(Errors.NONE.code(), result.errorCode());
        assertEquals(4, result.numPartitions());
        assertTrue(fixture.topics.topic("orders").isEmpty());
    }

    @Test
    void shouldRefuseReplicationFactorsOneNodeCannotHave() {
        CreatableTopicResult three = createOne(topic("three", 1, (short) 3), 7);
        CreatableTopicResult zero = createOne(topic("zero", 1, (short) 0), 7);

        assertEquals(Errors.INVALID_REPLICATION_FACTOR.code(), three.errorCode());
        assertEquals("Unable to replicate the partition 3 time(s): The target replication factor of 3 cannot be "
                + "reached because only 1 broker(s) are registered.", three.errorMessage());
        assertEquals(Errors.INVALID_REPLICATION_FACTOR.code(), zero.errorCode());
        assertTrue(fixture.topics.topics().isEmpty());
    }

    @Test
    void shouldRefuseNonPositivePartitionCounts() {
        assertEquals(Errors.INVALID_PARTITIONS.code(), createOne(topic("a", 0, (short) 1), 7).errorCode());
        assertEquals(Errors.INVALID_PARTITIONS.code(), createOne(topic("b", -2, (short) 1), 7).errorCode());
    }

    @Test
    void shouldReportExistingIllegalAndDuplicateNames() {
        createOne(topic("orders", 1, (short) 1), 7);
        CreateTopicsRequestData request = new CreateTopicsRequestData();
        request.topics().add(topic("orders", 1, (short) 1));
        request.topics().add(topic("bad name", 1, (short) 1));
        request.topics().add(topic("twice", 1, (short) 1));
        request.topics().add(topic("twice", 2, (short) 1));

        CreateTopicsResponseData response = handler.handle(context(7), request).join();

        assertEquals(3, response.topics().size());
        assertEquals(Errors.TOPIC_ALREADY_EXISTS.code(), result(response, "orders").errorCode());
        assertEquals("Topic 'orders' already exists.", result(response, "orders").errorMessage());
        assertEquals(Errors.INVALID_TOPIC_EXCEPTION.code(), result(response, "bad name").errorCode());
        assertEquals(Errors.INVALID_REQUEST.code(), result(response, "twice").errorCode());
        assertEquals("Duplicate topic name.", result(response, "twice").errorMessage());
        assertTrue(fixture.topics.topic("twice").isEmpty());
    }

    @Test
    void shouldRefuseInvalidAndNullConfigValues() {
        CreatableTopic invalid = topic("invalid", 1, (short) 1);
        invalid.configs().add(new CreatableTopicConfig().setName("retention.ms").setValue("soon"));
        CreatableTopic nullValue = topic("null-value", 1, (short) 1);
        nullValue.configs().add(new CreatableTopicConfig().setName("retention.ms").setValue(null));

        CreatableTopicResult invalidResult = createOne(invalid, 7);
        CreatableTopicResult nullResult = createOne(nullValue, 7);

        assertEquals(Errors.INVALID_CONFIG.code(), invalidResult.errorCode());
        assertTrue(invalidResult.errorMessage().contains("retention.ms"), invalidResult.errorMessage());
        assertEquals(Errors.INVALID_CONFIG.code(), nullResult.errorCode());
        assertEquals("Null value not supported for topic configs: retention.ms", nullResult.errorMessage());
    }

    @Test
    void shouldAcceptManualAssignmentsOnThisNodeOnly() {
        CreatableTopic manual = topic("manual", -1, (short) -1);
        manual.assignments().add(assignment(0, fixture.config.nodeId()));
        manual.assignments().add(assignment(1, fixture.config.nodeId()));
        CreatableTopic elsewhere = topic("elsewhere", -1, (short) -1);
        elsewhere.assignments().add(assignment(0, fixture.config.nodeId() + 1));
        CreatableTopic gap = topic("gap", -1, (short) -1);
        gap.assignments().add(assignment(1, fixture.config.nodeId()));
        CreatableTopic withCount = topic("with-count", 2, (short) -1);
        withCount.assignments().add(assignment(0, fixture.config.nodeId()));

        assertEquals(Errors.NONE.code(), createOne(manual, 7).errorCode());
        assertEquals(2, fixture.topics.topic("manual").orElseThrow().partitions());
        assertEquals(Errors.INVALID_REPLICA_ASSIGNMENT.code(), createOne(elsewhere, 7).errorCode());
        assertEquals(Errors.INVALID_REPLICA_ASSIGNMENT.code(), createOne(gap, 7).errorCode());
        assertEquals(Errors.INVALID_REQUEST.code(), createOne(withCount, 7).errorCode());
    }

    @Test
    void shouldRefuseTopicsOutsideTheTenantsApplicationWhetherOrNotTheyExist() {
        fixture.topics.create("globex.t", 1, Map.of(), false);
        CreateTopicsRequestData request = new CreateTopicsRequestData();
        request.topics().add(topic("globex.t", 3, (short) 1));
        request.topics().add(topic("globex.new", 1, (short) 1));
        request.topics().add(topic("orders", 1, (short) 1));
        request.topics().add(topic("acme.orders", 2, (short) 1));

        CreateTopicsResponseData response = handler.handle(tenant(Role.ALL), request).join();

        for (String name : List.of("globex.t", "globex.new", "orders")) {
            assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), result(response, name).errorCode(), name);
            assertEquals("Authorization failed.", result(response, name).errorMessage(), name);
        }
        assertEquals(Errors.NONE.code(), result(response, "acme.orders").errorCode());
        assertEquals(2, fixture.topics.topic("acme.orders").orElseThrow().partitions());
        assertEquals(1, fixture.topics.topic("globex.t").orElseThrow().partitions());
        assertTrue(fixture.topics.topic("globex.new").isEmpty());
        assertTrue(fixture.topics.topic("orders").isEmpty());
    }

    @Test
    void shouldRefuseTopicCreationByAConsumeKey() {
        CreateTopicsRequestData request = new CreateTopicsRequestData();
        request.topics().add(topic("acme.orders", 1, (short) 1));

        CreatableTopicResult consumer = handler.handle(tenant(Role.CONSUME), request).join().topics().get(0);

        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), consumer.errorCode());
        assertEquals("Authorization failed.", consumer.errorMessage());
        assertTrue(fixture.topics.topic("acme.orders").isEmpty());

        CreatableTopicResult producer = handler.handle(tenant(Role.PRODUCE), request).join().topics().get(0);

        assertEquals(Errors.NONE.code(), producer.errorCode());
        assertTrue(fixture.topics.topic("acme.orders").isPresent());
    }

    @Test
    void shouldRefuseCreationPastTheApplicationsPartitionQuotaCountingWhatItHolds() {
        TopicManager limited = limitedTo(4);
        CreateTopicsHandler quota = new CreateTopicsHandler(limited, fixture.config);

        assertEquals(Errors.NONE.code(), createOne(quota, tenant(Role.ALL), topic("acme.a", 2, (short) 1), false)
                .errorCode());
        assertEquals(Errors.NONE.code(), createOne(quota, tenant(Role.ALL), topic("acme.b", 2, (short) 1), false)
                .errorCode());
        CreatableTopicResult validated = createOne(quota, tenant(Role.ALL), topic("acme.c", 1, (short) 1), true);
        CreatableTopicResult third = createOne(quota, tenant(Role.ALL), topic("acme.c", 1, (short) 1), false);

        String message = "The partition quota of application acme is 4 partitions: it holds 4 and this would add 1.";
        assertEquals(Errors.POLICY_VIOLATION.code(), validated.errorCode());
        assertEquals(message, validated.errorMessage());
        assertEquals(Errors.POLICY_VIOLATION.code(), third.errorCode());
        assertEquals(message, third.errorMessage());
        assertTrue(limited.topic("acme.c").isEmpty());
        assertEquals(Errors.NONE.code(), createOne(quota, context(7), topic("globex.big", 9, (short) 1), false)
                .errorCode(), "another application's topics count against no quota of acme");
    }

    @Test
    void shouldRefuseOneTopicLargerThanTheWholeQuota() {
        CreateTopicsHandler quota = new CreateTopicsHandler(limitedTo(4), fixture.config);

        CreatableTopicResult tooLarge = createOne(quota, tenant(Role.ALL), topic("acme.big", 5, (short) 1), true);
        CreatableTopicResult fits = createOne(quota, tenant(Role.ALL), topic("acme.fits", 4, (short) 1), true);

        assertEquals(Errors.POLICY_VIOLATION.code(), tooLarge.errorCode());
        assertEquals("The partition quota of application acme is 4 partitions: it holds 0 and this would add 5.",
                tooLarge.errorMessage());
        assertEquals(Errors.NONE.code(), fits.errorCode(), "exactly the quota is allowed");
    }

    /** A topic manager over the fixture's storage whose {@code acme.*} topics may hold {@code max} partitions. */
    private TopicManager limitedTo(int max) {
        PartitionLimits limits = topic -> topic.startsWith("acme.")
                ? new PartitionLimits.Limit("acme.", max, "application acme") : null;
        return new TopicManager(fixture.config, fixture.logManager, limits);
    }

    private static CreatableTopicResult createOne(CreateTopicsHandler handler, RequestContext context,
                                                  CreatableTopic topic, boolean validateOnly) {
        CreateTopicsRequestData request = new CreateTopicsRequestData().setValidateOnly(validateOnly);
        request.topics().add(topic);
        CreateTopicsResponseData response = handler.handle(context, request).join();
        assertEquals(1, response.topics().size());
        return response.topics().get(0);
    }

    private CreatableTopicResult createOne(CreatableTopic topic, int version) {
        return createOne(handler, context(version), topic, false);
    }

    private static RequestContext context(int version) {
        return TopicsFixture.context(ApiMessageType.CREATE_TOPICS, version);
    }

    /** A request of the application {@code acme}, whose topics are {@code acme.*}, through a key of {@code role}. */
    private static RequestContext tenant(Role role) {
        return context(7).withPrincipal(new Principal("acme", "ci", "k1", role));
    }

    private static CreatableTopic topic(String name, int partitions, short replicationFactor) {
        return new CreatableTopic().setName(name).setNumPartitions(partitions).setReplicationFactor(replicationFactor);
    }

    private static CreatableReplicaAssignment assignment(int partition, int broker) {
        return new CreatableReplicaAssignment().setPartitionIndex(partition)
                .setBrokerIds(new ArrayList<>(List.of(broker)));
    }

    private static CreatableTopicResult result(CreateTopicsResponseData response, String name) {
        return response.topics().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    private static CreatableTopicConfigs config(CreatableTopicResult result, String name) {
        return result.configs().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }
}
