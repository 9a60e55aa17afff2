package dev.ferry.broker.handler;

import dev.ferry.broker.group.GroupCoordinator;
import dev.ferry.broker.tenant.Permission;
import dev.ferry.broker.topic.TopicManager;
import dev.ferry.broker.topic.TopicManager.TopicInfo;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.OffsetCommitRequestData;
import dev.ferry.protocol.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import dev.ferry.protocol.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import dev.ferry.protocol.message.OffsetCommitResponseData;
import dev.ferry.protocol.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import dev.ferry.protocol.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import dev.ferry.storage.TopicPartition;
import dev.ferry.storage.offsets.OffsetCommit;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OffsetCommit: Kafka's KafkaApis topic checks followed by its coordinator's membership check and commit.
 *
 * <ul>
 *   <li>A topic that does not exist, or a partition beyond its count, is UNKNOWN_TOPIC_OR_PARTITION; at version 10,
 *       which names topics by id, an unknown id is UNKNOWN_TOPIC_ID. These win over group errors.</li>
 *   <li>The group is then checked once ({@link GroupCoordinator#validateCommit}); an error there is given to every
 *       remaining partition.</li>
 *   <li>Metadata longer than {@code offset.metadata.max.bytes} characters is
 *       OFFSET_METADATA_TOO_LARGE for that partition only.</li>
 *   <li>The other partitions are written in one store commit stamped with the current time, durable before the
 *       response. The retention time of versions 2-4 is ignored: offsets.retention.minutes applies to all.</li>
 *   <li>A journal write failure is NOT_COORDINATOR, Kafka's answer when its offsets log cannot be written.</li>
 * </ul>
 * Topics and partitions are answered in request order.
 *
 * <p>A tenant's commit for a group not its own, or with a role lacking {@link Permission#COMMIT_OFFSETS}, is
 * GROUP_AUTHORIZATION_FAILED for every partition and commits nothing; a topic not its own (or without
 * {@link Permission#READ}) is TOPIC_AUTHORIZATION_FAILED for its partitions, whether it exists or not, and the other
 * topics are committed.
 */
public final class OffsetCommitHandler implements ApiHandler<OffsetCommitRequestData> {

    private static final Logger LOG = LoggerFactory.getLogger(OffsetCommitHandler.class);
    private static final short FIRST_VERSION_WITH_TOPIC_IDS = 10;

    private final TopicManager topics;
    private final GroupCoordinator coordinator;

    public OffsetCommitHandler(TopicManager topics, GroupCoordinator coordinator) {
        this.topics = topics;
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<OffsetCommitResponseData> handle(RequestContext context,
                                                              OffsetCommitRequestData request) {
        short version = context.apiVersion();
        boolean byId = version >= FIRST_VERSION_WITH_TOPIC_IDS;
        // a group the tenant may not commit for is refused for every partition, before its topics are looked at
        Errors denied = context.authorizeGroup(request.groupId(), Permission.COMMIT_OFFSETS);
        if (denied != Errors.NONE) {
            return CompletableFuture.completedFuture(refuseAll(request, denied, byId));
        }
        Errors groupError = coordinator.validateCommit(request.groupId(), request.memberId(),
                request.groupInstanceId(), request.generationIdOrMemberEpoch(), version);
        long nowMs = coordinator.nowMs();
        List<OffsetCommit> commits = new ArrayList<>();
        List<OffsetCommitResponsePartition> committed = new ArrayList<>();
        List<OffsetCommitResponseTopic> responses = new ArrayList<>();
        for (OffsetCommitRequestTopic topic : request.topics()) {
            OffsetCommitResponseTopic topicResponse = new OffsetCommitResponseTopic();
            if (byId) {
                topicResponse.setTopicId(topic.topicId());
            } else {
                topicResponse.setName(topic.name());
            }
            Optional<TopicInfo> info = byId ? topics.topic(topic.topicId()) : topics.topic(topic.name());
            Errors topicDenied = authorizeTopic(context, topic, info, byId);
            for (OffsetCommitRequestPartition partition : topic.partitions()) {
                OffsetCommitResponsePartition partitionResponse = new OffsetCommitResponsePartition()
                        .setPartitionIndex(partition.partitionIndex());
                topicResponse.partitions().add(partitionResponse);
                Errors error = topicDenied != Errors.NONE ? topicDenied : check(info, partition, groupError, byId);
                if (error == Errors.NONE && coordinator.isMetadataTooLarge(partition.committedMetadata())) {
                    error = Errors.OFFSET_METADATA_TOO_LARGE;
                }
                partitionResponse.setErrorCode(error.code());
                if (error == Errors.NONE) {
                    commits.add(new OffsetCommit(new TopicPartition(info.get().name(), partition.partitionIndex()),
                            partition.committedOffset(), partition.committedLeaderEpoch(),
                            partition.committedMetadata(), nowMs));
                    committed.add(partitionResponse);
                }
            }
            responses.add(topicResponse);
        }
        try {
            coordinator.commit(request.groupId(), commits);
        } catch (UncheckedIOException e) {
            LOG.error("Could not store offsets of group {}", request.groupId(), e);
            committed.forEach(partition -> partition.setErrorCode(Errors.NOT_COORDINATOR.code()));
        }
        return CompletableFuture.completedFuture(new OffsetCommitResponseData().setThrottleTimeMs(0)
                .setTopics(responses));
    }

    /**
     * READ on the topic: by name whether it exists or not, so that nothing is learnt of another tenant's topics; by
     * id only once the id is known, an unknown id staying UNKNOWN_TOPIC_ID as in Kafka.
     */
    private static Errors authorizeTopic(RequestContext context, OffsetCommitRequestTopic topic,
                                         Optional<TopicInfo> info, boolean byId) {
        if (!context.isTenant()) {
            return Errors.NONE;
        }
        if (byId) {
            return info.isEmpty() ? Errors.NONE : context.authorizeTopic(info.get().name(), Permission.READ);
        }
        return context.authorizeTopic(topic.name(), Permission.READ);
    }

    /** Kafka's error response: every partition of every topic answered {@code error}. */
    private static OffsetCommitResponseData refuseAll(OffsetCommitRequestData request, Errors error, boolean byId) {
        OffsetCommitResponseData response = new OffsetCommitResponseData().setThrottleTimeMs(0);
        for (OffsetCommitRequestTopic topic : request.topics()) {
            OffsetCommitResponseTopic answered = byId ? new OffsetCommitResponseTopic().setTopicId(topic.topicId())
                    : new OffsetCommitResponseTopic().setName(topic.name());
            for (OffsetCommitRequestPartition partition : topic.partitions()) {
                answered.partitions().add(new OffsetCommitResponsePartition()
                        .setPartitionIndex(partition.partitionIndex()).setErrorCode(error.code()));
            }
            response.topics().add(answered);
        }
        return response;
    }

    private static Errors check(Optional<TopicInfo> topic, OffsetCommitRequestPartition partition, Errors groupError,
                                boolean byId) {
        if (topic.isEmpty()) {
            return byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        int index = partition.partitionIndex();
        if (index < 0 || index >= topic.get().partitions()) {
            return Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        return groupError;
    }
}
