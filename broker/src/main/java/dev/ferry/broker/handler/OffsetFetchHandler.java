package dev.ferry.broker.handler;

import dev.ferry.broker.group.GroupCoordinator;
import dev.ferry.broker.tenant.Permission;
import dev.ferry.broker.topic.TopicManager;
import dev.ferry.broker.topic.TopicManager.TopicInfo;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.OffsetFetchRequestData;
import dev.ferry.protocol.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import dev.ferry.protocol.message.OffsetFetchRequestData.OffsetFetchRequestTopic;
import dev.ferry.protocol.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import dev.ferry.protocol.message.OffsetFetchResponseData;
import dev.ferry.protocol.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import dev.ferry.protocol.message.OffsetFetchResponseData.OffsetFetchResponsePartition;
import dev.ferry.protocol.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import dev.ferry.protocol.message.OffsetFetchResponseData.OffsetFetchResponseTopic;
import dev.ferry.protocol.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import dev.ferry.storage.TopicPartition;
import dev.ferry.storage.offsets.CommittedOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * OffsetFetch: what groups have committed, as Kafka's coordinator answers for classic groups. Versions 1-7 ask for
 * one group, version 8+ for several, answered in request order.
 *
 * <ul>
 *   <li>A partition without a commit, of a known group or not, is answered with offset -1, leader epoch -1, empty
 *       metadata and no error; so is a topic name that does not exist. At version 10, which names topics by id, an
 *       unknown id is UNKNOWN_TOPIC_ID.</li>
 *   <li>Null topics asks for every committed partition of the group, sorted by topic and partition; at version 10
 *       topics that no longer exist are left out, having no id to be named by.</li>
 *   <li>require_stable changes nothing: without transactions no commit is ever pending. Member id and epoch
 *       (version 9+) are checked for consumer groups (KIP-848) only, as Kafka does.</li>
 *   <li>An empty group id is accepted, as Kafka accepts it for compatibility; it has no offsets.</li>
 *   <li>A tenant asking for a group not its own gets GROUP_AUTHORIZATION_FAILED for that group (at the top level
 *       before version 8, on each partition asked for before version 2); a topic not its own, named or given by an
 *       existing id, is TOPIC_AUTHORIZATION_FAILED with offset -1; null topics leaves other tenants' topics out.</li>
 * </ul>
 */
public final class OffsetFetchHandler implements ApiHandler<OffsetFetchRequestData> {

    private static final short FIRST_MULTI_GROUP_VERSION = 8;
    private static final short FIRST_VERSION_WITH_TOPIC_IDS = 10;
    private static final short FIRST_VERSION_WITH_LEADER_EPOCH = 5;
    private static final short FIRST_VERSION_WITH_TOP_LEVEL_ERROR = 2;
    private static final long NO_OFFSET = -1;
    private static final int NO_LEADER_EPOCH = -1;
    private static final String NO_METADATA = "";

    private final TopicManager topics;
    private final GroupCoordinator coordinator;

    public OffsetFetchHandler(TopicManager topics, GroupCoordinator coordinator) {
        this.topics = topics;
        this.coordinator = coordinator;
    }

    /** One answered partition, whatever the response shape. */
    private record Answer(int partition, long offset, int leaderEpoch, String metadata, Errors error) {
    }

    /** One answered topic: its name (null when asked by an unknown id), its id, and its partitions. */
    private record TopicAnswer(String name, UUID id, List<Answer> partitions) {
    }

