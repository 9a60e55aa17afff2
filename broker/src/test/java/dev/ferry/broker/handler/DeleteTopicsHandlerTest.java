package dev.ferry.broker.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.Errors;
import dev.ferry.protocol.Uuids;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.DeleteTopicsRequestData;
import dev.ferry.protocol.message.DeleteTopicsRequestData.DeleteTopicState;
import dev.ferry.protocol.message.DeleteTopicsResponseData;
import dev.ferry.protocol.message.DeleteTopicsResponseData.DeletableTopicResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeleteTopicsHandlerTest {

    @TempDir
    Path dir;

    private TopicsFixture fixture;
    private DeleteTopicsHandler handler;

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void shouldDeleteByNameBeforeVersion6() {
        open(Map.of());
        fixture.topics.create("orders", 1, Map.of(), false);
        DeleteTopicsRequestData request = new DeleteTopicsRequestData()
                .setTopicNames(new ArrayList<>(List.of("orders", "missing")));

        DeleteTopicsResponseData response = handler.handle(context(5), request).join();

        assertEquals(Errors.NONE.code(), result(response, "orders").errorCode());
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), result(response, "missing").errorCode());
        assertTrue(fixture.topics.topic("orders").isEmpty());
    }

    @Test
    void shouldDeleteByIdFromVersion6AndReportUnknownIds() {
        open(Map.of());
        UUID id = fixture.topics.create("orders", 2, Map.of(), false).topic().id();
        UUID unknown = new UUID(3, 4);
        DeleteTopicsRequestData request = new DeleteTopicsRequestData().setTopics(new ArrayList<>(List.of(
                new DeleteTopicState().setName(null).setTopicId(id),
                new DeleteTopicState().setName(null).setTopicId(unknown))));

        DeleteTopicsResponseData response = handler.handle(context(6), request).join();

        DeletableTopicResult deleted = byId(response, id);
        assertEquals(Errors.NONE.code(), deleted.errorCode());
        assertEquals("orders", deleted.name());
        assertEquals(Errors.UNKNOWN_TOPIC_ID.code(), byId(response, unknown).errorCode());
        assertTrue(fixture.topics.topic(id).isEmpty());
    }

    @Test
    void shouldRefuseDuplicatesAndAmbiguousEntries() {
        open(Map.of());
        UUID id = fixture.topics.create("orders", 1, Map.of(), false).topic().id();
        fixture.topics.create("twice", 1, Map.of(), false);
        DeleteTopicsRequestData request = new DeleteTopicsRequestData().setTopics(new ArrayList<>(List.of(
                new DeleteTopicState().setName("twice").setTopicId(Uuids.ZERO),
                new DeleteTopicState().setName("twice").setTopicId(Uuids.ZERO),
                new DeleteTopicState().setName("orders").setTopicId(id),
                new DeleteTopicState().setName(null).setTopicId(Uuids.ZERO))));

        DeleteTopicsResponseData response = handler.handle(context(6), request).join();

        assertEquals(3, response.responses().size());
        assertEquals("Duplicate topic name.", result(response, "twice").errorMessage());
        assertEquals(Errors.INVALID_REQUEST.code(), result(response, "twice").errorCode());
        assertEquals("You may not specify both topic name and topic id.", result(response, "orders").errorMessage());
        assertTrue(fixture.topics.topic("twice").isPresent());
        assertTrue(fixture.topics.topic("orders").isPresent());
    }

    @Test
    void shouldRefuseEveryTopicWhenDeletionIsDisabled() {
        open(Map.of("delete.topic.enable", "false"));
        fixture.topics.create("orders", 1, Map.of(), false);

        DeleteTopicsResponseData v6 = handler.handle(context(6), new DeleteTopicsRequestData().setTopics(
                new ArrayList<>(List.of(new DeleteTopicState().setName("orders").setTopicId(Uuids.ZERO))))).join();
        DeleteTopicsResponseData v2 = handler.handle(context(2),
                new DeleteTopicsRequestData().setTopicNames(new ArrayList<>(List.of("orders")))).join();

        assertEquals(Errors.TOPIC_DELETION_DISABLED.code(), result(v6, "orders").errorCode());
        assertEquals(Errors.INVALID_REQUEST.code(), result(v2, "orders").errorCode());
        assertTrue(fixture.topics.topic("orders").isPresent());
    }

    private void open(Map<String, String> settings) {
        fixture = new TopicsFixture(dir, settings);
        handler = new DeleteTopicsHandler(fixture.topics, fixture.config);
    }

    private static RequestContext context(int version) {
        return TopicsFixture.context(ApiMessageType.DELETE_TOPICS, version);
    }

    private static DeletableTopicResult result(DeleteTopicsResponseData response, String name) {
        return response.responses().stream().filter(r -> name.equals(r.name())).findFirst().orElseThrow();
    }

    private static DeletableTopicResult byId(DeleteTopicsResponseData response, UUID id) {
        return response.responses().stream().filter(r -> id.equals(r.topicId())).findFirst().orElseThrow();
    }
}
