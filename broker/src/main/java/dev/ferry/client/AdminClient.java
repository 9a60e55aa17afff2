package dev.ferry.client;

import dev.ferry.client.ClusterMetadata.TopicInfo;
import dev.ferry.protocol.ConsumerProtocol;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.ProtocolException;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.ConsumerGroupDescribeRequestData;
import dev.ferry.protocol.message.ConsumerGroupDescribeResponseData;
import dev.ferry.protocol.message.ConsumerGroupDescribeResponseData.TopicPartitions;
import dev.ferry.protocol.message.ConsumerProtocolAssignmentData;
import dev.ferry.protocol.message.CreateTopicsRequestData;
import dev.ferry.protocol.message.CreateTopicsRequestData.CreatableTopic;
import dev.ferry.protocol.message.CreateTopicsRequestData.CreatableTopicConfig;
import dev.ferry.protocol.message.CreateTopicsResponseData;
import dev.ferry.protocol.message.CreateTopicsResponseData.CreatableTopicResult;
import dev.ferry.protocol.message.DeleteTopicsRequestData;
import dev.ferry.protocol.message.DeleteTopicsRequestData.DeleteTopicState;
import dev.ferry.protocol.message.DeleteTopicsResponseData;
import dev.ferry.protocol.message.DeleteTopicsResponseData.DeletableTopicResult;
import dev.ferry.protocol.message.DescribeGroupsRequestData;
import dev.ferry.protocol.message.DescribeGroupsResponseData;
import dev.ferry.protocol.message.DescribeGroupsResponseData.DescribedGroup;
import dev.ferry.protocol.message.DescribeGroupsResponseData.DescribedGroupMember;
import dev.ferry.protocol.message.ListGroupsRequestData;
import dev.ferry.protocol.message.ListGroupsResponseData;
import dev.ferry.protocol.message.ListGroupsResponseData.ListedGroup;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Administrative calls: topics (list, describe, create, delete) and groups (list, describe, committed offsets), plus
 * the partitions' end offsets that lag is measured against. Each call retries retriable errors (a coordinator that
 * moved or is loading, a controller that changed) for up to the request timeout.
 *
 * <p><b>Thread-safe</b> as its {@link KafkaCluster} is; calls block.
 */
public final class AdminClient {

    private static final short FIRST_DELETE_TOPICS_VERSION_WITH_STATES = 6;
    private static final short FIRST_DESCRIBE_GROUPS_VERSION_WITH_NOT_FOUND = 6;
    private static final String DEAD = "Dead";

    private final KafkaCluster cluster;

    public AdminClient(KafkaCluster cluster) {
        this.cluster = cluster;
    }

    /** Every topic, sorted by name. */
    public List<TopicInfo> listTopics() {
        List<TopicInfo> topics = new ArrayList<>();
        for (TopicInfo topic : cluster.metadata(null, false).topics().values()) {
            if (topic.error() == Errors.NONE) {
                topics.add(topic);
            }
        }
        topics.sort(Comparator.comparing(TopicInfo::name));
        return topics;
    }

    /**
     * The named topics, in the order given.
     *
     * @throws KafkaErrorException when one does not exist or may not be described
     */
    public List<TopicInfo> describeTopics(List<String> names) {
        ClusterMetadata metadata = cluster.metadata(names, false);
        List<TopicInfo> topics = new ArrayList<>();
        for (String name : names) {
            TopicInfo topic = metadata.topic(name);
            Errors error = topic == null ? Errors.UNKNOWN_TOPIC_OR_PARTITION : topic.error();
            if (error != Errors.NONE) {
                throw new KafkaErrorException(error, ErrorMessages.forTopic(error, name));
            }
            topics.add(topic);
        }
        return topics;
    }