    @Override
    public CompletableFuture<OffsetFetchResponseData> handle(RequestContext context, OffsetFetchRequestData request) {
        short version = context.apiVersion();
        OffsetFetchResponseData response = new OffsetFetchResponseData().setThrottleTimeMs(0);
        if (version >= FIRST_MULTI_GROUP_VERSION) {
            boolean byId = version >= FIRST_VERSION_WITH_TOPIC_IDS;
            for (OffsetFetchRequestGroup group : request.groups()) {
                Errors denied = context.authorizeGroup(group.groupId(), Permission.DESCRIBE);
                if (denied != Errors.NONE) {
                    response.groups().add(new OffsetFetchResponseGroup().setGroupId(group.groupId())
                            .setErrorCode(denied.code()));
                    continue;
                }
                List<TopicAnswer> answers = group.topics() == null
                        ? allOffsets(context, group.groupId(), byId)
                        : requestedOffsets(context, group.groupId(), group.topics(), byId);
                Errors memberError = coordinator.validateFetch(group.groupId(), group.memberId(),
                        group.memberEpoch());
                if (memberError != Errors.NONE) {
                    response.groups().add(new OffsetFetchResponseGroup().setGroupId(group.groupId())
                            .setErrorCode(memberError.code()));
                    continue;
                }
                response.groups().add(new OffsetFetchResponseGroup().setGroupId(group.groupId())
                        .setErrorCode(Errors.NONE.code()).setTopics(multiGroupTopics(answers, byId)));
            }
            return CompletableFuture.completedFuture(response);
        }
        Errors denied = context.authorizeGroup(request.groupId(), Permission.DESCRIBE);
        if (denied != Errors.NONE) {
            return CompletableFuture.completedFuture(refusedGroup(request, denied, version));
        }
        List<TopicAnswer> answers;
        if (request.topics() == null) {
            answers = allOffsets(context, request.groupId(), false);
        } else {
            answers = new ArrayList<>();
            for (OffsetFetchRequestTopic topic : request.topics()) {
                answers.add(authorizedByName(context, request.groupId(), topic.name(), topic.partitionIndexes()));
            }
        }
        response.setErrorCode(Errors.NONE.code()).setTopics(singleGroupTopics(answers, version));
        return CompletableFuture.completedFuture(response);
    }

    /**
     * The single-group answer to a group the tenant may not describe: the error at the top level from version 2, and
     * before, having no such field, on every partition asked for, as Kafka answers.
     */
    private static OffsetFetchResponseData refusedGroup(OffsetFetchRequestData request, Errors error, short version) {
        OffsetFetchResponseData response = new OffsetFetchResponseData().setThrottleTimeMs(0)
                .setErrorCode(error.code());
        if (version < FIRST_VERSION_WITH_TOP_LEVEL_ERROR && request.topics() != null) {
            List<TopicAnswer> answers = new ArrayList<>();
            for (OffsetFetchRequestTopic topic : request.topics()) {
                answers.add(refused(topic.name(), null, topic.partitionIndexes(), error));
            }
            response.setTopics(singleGroupTopics(answers, version));
        }
        return response;
    }

    private List<TopicAnswer> requestedOffsets(RequestContext context, String groupId,
                                               List<OffsetFetchRequestTopics> requested, boolean byId) {
        List<TopicAnswer> answers = new ArrayList<>();
        for (OffsetFetchRequestTopics topic : requested) {
            if (!byId) {
                answers.add(authorizedByName(context, groupId, topic.name(), topic.partitionIndexes()));
                continue;
            }
            Optional<TopicInfo> info = topics.topic(topic.topicId());
            if (info.isPresent()) {
                TopicAnswer named = authorizedByName(context, groupId, info.get().name(), topic.partitionIndexes());
                answers.add(new TopicAnswer(named.name(), topic.topicId(), named.partitions()));
            } else {
                List<Answer> unknown = new ArrayList<>();
                for (int partition : topic.partitionIndexes()) {
                    unknown.add(noOffset(partition, Errors.UNKNOWN_TOPIC_ID));
                }
                answers.add(new TopicAnswer(null, topic.topicId(), unknown));
            }
        }
        return answers;
    }

    /** The offsets of a topic named (or resolved from its id), or TOPIC_AUTHORIZATION_FAILED when not the tenant's. */
    private TopicAnswer authorizedByName(RequestContext context, String groupId, String topic,
                                        List<Integer> partitions) {
        Errors denied = context.authorizeTopic(topic, Permission.DESCRIBE);
        if (denied != Errors.NONE) {
            return refused(topic, null, partitions, denied);
        }
        return byName(groupId, topic, partitions);
    }

