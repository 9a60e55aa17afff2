package dev.ferry.client;

import dev.ferry.protocol.Errors;
import dev.ferry.protocol.Uuids;
import dev.ferry.protocol.message.ApiMessageType;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * OffsetFetch: a group's committed offsets, asked of its coordinator, at whichever version the broker speaks (one
 * group per request before version 8, a list of groups from 8, topic ids instead of names from 10).
 *
 * <p>Stateless; thread-safe.
 */
final class CommittedOffsets {

    private static final short FIRST_VERSION_WITH_GROUPS = 8;
    private static final short FIRST_VERSION_WITH_TOPIC_IDS = 10;
    private static final short FIRST_VERSION_WITH_REQUIRE_STABLE = 7;
    private static final short LAST_VERSION_WITH_TOPIC_NAMES = 9;

    private CommittedOffsets() {
    }

    /**
     * The committed offsets of {@code groupId}, once; partitions without one are absent.
     *
     * @param partitions the partitions to ask about, or null for every partition with a committed offset
     * @param topicIds   the id of each topic by name, for version 10; when a topic lacks one the request is sent at
     *                   version 9 at most
     * @throws KafkaErrorException with a retriable error (coordinator moved or loading, unstable offsets) for the
     *                             caller to retry, or with one that retrying cannot fix
     */
    static Map<TopicPartition, Long> fetch(KafkaConnection coordinator, String groupId,
                                           Collection<TopicPartition> partitions, Map<String, UUID> topicIds) {
        short version = coordinator.versions().version(ApiMessageType.OFFSET_FETCH);
        boolean idsKnown = partitions == null ? !topicIds.isEmpty()
                : partitions.stream().allMatch(p -> hasId(topicIds, p.topic()));
        if (!idsKnown) {
            version = (short) Math.min(version, LAST_VERSION_WITH_TOPIC_NAMES);
        }
        Map<String, List<Integer>> byTopic = null;
        if (partitions != null) {
            byTopic = new LinkedHashMap<>();
            for (TopicPartition partition : partitions) {
                byTopic.computeIfAbsent(partition.topic(), t -> new ArrayList<>()).add(partition.partition());
            }
        }
        Map<String, List<Integer>> wanted = byTopic;
        OffsetFetchResponseData response = coordinator.send(ApiMessageType.OFFSET_FETCH, version,
                coordinator.requestTimeout(),
                v -> request(v, groupId, wanted, topicIds));
        Map<UUID, String> names = new HashMap<>();
        topicIds.forEach((name, id) -> names.put(id, name));
        return read(response, version, groupId, id -> names.get(id));
    }

    private static boolean hasId(Map<String, UUID> topicIds, String topic) {
        UUID id = topicIds.get(topic);
        return id != null && !Uuids.ZERO.equals(id);
    }

    private static OffsetFetchRequestData request(short version, String groupId, Map<String, List<Integer>> byTopic,
                                                  Map<String, UUID> topicIds) {
        OffsetFetchRequestData request = new OffsetFetchRequestData();
        if (version >= FIRST_VERSION_WITH_REQUIRE_STABLE) {
            // as Kafka's consumer: wait out pending transactional commits rather than read past them
            request.setRequireStable(true);
        }
        if (version >= FIRST_VERSION_WITH_GROUPS) {
            OffsetFetchRequestGroup group = new OffsetFetchRequestGroup().setGroupId(groupId);
            if (byTopic == null) {
                group.setTopics(null);
            } else {
                for (Map.Entry<String, List<Integer>> entry : byTopic.entrySet()) {
                    OffsetFetchRequestTopics topic = new OffsetFetchRequestTopics()
                            .setPartitionIndexes(entry.getValue());
                    if (version >= FIRST_VERSION_WITH_TOPIC_IDS) {
                        topic.setTopicId(topicIds.get(entry.getKey()));
                    } else {
                        topic.setName(entry.getKey());
                    }
                    group.topics().add(topic);
                }
            }
            return request.setGroups(List.of(group));
        }
        request.setGroupId(groupId);
        if (byTopic == null) {
            return request.setTopics(null);
        }
        for (Map.Entry<String, List<Integer>> entry : byTopic.entrySet()) {
            request.topics().add(new OffsetFetchRequestTopic().setName(entry.getKey())
                    .setPartitionIndexes(entry.getValue()));
        }
        return request;
    }

    private static Map<TopicPartition, Long> read(OffsetFetchResponseData response, short version, String groupId,
                                                  Function<UUID, String> nameOfId) {
        Map<TopicPartition, Long> committed = new HashMap<>();
        if (version >= FIRST_VERSION_WITH_GROUPS) {
            if (response.groups().isEmpty()) {
                throw new KafkaClientException("the broker answered OffsetFetch without the group");
            }
            OffsetFetchResponseGroup group = response.groups().get(0);
            check(Errors.forCode(group.errorCode()), groupId);
            for (OffsetFetchResponseTopics topic : group.topics()) {
                String name = version >= FIRST_VERSION_WITH_TOPIC_IDS ? nameOfId.apply(topic.topicId()) : topic.name();
                if (name == null) {
                    // a topic deleted since its offsets were committed
                    continue;
                }
                for (OffsetFetchResponsePartitions partition : topic.partitions()) {
                    check(Errors.forCode(partition.errorCode()), groupId);
                    if (partition.committedOffset() >= 0) {
                        committed.put(new TopicPartition(name, partition.partitionIndex()),
                                partition.committedOffset());
                    }
                }
            }
            return committed;
        }
        check(Errors.forCode(response.errorCode()), groupId);
        for (OffsetFetchResponseTopic topic : response.topics()) {
            for (OffsetFetchResponsePartition partition : topic.partitions()) {
                check(Errors.forCode(partition.errorCode()), groupId);
                if (partition.committedOffset() >= 0) {
                    committed.put(new TopicPartition(topic.name(), partition.partitionIndex()),
                            partition.committedOffset());
                }
            }
        }
        return committed;
    }

    private static void check(Errors error, String groupId) {
        if (error == Errors.NONE || error == Errors.UNKNOWN_TOPIC_OR_PARTITION || error == Errors.GROUP_ID_NOT_FOUND) {
            // a partition or group without offsets simply has none to report
            return;
        }
        throw new KafkaErrorException(error, ErrorMessages.forGroup(error, groupId));
    }
}