    /**
     * Creates a topic.
     *
     * @return the new topic's id, or {@link dev.ferry.protocol.Uuids#ZERO} when the broker does not report it
     * @throws KafkaErrorException when the broker refuses (it exists, invalid name or settings, not authorized)
     */
    public UUID createTopic(NewTopic topic) {
        int timeoutMs = (int) cluster.settings().requestTimeout().toMillis();
        CreatableTopicResult result = retrying(() -> {
            KafkaConnection connection = controllerConnection();
            List<CreatableTopicConfig> configs = new ArrayList<>();
            new TreeMap<>(topic.configs()).forEach((name, value) ->
                    configs.add(new CreatableTopicConfig().setName(name).setValue(value)));
            CreateTopicsResponseData response = connection.send(ApiMessageType.CREATE_TOPICS,
                    version -> new CreateTopicsRequestData().setTimeoutMs(timeoutMs).setTopics(List.of(
                            new CreatableTopic().setName(topic.name()).setNumPartitions(topic.partitions())
                                    .setReplicationFactor(topic.replicationFactor()).setConfigs(configs))));
            for (CreatableTopicResult candidate : response.topics()) {
                if (topic.name().equals(candidate.name())) {
                    return candidate;
                }
            }
            throw new KafkaClientException("the broker did not answer for topic '" + topic.name() + "'");
        }, CreatableTopicResult::errorCode);
        Errors error = Errors.forCode(result.errorCode());
        if (error != Errors.NONE) {
            throw new KafkaErrorException(error, withBrokerMessage(error, ErrorMessages.forTopic(error, topic.name()),
                    result.errorMessage()));
        }
        return result.topicId();
    }

    /**
     * Deletes a topic.
     *
     * @throws KafkaErrorException when it does not exist or the broker refuses
     */
    public void deleteTopic(String name) {
        int timeoutMs = (int) cluster.settings().requestTimeout().toMillis();
        DeletableTopicResult result = retrying(() -> {
            KafkaConnection connection = controllerConnection();
            DeleteTopicsResponseData response = connection.send(ApiMessageType.DELETE_TOPICS, version -> {
                DeleteTopicsRequestData request = new DeleteTopicsRequestData().setTimeoutMs(timeoutMs);
                if (version >= FIRST_DELETE_TOPICS_VERSION_WITH_STATES) {
                    return request.setTopics(List.of(new DeleteTopicState().setName(name)));
                }
                return request.setTopicNames(List.of(name));
            });
            for (DeletableTopicResult candidate : response.responses()) {
                if (name.equals(candidate.name())) {
                    return candidate;
                }
            }
            throw new KafkaClientException("the broker did not answer for topic '" + name + "'");
        }, DeletableTopicResult::errorCode);
        Errors error = Errors.forCode(result.errorCode());
        if (error != Errors.NONE) {
            throw new KafkaErrorException(error, withBrokerMessage(error, ErrorMessages.forTopic(error, name),
                    result.errorMessage()));
        }
    }

    /** Every group of every broker, sorted by id. */
    public List<GroupListing> listGroups() {
        cluster.metadata(List.of(), false);
        Map<String, GroupListing> groups = new TreeMap<>();
        for (Node node : cluster.nodes().values()) {
            ListGroupsResponseData response = retrying(() -> cluster.connection(node.id())
                    .send(ApiMessageType.LIST_GROUPS, version -> new ListGroupsRequestData()),
                    ListGroupsResponseData::errorCode);
            Errors error = Errors.forCode(response.errorCode());
            if (error != Errors.NONE) {
                throw new KafkaErrorException(error, "cannot list groups: " + ErrorMessages.describe(error));
            }
            for (ListedGroup group : response.groups()) {
                groups.put(group.groupId(), new GroupListing(group.groupId(), nullToEmpty(group.protocolType()),
                        nullToEmpty(group.groupState()), nullToEmpty(group.groupType())));
            }
        }
        return new ArrayList<>(groups.values());
    }