    private static TopicAnswer refused(String topic, UUID id, List<Integer> partitions, Errors error) {
        List<Answer> answers = new ArrayList<>(partitions.size());
        for (int partition : partitions) {
            answers.add(noOffset(partition, error));
        }
        return new TopicAnswer(topic, id, answers);
    }

    private TopicAnswer byName(String groupId, String topic, List<Integer> partitions) {
        List<Answer> answers = new ArrayList<>();
        for (int partition : partitions) {
            answers.add(coordinator.offset(groupId, new TopicPartition(topic, partition))
                    .map(offset -> committed(partition, offset))
                    .orElseGet(() -> noOffset(partition, Errors.NONE)));
        }
        return new TopicAnswer(topic, null, answers);
    }

    /** Every committed offset of the group, of the topics the request may see. */
    private List<TopicAnswer> allOffsets(RequestContext context, String groupId, boolean byId) {
        Map<String, Map<Integer, CommittedOffset>> sorted = new TreeMap<>();
        coordinator.offsets(groupId).forEach((tp, offset) -> {
            if (context.canSee(tp.topic())) {
                sorted.computeIfAbsent(tp.topic(), topic -> new TreeMap<>()).put(tp.partition(), offset);
            }
        });
        List<TopicAnswer> answers = new ArrayList<>();
        sorted.forEach((topic, offsets) -> {
            UUID id = null;
            if (byId) {
                Optional<TopicInfo> info = topics.topic(topic);
                if (info.isEmpty()) {
                    return;
                }
                id = info.get().id();
            }
            List<Answer> partitions = new ArrayList<>();
            offsets.forEach((partition, offset) -> partitions.add(committed(partition, offset)));
            answers.add(new TopicAnswer(topic, id, partitions));
        });
        return answers;
    }

    private static List<OffsetFetchResponseTopics> multiGroupTopics(List<TopicAnswer> answers, boolean byId) {
        List<OffsetFetchResponseTopics> result = new ArrayList<>();
        for (TopicAnswer answer : answers) {
            OffsetFetchResponseTopics topic = new OffsetFetchResponseTopics();
            if (byId) {
                topic.setTopicId(answer.id());
            } else {
                topic.setName(answer.name());
            }
            for (Answer partition : answer.partitions()) {
                topic.partitions().add(new OffsetFetchResponsePartitions().setPartitionIndex(partition.partition())
                        .setCommittedOffset(partition.offset()).setCommittedLeaderEpoch(partition.leaderEpoch())
                        .setMetadata(partition.metadata()).setErrorCode(partition.error().code()));
            }
            result.add(topic);
        }
        return result;
    }

    private static List<OffsetFetchResponseTopic> singleGroupTopics(List<TopicAnswer> answers, short version) {
        List<OffsetFetchResponseTopic> result = new ArrayList<>();
        for (TopicAnswer answer : answers) {
            OffsetFetchResponseTopic topic = new OffsetFetchResponseTopic().setName(answer.name());
            for (Answer partition : answer.partitions()) {
                OffsetFetchResponsePartition response = new OffsetFetchResponsePartition()
                        .setPartitionIndex(partition.partition()).setCommittedOffset(partition.offset())
                        .setMetadata(partition.metadata()).setErrorCode(partition.error().code());
                // the field exists from version 5
                if (version >= FIRST_VERSION_WITH_LEADER_EPOCH) {
                    response.setCommittedLeaderEpoch(partition.leaderEpoch());
                }
                topic.partitions().add(response);
            }
            result.add(topic);
        }
        return result;
    }

    private static Answer committed(int partition, CommittedOffset offset) {
        return new Answer(partition, offset.offset(), offset.leaderEpoch(), offset.metadata(), Errors.NONE);
    }

    private static Answer noOffset(int partition, Errors error) {
        return new Answer(partition, NO_OFFSET, NO_LEADER_EPOCH, NO_METADATA, error);
    }
}
