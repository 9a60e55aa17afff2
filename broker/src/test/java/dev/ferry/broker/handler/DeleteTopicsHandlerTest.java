package dev.ferry.broker.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.broker.tenant.Principal;
import dev.ferry.broker.tenant.Role;
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

    @Test
    void shouldRefuseDeletingTopicsOutsideTheTenantsApplicationByName() {
        open(Map.of());
        fixture.topics.create("globex.t", 1, Map.of(), false);
        fixture.topics.create("orders", 1, Map.of(), false);
        List<String> names = List.of("globex.t", "globex.missing", "orders");

        DeleteTopicsResponseData v5 = handler.handle(tenant(Role.ALL, 5),
                new DeleteTopicsRequestData().setTopicNames(new ArrayList<>(names))).join();
        DeleteTopicsResponseData v6 = handler.handle(tenant(Role.ALL, 6), new DeleteTopicsRequestData().setTopics(
                new ArrayList<>(names.stream().map(name -> new DeleteTopicState().setName(name)
                        .setTopicId(Uuids.ZERO)).toList()))).join();

        for (DeleteTopicsResponseData response : List.of(v5, v6)) {
            assertEquals(3, response.responses().size());
            for (String name : names) {
                DeletableTopicResult refused = result(response, name);
                assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), refused.errorCode(), name);
                assertEquals("Authorization failed.", refused.errorMessage(), name);
                assertEquals(Uuids.ZERO, refused.topicId(), "no existence leak: " + name);
            }
        }
        assertTrue(fixture.topics.topic("globex.t").isPresent());
        assertTrue(fixture.topics.topic("orders").isPresent());
    }

    @Test
    void shouldRefuseDeletingAnotherApplicationsTopicById() {
        open(Map.of());
        UUID globex = fixture.topics.create("globex.t", 1, Map.of(), false).topic().id();
        UUID unknown = new UUID(3, 4);
        DeleteTopicsRequestData request = new DeleteTopicsRequestData().setTopics(new ArrayList<>(List.of(
                new DeleteTopicState().setName(null).setTopicId(globex),
                new DeleteTopicState().setName(null).setTopicId(unknown))));

        DeleteTopicsResponseData response = handler.handle(tenant(Role.ALL, 6), request).join();

        DeletableTopicResult refused = byId(response, globex);
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), refused.errorCode());
        assertEquals("Authorization failed.", refused.errorMessage());
        assertNull(refused.name(), "the name of another application's topic is not revealed");
        assertEquals(Errors.UNKNOWN_TOPIC_ID.code(), byId(response, unknown).errorCode());
        assertTrue(fixture.topics.topic(globex).isPresent());
    }

    @Test
    void shouldLetAProduceKeyDeleteItsApplicationsTopicsButNotAConsumeKey() {
        open(Map.of());
        fixture.topics.create("acme.by-name", 1, Map.of(), false);
        UUID byId = fixture.topics.create("acme.by-id", 1, Map.of(), false).topic().id();
        DeleteTopicsRequestData request = new DeleteTopicsRequestData().setTopics(new ArrayList<>(List.of(
                new DeleteTopicState().setName("acme.by-name").setTopicId(Uuids.ZERO),
                new DeleteTopicState().setName(null).setTopicId(byId))));

        DeleteTopicsResponseData consumer = handler.handle(tenant(Role.CONSUME, 6), request).join();

        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), result(consumer, "acme.by-name").errorCode());
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), byId(consumer, byId).errorCode());
        assertTrue(fixture.topics.topic("acme.by-name").isPresent());
        assertTrue(fixture.topics.topic(byId).isPresent());

        DeleteTopicsResponseData producer = handler.handle(tenant(Role.PRODUCE, 6), request).join();

        assertEquals(Errors.NONE.code(), result(producer, "acme.by-name").errorCode());
        assertEquals(Errors.NONE.code(), byId(producer, byId).errorCode());
        assertEquals("acme.by-id", byId(producer, byId).name());
        assertTrue(fixture.topics.topics().isEmpty());
    }

    private void open(Map<String, String> settings) {
        fixture = new TopicsFixture(dir, settings);
        handler = new DeleteTopicsHandler(fixture.topics, fixture.config);
    }

    private static RequestContext context(int version) {
        return TopicsFixture.context(ApiMessageType.DELETE_TOPICS, version);
    }

    /** A request of the application {@code acme}, whose topics are {@code acme.*}, through a key of {@code role}. */
    private static RequestContext tenant(Role role, int version) {
        return context(version).withPrincipal(new Principal("acme", "ci", "k1", role));
    }

    private static DeletableTopicResult result(DeleteTopicsResponseData response, String name) {
        return response.responses().stream().filter(r -> name.equals(r.name())).findFirst().orElseThrow();
    }

    private static DeletableTopicResult byId(DeleteTopicsResponseData response, UUID id) {
        return response.responses().stream().filter(r -> id.equals(r.topicId())).findFirst().orElseThrow();
    }
}
