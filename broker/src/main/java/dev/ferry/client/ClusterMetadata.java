package dev.ferry.client;

import dev.ferry.protocol.Errors;
import dev.ferry.protocol.Uuids;
import dev.ferry.protocol.message.MetadataResponseData;
import dev.ferry.protocol.message.MetadataResponseData.MetadataResponseBroker;
import dev.ferry.protocol.message.MetadataResponseData.MetadataResponsePartition;
import dev.ferry.protocol.message.MetadataResponseData.MetadataResponseTopic;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One Metadata answer: the brokers, the controller, and the topics asked for with their partitions and leaders.
 * Immutable.
 *
 * @param clusterId    the cluster id, or null when the broker sent none
 * @param controllerId the controller's node id, or {@link Node#NO_NODE}
 * @param nodes        the brokers by node id
 * @param topics       the topics by name, in the order of the answer
 */
public record ClusterMetadata(String clusterId, int controllerId, Map<Integer, Node> nodes,
                             Map<String, TopicInfo> topics) {

    /**
     * One topic of the answer.
     *
     * @param name       the topic name
     * @param id         the topic id, or {@link Uuids#ZERO} when the broker sent none
     * @param error      the topic's error, {@link Errors#NONE} when it exists and is described
     * @param internal   whether it is one of the broker's internal topics
     * @param partitions the partitions, by partition number
     */
    public record TopicInfo(String name, UUID id, Errors error, boolean internal, List<PartitionInfo> partitions) {

        /** Whether the broker sent a topic id. */
        public boolean hasId() {
            return !Uuids.ZERO.equals(id);
        }

        /** The number of partitions. */
        public int partitionCount() {
            return partitions.size();
        }

        /** Whether every partition has a leader. */
        public boolean allLeadersKnown() {
            return !partitions.isEmpty() && partitions.stream().allMatch(p -> p.leader() != Node.NO_NODE);
        }

        /** The leader of {@code partition}, or {@link Node#NO_NODE} when it has none or does not exist. */
        public int leader(int partition) {
            return partition >= 0 && partition < partitions.size() ? partitions.get(partition).leader()
                    : Node.NO_NODE;
        }
    }

    /**
     * One partition of a topic.
     *
     * @param partition   the partition number
     * @param leader      the leader's node id, or {@link Node#NO_NODE}
     * @param leaderEpoch the leader epoch, or -1 when unknown
     * @param replicas    the replicas' node ids
     * @param isr         the in-sync replicas' node ids
     * @param error       the partition's error
     */
    public record PartitionInfo(int partition, int leader, int leaderEpoch, List<Integer> replicas,
                                List<Integer> isr, Errors error) {
    }

    /** Reads a Metadata response. */
    public static ClusterMetadata from(MetadataResponseData response) {
        Map<Integer, Node> nodes = new LinkedHashMap<>();
        for (MetadataResponseBroker broker : response.brokers()) {
            nodes.put(broker.nodeId(), new Node(broker.nodeId(), broker.host(), broker.port()));
        }
        Map<String, TopicInfo> topics = new LinkedHashMap<>();
        for (MetadataResponseTopic topic : response.topics()) {
            List<PartitionInfo> partitions = new ArrayList<>();
            for (MetadataResponsePartition partition : topic.partitions()) {
                partitions.add(new PartitionInfo(partition.partitionIndex(), partition.leaderId(),
                        partition.leaderEpoch(), List.copyOf(partition.replicaNodes()),
                        List.copyOf(partition.isrNodes()), Errors.forCode(partition.errorCode())));
            }
            partitions.sort(Comparator.comparingInt(PartitionInfo::partition));
            String name = topic.name() == null ? "" : topic.name();
            topics.put(name, new TopicInfo(name, topic.topicId() == null ? Uuids.ZERO : topic.topicId(),
                    Errors.forCode(topic.errorCode()), topic.isInternal(), List.copyOf(partitions)));
        }
        return new ClusterMetadata(response.clusterId(), response.controllerId(), Map.copyOf(nodes),
                Collections.unmodifiableMap(topics));
    }

    /** The topic named {@code name}, or null when the answer does not mention it. */
    public TopicInfo topic(String name) {
        return topics.get(name);
    }

    /** The name of the topic with {@code id}, or null when the answer does not mention it. */
    public String topicName(UUID id) {
        for (TopicInfo topic : topics.values()) {
            if (topic.id().equals(id)) {
                return topic.name();
            }
        }
        return null;
    }
}
