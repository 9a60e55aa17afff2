package dev.ferry.broker.handler;

import dev.ferry.broker.group.GroupCoordinator;
import dev.ferry.broker.group.GroupCoordinator.OffsetDeletion;
import dev.ferry.broker.tenant.Permission;
import dev.ferry.broker.topic.TopicManager;
import dev.ferry.broker.topic.TopicManager.TopicInfo;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.OffsetDeleteRequestData;
import dev.ferry.protocol.message.OffsetDeleteRequestData.OffsetDeleteRequestPartition;
import dev.ferry.protocol.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import dev.ferry.protocol.message.OffsetDeleteResponseData;
import dev.ferry.protocol.message.OffsetDeleteResponseData.OffsetDeleteResponsePartition;
import dev.ferry.protocol.message.OffsetDeleteResponseData.OffsetDeleteResponseTopic;
import dev.ferry.storage.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * OffsetDelete: removes a group's committed offsets of some partitions. A partition of a topic that does not exist
 * is UNKNOWN_TOPIC_OR_PARTITION; one of a topic the group's members subscribe to is GROUP_SUBSCRIBED_TO_TOPIC. A
 * group-level error (GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP, INVALID_GROUP_ID) is answered alone, without topics.
 *
 * <p>A tenant's request for a group not its own, or with a role lacking {@link Permission#MANAGE_GROUPS}, is
 * GROUP_AUTHORIZATION_FAILED alone; a topic not its own (or without {@link Permission#READ}) is
 * TOPIC_AUTHORIZATION_FAILED for its partitions, whose offsets stay.
 */
public final class OffsetDeleteHandler implements ApiHandler<OffsetDeleteRequestData> {

    private final TopicManager topics;
    private final GroupCoordinator coordinator;

    public OffsetDeleteHandler(TopicManager topics, GroupCoordinator coordinator) {
        this.topics = topics;
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<OffsetDeleteResponseData> handle(RequestContext context, OffsetDeleteRequestData request) {
        Errors denied = context.authorizeGroup(request.groupId(), Permission.MANAGE_GROUPS);
        if (denied != Errors.NONE) {
            return CompletableFuture.completedFuture(new OffsetDeleteResponseData().setThrottleTimeMs(0)
                    .setErrorCode(denied.code()));
        }
        List<TopicPartition> known = new ArrayList<>();
        for (OffsetDeleteRequestTopic topic : request.topics()) {
            if (context.authorizeTopic(topic.name(), Permission.READ) != Errors.NONE) {
                continue;
            }
            Optional<TopicInfo> info = topics.topic(topic.name());
            for (OffsetDeleteRequestPartition partition : topic.partitions()) {
                if (exists(info, partition.partitionIndex())) {
                    known.add(new TopicPartition(topic.name(), partition.partitionIndex()));
                }
            }
        }
        OffsetDeletion deletion = coordinator.deleteOffsets(request.groupId(), known);
        OffsetDeleteResponseData response = new OffsetDeleteResponseData().setThrottleTimeMs(0)
                .setErrorCode(deletion.groupError().code());
        if (deletion.groupError() != Errors.NONE) {
            return CompletableFuture.completedFuture(response);
        }
        for (OffsetDeleteRequestTopic topic : request.topics()) {
            OffsetDeleteResponseTopic answered = new OffsetDeleteResponseTopic().setName(topic.name());
            Errors topicDenied = context.authorizeTopic(topic.name(), Permission.READ);
            for (OffsetDeleteRequestPartition partition : topic.partitions()) {
                TopicPartition asked = new TopicPartition(topic.name(), partition.partitionIndex());
                Errors error = topicDenied != Errors.NONE ? topicDenied
                        : deletion.partitionErrors().getOrDefault(asked, Errors.UNKNOWN_TOPIC_OR_PARTITION);
                answered.partitions().add(new OffsetDeleteResponsePartition()
                        .setPartitionIndex(partition.partitionIndex()).setErrorCode(error.code()));
            }
            response.topics().add(answered);
        }
        return CompletableFuture.completedFuture(response);
    }

    private static boolean exists(Optional<TopicInfo> topic, int partition) {
        return topic.isPresent() && partition >= 0 && partition < topic.get().partitions();
    }
}