    /**
     * Describes a group: a classic group through DescribeGroups, a KIP-848 consumer group through
     * ConsumerGroupDescribe.
     *
     * @throws KafkaErrorException when the group does not exist or may not be described
     */
    public GroupDescription describeGroup(String groupId) {
        DescribedGroup classic = retrying(() -> {
            KafkaConnection connection = coordinatorConnection(groupId);
            DescribeGroupsResponseData response = connection.send(ApiMessageType.DESCRIBE_GROUPS,
                    version -> new DescribeGroupsRequestData().setGroups(List.of(groupId)));
            if (response.groups().isEmpty()) {
                throw new KafkaClientException("the broker did not describe group '" + groupId + "'");
            }
            return response.groups().get(0);
        }, DescribedGroup::errorCode);
        Errors error = Errors.forCode(classic.errorCode());
        if (error == Errors.NONE && !DEAD.equals(classic.groupState())) {
            return fromClassic(classic);
        }
        if (error != Errors.NONE && error != Errors.GROUP_ID_NOT_FOUND) {
            throw new KafkaErrorException(error, ErrorMessages.forGroup(error, groupId));
        }
        GroupDescription consumerGroup = describeConsumerGroup(groupId);
        if (consumerGroup == null) {
            throw new KafkaErrorException(Errors.GROUP_ID_NOT_FOUND,
                    ErrorMessages.forGroup(Errors.GROUP_ID_NOT_FOUND, groupId));
        }
        return consumerGroup;
    }

    private GroupDescription describeConsumerGroup(String groupId) {
        KafkaConnection probe = coordinatorConnection(groupId);
        if (!probe.versions().supports(ApiMessageType.CONSUMER_GROUP_DESCRIBE)) {
            return null;
        }
        ConsumerGroupDescribeResponseData.DescribedGroup described = retrying(() -> {
            ConsumerGroupDescribeResponseData response = coordinatorConnection(groupId).send(
                    ApiMessageType.CONSUMER_GROUP_DESCRIBE,
                    version -> new ConsumerGroupDescribeRequestData().setGroupIds(List.of(groupId)));
            if (response.groups().isEmpty()) {
                throw new KafkaClientException("the broker did not describe group '" + groupId + "'");
            }
            return response.groups().get(0);
        }, ConsumerGroupDescribeResponseData.DescribedGroup::errorCode);
        Errors error = Errors.forCode(described.errorCode());
        if (error == Errors.GROUP_ID_NOT_FOUND) {
            return null;
        }
        if (error != Errors.NONE) {
            throw new KafkaErrorException(error, ErrorMessages.forGroup(error, groupId));
        }
        List<GroupDescription.Member> members = new ArrayList<>();
        for (ConsumerGroupDescribeResponseData.Member member : described.members()) {
            Set<TopicPartition> partitions = new TreeSet<>();
            if (member.assignment() != null) {
                for (TopicPartitions topic : member.assignment().topicPartitions()) {
                    topic.partitions().forEach(p -> partitions.add(new TopicPartition(topic.topicName(), p)));
                }
            }
            members.add(new GroupDescription.Member(member.memberId(), member.instanceId(), member.clientId(),
                    member.clientHost(), List.copyOf(partitions)));
        }
        members.sort(Comparator.comparing(GroupDescription.Member::memberId));
        return new GroupDescription(groupId, "consumer", described.groupState(), "",
                nullToEmpty(described.assignorName()), members);
    }

    private static GroupDescription fromClassic(DescribedGroup group) {
        boolean consumerProtocol = ConsumerProtocol.PROTOCOL_TYPE.equals(group.protocolType());
        List<GroupDescription.Member> members = new ArrayList<>();
        for (DescribedGroupMember member : group.members()) {
            List<TopicPartition> partitions = consumerProtocol ? assignment(member.memberAssignment()) : List.of();
            members.add(new GroupDescription.Member(member.memberId(), member.groupInstanceId(), member.clientId(),
                    member.clientHost(), partitions));
        }
        members.sort(Comparator.comparing(GroupDescription.Member::memberId));
        return new GroupDescription(group.groupId(), "classic", group.groupState(), nullToEmpty(group.protocolType()),
                nullToEmpty(group.protocolData()), members);
    }

