package dev.ferry.broker.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ferry.broker.tenant.Principal;
import dev.ferry.broker.tenant.Role;
import dev.ferry.broker.topic.PartitionLimits;
import dev.ferry.broker.topic.TopicManager;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.CreatePartitionsRequestData;
import dev.ferry.protocol.message.CreatePartitionsRequestData.CreatePartitionsAssignment;
import dev.ferry.protocol.message.CreatePartitionsRequestData.CreatePartitionsTopic;
import dev.ferry.protocol.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CreatePartitionsHandlerTest {

    @TempDir
    Path dir;

    private TopicsFixture fixture;
    private CreatePartitionsHandler handler;

    @BeforeEach
    void open() {
        fixture = new TopicsFixture(dir, Map.of());
        handler = new CreatePartitionsHandler(fixture.topics, fixture.config);
        fixture.topics.create("orders", 2, Map.of(), false);
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void shouldIncreasePartitionCount() {
        CreatePartitionsTopicResult result = createPartitions(new CreatePartitionsTopic().setName("orders")
                .setCount(4).setAssignments(null), false);

        assertEquals(Errors.NONE.code(), result.errorCode());
        assertNull(result.errorMessage());
        assertEquals(4, fixture.topics.topic("orders").orElseThrow().partitions());
    }

    @Test
    void shouldRefuseCountsThatAreNoIncrease() {
        CreatePartitionsTopicResult same = createPartitions(topic("orders", 2), false);
        CreatePartitionsTopicResult fewer = createPartitions(topic("orders", 1), false);

        assertEquals(Errors.INVALID_PARTITIONS.code(), same.errorCode());
        assertEquals("Topic already has 2 partition(s).", same.errorMessage());
        assertEquals(Errors.INVALID_PARTITIONS.code(), fewer.errorCode());
        assertEquals("The topic orders currently has 2 partition(s); 1 would not be an increase.",
                fewer.errorMessage());
        assertEquals(2, fixture.topics.topic("orders").orElseThrow().partitions());
    }

    @Test
    void shouldOnlyValidateWhenAsked() {
        assertEquals(Errors.NONE.code(), createPartitions(topic("orders", 3), true).errorCode());
        assertEquals(2, fixture.topics.topic("orders").orElseThrow().partitions());
    }

    @Test
    void shouldReportUnknownAndDuplicateTopics() {
        CreatePartitionsRequestData request = new CreatePartitionsRequestData();
        request.topics().add(topic("missing", 3));
        request.topics().add(topic("orders", 3));
        request.topics().add(topic("orders", 4));

        List<CreatePartitionsTopicResult> results = handler.handle(context(), request).join().results();

        assertEquals(2, results.size());
        assertEquals(Errors.INVALID_REQUEST.code(), result(results, "orders").errorCode());
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), result(results, "missing").errorCode());
        assertEquals(2, fixture.topics.topic("orders").orElseThrow().partitions());
    }

    @Test
    void shouldCheckManualAssignments() {
        CreatePartitionsTopic tooFew = topic("orders", 4);
        tooFew.setAssignments(new ArrayList<>(List.of(assignment(fixture.config.nodeId()))));
        CreatePartitionsTopic elsewhere = topic("orders", 3);
        elsewhere.setAssignments(new ArrayList<>(List.of(assignment(fixture.config.nodeId() + 5))));
        CreatePartitionsTopic here = topic("orders", 3);
        here.setAssignments(new ArrayList<>(List.of(assignment(fixture.config.nodeId()))));

        assertEquals(Errors.INVALID_REPLICA_ASSIGNMENT.code(), createPartitions(tooFew, false).errorCode());
        assertEquals(Errors.INVALID_REPLICA_ASSIGNMENT.code(), createPartitions(elsewhere, false).errorCode());
        assertEquals(Errors.NONE.code(), createPartitions(here, false).errorCode());
        assertEquals(3, fixture.topics.topic("orders").orElseThrow().partitions());
    }

    @Test
    void shouldRefuseGrowingTopicsOutsideTheTenantsApplicationWhetherOrNotTheyExist() {
        fixture.topics.create("globex.t", 1, Map.of(), false);
        fixture.topics.create("acme.t", 1, Map.of(), false);
        CreatePartitionsRequestData request = new CreatePartitionsRequestData();
        request.topics().add(topic("globex.t", 3));
        request.topics().add(topic("globex.missing", 3));
        request.topics().add(topic("orders", 3));
        request.topics().add(topic("acme.t", 3));

        List<CreatePartitionsTopicResult> results = handler.handle(tenant(Role.ALL), request).join().results();

        assertEquals(4, results.size());
        for (String name : List.of("globex.t", "globex.missing", "orders")) {
            assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), result(results, name).errorCode(), name);
            assertEquals("Authorization failed.", result(results, name).errorMessage(), name);
        }
        assertEquals(Errors.NONE.code(), result(results, "acme.t").errorCode());
        assertEquals(3, fixture.topics.topic("acme.t").orElseThrow().partitions());
        assertEquals(1, fixture.topics.topic("globex.t").orElseThrow().partitions());
        assertEquals(2, fixture.topics.topic("orders").orElseThrow().partitions());
    }

    @Test
    void shouldRefuseGrowingTopicsWithAConsumeKey() {
        fixture.topics.create("acme.t", 1, Map.of(), false);

        CreatePartitionsTopicResult consumer =
                createPartitions(handler, tenant(Role.CONSUME), topic("acme.t", 2), false);
        CreatePartitionsTopicResult producer =
                createPartitions(handler, tenant(Role.PRODUCE), topic("acme.t", 3), false);

        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), consumer.errorCode());
        assertEquals("Authorization failed.", consumer.errorMessage());
        assertEquals(Errors.NONE.code(), producer.errorCode());
        assertEquals(3, fixture.topics.topic("acme.t").orElseThrow().partitions());
    }

    @Test
    void shouldRefuseGrowingPastTheApplicationsPartitionQuotaCountingWhatItHolds() {
        fixture.topics.create("acme.a", 2, Map.of(), false);
        fixture.topics.create("acme.b", 1, Map.of(), false);
        TopicManager limited = limitedTo(4);
        CreatePartitionsHandler quota = new CreatePartitionsHandler(limited, fixture.config);

        CreatePartitionsTopicResult validated = createPartitions(quota, tenant(Role.ALL), topic("acme.a", 4), true);
        CreatePartitionsTopicResult refused = createPartitions(quota, tenant(Role.ALL), topic("acme.a", 4), false);
        CreatePartitionsTopicResult toTheQuota = createPartitions(quota, tenant(Role.ALL), topic("acme.a", 3), false);

        String message = "The partition quota of application acme is 4 partitions: it holds 3 and this would add 2.";
        assertEquals(Errors.POLICY_VIOLATION.code(), validated.errorCode());
        assertEquals(message, validated.errorMessage());
        assertEquals(Errors.POLICY_VIOLATION.code(), refused.errorCode());
        assertEquals(message, refused.errorMessage());
        assertEquals(Errors.NONE.code(), toTheQuota.errorCode(), "reaching the quota exactly is allowed");
        assertEquals(3, limited.topic("acme.a").orElseThrow().partitions());
        assertEquals(Errors.NONE.code(), createPartitions(quota, context(), topic("orders", 9), false).errorCode(),
                "a topic outside the application counts against no quota of acme");
    }

    /** A topic manager over the fixture's storage whose {@code acme.*} topics may hold {@code max} partitions. */
    private TopicManager limitedTo(int max) {
        PartitionLimits limits = topic -> topic.startsWith("acme.")
                ? new PartitionLimits.Limit("acme.", max, "application acme") : null;
        return new TopicManager(fixture.config, fixture.logManager, limits);
    }

    private CreatePartitionsTopicResult createPartitions(CreatePartitionsTopic topic, boolean validateOnly) {
        return createPartitions(handler, context(), topic, validateOnly);
    }

    private static CreatePartitionsTopicResult createPartitions(CreatePartitionsHandler handler,
                                                                RequestContext context, CreatePartitionsTopic topic,
                                                                boolean validateOnly) {
        CreatePartitionsRequestData request = new CreatePartitionsRequestData().setValidateOnly(validateOnly);
        request.topics().add(topic);
        List<CreatePartitionsTopicResult> results = handler.handle(context, request).join().results();
        assertEquals(1, results.size());
        return results.get(0);
    }

    private static CreatePartitionsTopic topic(String name, int count) {
        return new CreatePartitionsTopic().setName(name).setCount(count).setAssignments(null);
    }

    private static CreatePartitionsAssignment assignment(int broker) {
        return new CreatePartitionsAssignment().setBrokerIds(new ArrayList<>(List.of(broker)));
    }

    private static RequestContext context() {
        return TopicsFixture.context(ApiMessageType.CREATE_PARTITIONS, 3);
    }

    /** A request of the application {@code acme}, whose topics are {@code acme.*}, through a key of {@code role}. */
    private static RequestContext tenant(Role role) {
        return context().withPrincipal(new Principal("acme", "ci", "k1", role));
    }

    private static CreatePartitionsTopicResult result(List<CreatePartitionsTopicResult> results, String name) {
        return results.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }
}
