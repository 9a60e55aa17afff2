package dev.ferry.broker.handler;

import dev.ferry.broker.tenant.Permission;
import dev.ferry.broker.topic.TopicManager;
import dev.ferry.broker.topic.TopicManager.Result;
import dev.ferry.broker.topic.TopicManager.TopicInfo;
import dev.ferry.config.FerryConfig;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.Uuids;
import dev.ferry.protocol.message.DeleteTopicsRequestData;
import dev.ferry.protocol.message.DeleteTopicsRequestData.DeleteTopicState;
import dev.ferry.protocol.message.DeleteTopicsResponseData;
import dev.ferry.protocol.message.DeleteTopicsResponseData.DeletableTopicResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * DeleteTopics by name (all versions) or by id (version 6+), removing each topic's logs and catalog entry.
 *
 * <p>Follows Kafka's controller: with {@code delete.topic.enable=false} every topic fails (INVALID_REQUEST before
 * version 3, TOPIC_DELETION_DISABLED after); a name or id given twice, a topic given both by name and id in one
 * entry, or an entry with neither, is INVALID_REQUEST; an unknown name is UNKNOWN_TOPIC_OR_PARTITION and an unknown
 * id UNKNOWN_TOPIC_ID. A tenant deletes only its application's topics, with a role that may manage them:
 * TOPIC_AUTHORIZATION_FAILED otherwise.
 */
public final class DeleteTopicsHandler implements ApiHandler<DeleteTopicsRequestData> {

    private static final short FIRST_VERSION_WITH_TOPIC_IDS = 6;
    private static final short FIRST_VERSION_WITH_DELETION_DISABLED_ERROR = 3;

    private final TopicManager topics;
    private final FerryConfig config;

    public DeleteTopicsHandler(TopicManager topics, FerryConfig config) {
        this.topics = topics;
        this.config = config;
    }

    @Override
    public CompletableFuture<DeleteTopicsResponseData> handle(RequestContext context, DeleteTopicsRequestData request) {
        List<DeleteTopicState> requested = requestedTopics(request, context.apiVersion());
        DeleteTopicsResponseData response = new DeleteTopicsResponseData();
        if (!config.deleteTopicEnable()) {
            Errors error = context.apiVersion() < FIRST_VERSION_WITH_DELETION_DISABLED_ERROR
                    ? Errors.INVALID_REQUEST : Errors.TOPIC_DELETION_DISABLED;
            for (DeleteTopicState topic : requested) {
                response.responses().add(result(topic.name(), topic.topicId(), error, "Topic deletion is disabled."));
            }
            return CompletableFuture.completedFuture(response);
        }

        Set<String> names = new LinkedHashSet<>();
        Set<String> duplicateNames = new LinkedHashSet<>();
        Set<UUID> ids = new LinkedHashSet<>();
        Set<UUID> duplicateIds = new LinkedHashSet<>();
        for (DeleteTopicState topic : requested) {
            boolean hasId = topic.topicId() != null && !Uuids.ZERO.equals(topic.topicId());
            if (topic.name() == null && !hasId) {
                response.responses().add(result(null, Uuids.ZERO, Errors.INVALID_REQUEST,
                        "Neither topic name nor id were specified."));
            } else if (topic.name() != null && hasId) {
                response.responses().add(result(topic.name(), topic.topicId(), Errors.INVALID_REQUEST,
                        "You may not specify both topic name and topic id."));
            } else if (hasId) {
                if (duplicateIds.contains(topic.topicId()) || !ids.add(topic.topicId())) {
                    duplicateIds.add(topic.topicId());
                    ids.remove(topic.topicId());
                }
            } else if (duplicateNames.contains(topic.name()) || !names.add(topic.name())) {
                duplicateNames.add(topic.name());
                names.remove(topic.name());
            }
        }
        for (String name : duplicateNames) {
            response.responses().add(result(name, Uuids.ZERO, Errors.INVALID_REQUEST, "Duplicate topic name."));
        }
        for (UUID id : duplicateIds) {
            response.responses().add(result(null, id, Errors.INVALID_REQUEST, "Duplicate topic id."));
        }

        Map<UUID, String> toDelete = new LinkedHashMap<>();
        for (UUID id : ids) {
            Optional<TopicInfo> topic = topics.topic(id);
            Errors refused = topic.isEmpty() ? Errors.NONE
                    : context.authorizeTopic(topic.get().name(), Permission.MANAGE_TOPICS);
            if (topic.isEmpty()) {
                response.responses().add(result(null, id, Errors.UNKNOWN_TOPIC_ID, null));
            } else if (refused != Errors.NONE) {
                response.responses().add(result(null, id, refused, CreateTopicsHandler.AUTHORIZATION_FAILED));
            } else {
                toDelete.put(id, topic.get().name());
            }
        }
        Map<String, UUID> byName = new HashMap<>();
        for (String name : names) {
            Errors refused = context.authorizeTopic(name, Permission.MANAGE_TOPICS);
            Optional<TopicInfo> topic = topics.topic(name);
            if (refused != Errors.NONE) {
                // whether or not it exists: a tenant learns nothing of another application's topics
                response.responses().add(result(name, Uuids.ZERO, refused, CreateTopicsHandler.AUTHORIZATION_FAILED));
            } else if (topic.isEmpty()) {
                response.responses().add(result(name, Uuids.ZERO, Errors.UNKNOWN_TOPIC_OR_PARTITION, null));
            } else if (toDelete.containsKey(topic.get().id())) {
                toDelete.remove(topic.get().id());
                response.responses().add(result(name, topic.get().id(), Errors.INVALID_REQUEST,
                        "The provided topic name maps to an ID that was already supplied."));
            } else {
                byName.put(name, topic.get().id());
                toDelete.put(topic.get().id(), name);
            }
        }
        for (Map.Entry<UUID, String> entry : toDelete.entrySet()) {
            Result deleted = topics.delete(entry.getValue());
            Errors error = deleted.error();
            if (error == Errors.UNKNOWN_TOPIC_OR_PARTITION && !byName.containsKey(entry.getValue())) {
                // deleted by another request meanwhile; it was asked for by id
                error = Errors.UNKNOWN_TOPIC_ID;
            }
            response.responses().add(result(entry.getValue(), entry.getKey(), error, deleted.message()));
        }
        return CompletableFuture.completedFuture(response);
    }

    /** The topics of the request, from the names list before version 6 and the topics list from it on. */
    private static List<DeleteTopicState> requestedTopics(DeleteTopicsRequestData request, short version) {
        if (version >= FIRST_VERSION_WITH_TOPIC_IDS) {
            return request.topics();
        }
        List<DeleteTopicState> topics = new ArrayList<>(request.topicNames().size());
        for (String name : request.topicNames()) {
            topics.add(new DeleteTopicState().setName(name).setTopicId(Uuids.ZERO));
        }
        return topics;
    }

    private static DeletableTopicResult result(String name, UUID id, Errors error, String message) {
        return new DeletableTopicResult().setName(name).setTopicId(id == null ? Uuids.ZERO : id)
                .setErrorCode(error.code()).setErrorMessage(error == Errors.NONE ? null : message);
    }
}
