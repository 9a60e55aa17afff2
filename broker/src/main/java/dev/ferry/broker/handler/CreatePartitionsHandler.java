package dev.ferry.broker.handler;

import dev.ferry.broker.tenant.Permission;
import dev.ferry.broker.topic.TopicManager;
import dev.ferry.broker.topic.TopicManager.Result;
import dev.ferry.broker.topic.TopicManager.TopicInfo;
import dev.ferry.config.FerryConfig;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.CreatePartitionsRequestData;
import dev.ferry.protocol.message.CreatePartitionsRequestData.CreatePartitionsAssignment;
import dev.ferry.protocol.message.CreatePartitionsRequestData.CreatePartitionsTopic;
import dev.ferry.protocol.message.CreatePartitionsResponseData;
import dev.ferry.protocol.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * CreatePartitions: raises a topic's partition count (validate-only supported). As in Kafka's controller, a count
 * that is not an increase is INVALID_PARTITIONS, a topic named twice INVALID_REQUEST, and a manual assignment must
 * name one replica list per new partition, each of them this node. A tenant grows only its application's topics,
 * with a role that may create topics (TOPIC_AUTHORIZATION_FAILED otherwise), and within its partition quota
 * (POLICY_VIOLATION).
 */
public final class CreatePartitionsHandler implements ApiHandler<CreatePartitionsRequestData> {

    private final TopicManager topics;
    private final FerryConfig config;

    public CreatePartitionsHandler(TopicManager topics, FerryConfig config) {
        this.topics = topics;
        this.config = config;
    }

    @Override
    public CompletableFuture<CreatePartitionsResponseData> handle(RequestContext context,
                                                                  CreatePartitionsRequestData request) {
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new LinkedHashSet<>();
        for (CreatePartitionsTopic topic : request.topics()) {
            if (!seen.add(topic.name())) {
                duplicates.add(topic.name());
            }
        }
        CreatePartitionsResponseData response = new CreatePartitionsResponseData();
        for (String name : duplicates) {
            response.results().add(result(name, Errors.INVALID_REQUEST, "Duplicate topic name."));
        }
        for (CreatePartitionsTopic topic : request.topics()) {
            if (!duplicates.contains(topic.name())) {
                Errors refused = context.authorizeTopic(topic.name(), Permission.CREATE_TOPICS);
                response.results().add(refused == Errors.NONE ? createPartitions(topic, request.validateOnly())
                        : result(topic.name(), refused, CreateTopicsHandler.AUTHORIZATION_FAILED));
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    private CreatePartitionsTopicResult createPartitions(CreatePartitionsTopic topic, boolean validateOnly) {
        Optional<TopicInfo> existing = topics.topic(topic.name());
        if (existing.isPresent() && topic.assignments() != null && topic.count() > existing.get().partitions()) {
            int additional = topic.count() - existing.get().partitions();
            if (topic.assignments().size() != additional) {
                return result(topic.name(), Errors.INVALID_REPLICA_ASSIGNMENT, "Attempted to add " + additional
                        + " additional partition(s), but only " + topic.assignments().size()
                        + " assignment(s) were specified.");
            }
            for (CreatePartitionsAssignment assignment : topic.assignments()) {
                String invalid = ReplicaAssignments.invalidReason(assignment.brokerIds(), config.nodeId());
                if (invalid != null) {
                    return result(topic.name(), Errors.INVALID_REPLICA_ASSIGNMENT, invalid);
                }
            }
        }
        Result result = topics.createPartitions(topic.name(), topic.count(), validateOnly);
        return result(topic.name(), result.error(), result.message());
    }

    private static CreatePartitionsTopicResult result(String name, Errors error, String message) {
        return new CreatePartitionsTopicResult().setName(name).setErrorCode(error.code())
                .setErrorMessage(error == Errors.NONE ? null : message);
    }
}