    private static List<TopicPartition> assignment(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return List.of();
        }
        try {
            Set<TopicPartition> partitions = new TreeSet<>();
            for (ConsumerProtocolAssignmentData.TopicPartition topic
                    : ConsumerProtocol.readAssignment(bytes).assignedPartitions()) {
                topic.partitions().forEach(p -> partitions.add(new TopicPartition(topic.topic(), p)));
            }
            return List.copyOf(partitions);
        } catch (ProtocolException e) {
            // a member of another client may put anything in its assignment; show it as unknown
            return List.of();
        }
    }

    /** The committed offsets of every partition {@code groupId} has committed to. */
    public Map<TopicPartition, Long> committedOffsets(String groupId) {
        Map<String, UUID> topicIds = new HashMap<>();
        for (TopicInfo topic : cluster.metadata(null, false).topics().values()) {
            topicIds.put(topic.name(), topic.id());
        }
        long deadline = System.nanoTime() + cluster.settings().requestTimeout().toNanos();
        while (true) {
            try {
                return CommittedOffsets.fetch(coordinatorConnection(groupId), groupId, null, topicIds);
            } catch (KafkaErrorException e) {
                if (!e.error().retriable() || System.nanoTime() - deadline >= 0) {
                    throw e;
                }
            }
            Pause.sleep(cluster.settings().retryBackoff());
        }
    }

    /** The log end offset (the offset the next record will get) of each partition. */
    public Map<TopicPartition, Long> endOffsets(Set<TopicPartition> partitions) {
        return PartitionOffsets.list(cluster, partitions, PartitionOffsets.LATEST);
    }

    private KafkaConnection controllerConnection() {
        ClusterMetadata metadata = cluster.metadata(List.of(), false);
        if (metadata.nodes().containsKey(metadata.controllerId())) {
            return cluster.connection(metadata.controllerId());
        }
        return cluster.anyConnection();
    }

    private KafkaConnection coordinatorConnection(String groupId) {
        return cluster.connection(cluster.findCoordinator(groupId).id());
    }

    /**
     * Runs {@code call} until its answer's error code is not retriable, or the request timeout passes. A broken
     * connection is retried once, on a new connection: once more tells a stale socket from a broker that is gone.
     */
    private <T> T retrying(Supplier<T> call, ToIntFunction<T> errorCode) {
        long deadline = System.nanoTime() + cluster.settings().requestTimeout().toNanos();
        boolean reconnected = false;
        while (true) {
            T answer;
            try {
                answer = call.get();
            } catch (ConnectionFailedException e) {
                if (reconnected) {
                    throw e;
                }
                reconnected = true;
                continue;
            }
            Errors error = Errors.forCode((short) errorCode.applyAsInt(answer));
            // a topic an admin call names and the broker does not know is missing, not yet to appear
            if (!error.retriable() || error == Errors.UNKNOWN_TOPIC_OR_PARTITION
                    || System.nanoTime() - deadline >= 0) {
                return answer;
            }
            Pause.sleep(cluster.settings().retryBackoff());
        }
    }

    /**
     * Our message, followed by the broker's where it adds detail (which setting is invalid, which policy refused);
     * for errors our message already explains, the broker's would only repeat it.
     */
    private static String withBrokerMessage(Errors error, String message, String brokerMessage) {
        boolean selfExplanatory = error == Errors.TOPIC_ALREADY_EXISTS || error == Errors.UNKNOWN_TOPIC_OR_PARTITION
                || error == Errors.TOPIC_AUTHORIZATION_FAILED || error == Errors.CLUSTER_AUTHORIZATION_FAILED;
        return selfExplanatory || brokerMessage == null || brokerMessage.isEmpty() ? message
                : message + ": " + brokerMessage;
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}
