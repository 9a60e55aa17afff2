package dev.ferry.client;

import dev.ferry.client.ClusterMetadata.TopicInfo;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.ListOffsetsRequestData;
import dev.ferry.protocol.message.ListOffsetsRequestData.ListOffsetsPartition;
import dev.ferry.protocol.message.ListOffsetsRequestData.ListOffsetsTopic;
import dev.ferry.protocol.message.ListOffsetsResponseData;
import dev.ferry.protocol.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import dev.ferry.protocol.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * ListOffsets: the earliest or latest offset of partitions, asked of each partition's leader, with retries while
 * leaders move, for up to the request timeout. Stateless apart from the cluster it asks; thread-safe.
 */
final class PartitionOffsets {

    /** The ListOffsets timestamp that asks for the offset the next record will get (the log end). */
    static final long LATEST = -1L;
    /** The ListOffsets timestamp that asks for the oldest offset still stored. */
    static final long EARLIEST = -2L;

    private static final int CONSUMER_REPLICA_ID = -1;
    private static final short FIRST_VERSION_WITH_TIMEOUT = 10;

    private PartitionOffsets() {
    }

    /**
     * The offset at {@code timestamp} ({@link #LATEST} or {@link #EARLIEST}) of every partition.
     *
     * @throws KafkaErrorException    when the broker refuses for a reason retrying cannot fix
     * @throws ClientTimeoutException when some partition has no answer within the request timeout
     */
    static Map<TopicPartition, Long> list(KafkaCluster cluster, Set<TopicPartition> partitions, long timestamp) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        Set<TopicPartition> remaining = new HashSet<>(partitions);
        long deadline = System.nanoTime() + cluster.settings().requestTimeout().toNanos();
        Errors lastError = Errors.NONE;
        while (!remaining.isEmpty()) {
            TreeSet<String> topics = new TreeSet<>();
            remaining.forEach(p -> topics.add(p.topic()));
            ClusterMetadata metadata = cluster.metadata(topics, false);
            Map<Integer, List<TopicPartition>> byLeader = new LinkedHashMap<>();
            for (TopicPartition partition : remaining) {
                TopicInfo topic = metadata.topic(partition.topic());
                if (topic != null && (topic.error() == Errors.TOPIC_AUTHORIZATION_FAILED
                        || topic.error() == Errors.UNKNOWN_TOPIC_OR_PARTITION)) {
                    throw new KafkaErrorException(topic.error(), ErrorMessages.forTopic(topic.error(),
                            partition.topic()));
                }
                int leader = topic == null ? Node.NO_NODE : topic.leader(partition.partition());
                if (leader != Node.NO_NODE) {
                    byLeader.computeIfAbsent(leader, l -> new ArrayList<>()).add(partition);
                }
            }
            for (Map.Entry<Integer, List<TopicPartition>> entry : byLeader.entrySet()) {
                try {
                    lastError = ask(cluster, entry.getKey(), entry.getValue(), timestamp, offsets, remaining);
                } catch (ConnectionFailedException e) {
                    lastError = Errors.NETWORK_EXCEPTION;
                }
            }
            if (!remaining.isEmpty()) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new ClientTimeoutException("no offsets for " + new TreeSet<>(remaining) + " within "
                            + cluster.settings().requestTimeout().toMillis() + " ms (" + lastError.name() + ")");
                }
                Pause.sleep(cluster.settings().retryBackoff());
            }
        }
        return offsets;
    }

    private static Errors ask(KafkaCluster cluster, int nodeId, List<TopicPartition> partitions, long timestamp,
                              Map<TopicPartition, Long> offsets, Set<TopicPartition> remaining) {
        Map<String, ListOffsetsTopic> topics = new LinkedHashMap<>();
        for (TopicPartition partition : partitions) {
            topics.computeIfAbsent(partition.topic(), t -> new ListOffsetsTopic().setName(t)).partitions()
                    .add(new ListOffsetsPartition().setPartitionIndex(partition.partition()).setTimestamp(timestamp));
        }
        int timeoutMs = (int) cluster.settings().requestTimeout().toMillis();
        KafkaConnection connection = cluster.connection(nodeId);
        ListOffsetsResponseData response = connection.send(ApiMessageType.LIST_OFFSETS, version -> {
            ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(CONSUMER_REPLICA_ID)
                    .setTopics(new ArrayList<>(topics.values()));
            if (version >= FIRST_VERSION_WITH_TIMEOUT) {
                request.setTimeoutMs(timeoutMs);
            }
            return request;
        });
        Errors lastError = Errors.NONE;
        for (ListOffsetsTopicResponse topic : response.topics()) {
            for (ListOffsetsPartitionResponse answer : topic.partitions()) {
                TopicPartition partition = new TopicPartition(topic.name(), answer.partitionIndex());
                Errors error = Errors.forCode(answer.errorCode());
                if (error == Errors.NONE) {
                    offsets.put(partition, answer.offset());
                    remaining.remove(partition);
                } else if (!error.retriable() && error != Errors.LEADER_NOT_AVAILABLE) {
                    throw new KafkaErrorException(error, "cannot list the offsets of " + partition + ": "
                            + ErrorMessages.describe(error));
                } else {
                    lastError = error;
                }
            }
        }
        return lastError;
    }
}
