package dev.ferry.broker.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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

    private CreatePartitionsTopicResult createPartitions(CreatePartitionsTopic topic, boolean validateOnly) {
        CreatePartitionsRequestData request = new CreatePartitionsRequestData().setValidateOnly(validateOnly);
        request.topics().add(topic);
        List<CreatePartitionsTopicResult> results = handler.handle(context(), request).join().results();
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

    private static CreatePartitionsTopicResult result(List<CreatePartitionsTopicResult> results, String name) {
        return results.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }
}
