package dev.ferry.broker.handler;

import dev.ferry.broker.tenant.Permission;
import dev.ferry.broker.topic.TopicManager;
import dev.ferry.broker.topic.TopicManager.Result;
import dev.ferry.broker.topic.TopicNames;
import dev.ferry.config.ConfigEntry;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.TopicConfigs;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.CreateTopicsRequestData;
import dev.ferry.protocol.message.CreateTopicsRequestData.CreatableReplicaAssignment;
import dev.ferry.protocol.message.CreateTopicsRequestData.CreatableTopic;
import dev.ferry.protocol.message.CreateTopicsRequestData.CreatableTopicConfig;
import dev.ferry.protocol.message.CreateTopicsResponseData;
import dev.ferry.protocol.message.CreateTopicsResponseData.CreatableTopicConfigs;
import dev.ferry.protocol.message.CreateTopicsResponseData.CreatableTopicResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * CreateTopics, with the checks and messages of Kafka's controller, in its order: duplicate names, authorization (a
 * tenant creates only its application's topics, with a role that may create them), name, existence,
 * config values, then either the manual assignment (each replica list must be this node) or the partition count and
 * replication factor (-1 means the broker default; only 1 is possible on one node). From version 5 a created topic is
 * answered with its partition count, replication factor and effective configs.
 */
public final class CreateTopicsHandler implements ApiHandler<CreateTopicsRequestData> {

    private static final short FIRST_VERSION_WITH_CONFIGS = 5;
    private static final int AVAILABLE_BROKERS = 1;

    private final TopicManager topics;
    /** Kafka's message with an authorization error. */
    static final String AUTHORIZATION_FAILED = "Authorization failed.";

    private final FerryConfig config;

    public CreateTopicsHandler(TopicManager topics, FerryConfig config) {
        this.topics = topics;
        this.config = config;
    }

    @Override
    public CompletableFuture<CreateTopicsResponseData> handle(RequestContext context, CreateTopicsRequestData request) {
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new LinkedHashSet<>();
        for (CreatableTopic topic : request.topics()) {
            if (!seen.add(topic.name())) {
                duplicates.add(topic.name());
            }
        }
        CreateTopicsResponseData response = new CreateTopicsResponseData();
        for (CreatableTopic topic : request.topics()) {
            if (!duplicates.contains(topic.name())) {
                Errors refused = context.authorizeTopic(topic.name(), Permission.CREATE_TOPICS);
                response.topics().add(refused == Errors.NONE
                        ? create(topic, request.validateOnly(), context.apiVersion())
                        : failed(topic.name(), refused, AUTHORIZATION_FAILED));
            }
        }
        for (String name : duplicates) {
            response.topics().add(failed(name, Errors.INVALID_REQUEST, "Duplicate topic name."));
        }
        return CompletableFuture.completedFuture(response);
    }

    private CreatableTopicResult create(CreatableTopic topic, boolean validateOnly, short version) {
        String name = topic.name();
        String invalidName = TopicNames.invalidReason(name);
        if (invalidName != null) {
            return failed(name, Errors.INVALID_TOPIC_EXCEPTION, invalidName);
        }
        if (topics.topic(name).isPresent()) {
            return failed(name, Errors.TOPIC_ALREADY_EXISTS, "Topic '" + name + "' already exists.");
        }
        Map<String, String> configs = new LinkedHashMap<>();
        List<String> nullConfigs = new ArrayList<>();
        for (CreatableTopicConfig entry : topic.configs()) {
            if (entry.value() == null) {
                nullConfigs.add(entry.name());
            } else {
                configs.put(entry.name(), entry.value());
            }
        }
        if (!nullConfigs.isEmpty()) {
            return failed(name, Errors.INVALID_CONFIG,
                    "Null value not supported for topic configs: " + String.join(",", nullConfigs));
        }
        int partitions;
        if (!topic.assignments().isEmpty()) {
            CreatableTopicResult invalid = checkAssignments(topic);
            if (invalid != null) {
                return invalid;
            }
            partitions = topic.assignments().size();
        } else {
            if (topic.replicationFactor() < -1 || topic.replicationFactor() == 0) {
                return failed(name, Errors.INVALID_REPLICATION_FACTOR,
                        "Replication factor must be larger than 0, or -1 to use the default value.");
            }
            if (topic.numPartitions() < -1 || topic.numPartitions() == 0) {
                return failed(name, Errors.INVALID_PARTITIONS,
                        "Number of partitions was set to an invalid non-positive value.");
            }
            int replicationFactor = topic.replicationFactor() == -1
                    ? config.defaultReplicationFactor() : topic.replicationFactor();
            if (replicationFactor > AVAILABLE_BROKERS) {
                return failed(name, Errors.INVALID_REPLICATION_FACTOR, "Unable to replicate the partition "
                        + replicationFactor + " time(s): The target replication factor of " + replicationFactor
                        + " cannot be reached because only " + AVAILABLE_BROKERS + " broker(s) are registered.");
            }
            partitions = topic.numPartitions() == -1 ? config.numPartitions() : topic.numPartitions();
        }
        Result result = topics.create(name, partitions, configs, validateOnly);
        if (!result.isOk()) {
            return failed(name, result.error(), result.message());
        }
        CreatableTopicResult created = new CreatableTopicResult().setName(name).setTopicId(result.topic().id())
                .setErrorCode(Errors.NONE.code()).setErrorMessage(null);
        if (version >= FIRST_VERSION_WITH_CONFIGS) {
            created.setNumPartitions(result.topic().partitions())
                    .setReplicationFactor((short) AVAILABLE_BROKERS)
                    .setTopicConfigErrorCode(Errors.NONE.code())
                    .setConfigs(effectiveConfigs(result.topic().configs()));
        }
        return created;
    }

    /** Kafka's checks of a manual assignment, on a cluster whose only broker is this one. */
    private CreatableTopicResult checkAssignments(CreatableTopic topic) {
        String name = topic.name();
        if (topic.replicationFactor() != -1) {
            return failed(name, Errors.INVALID_REQUEST,
                    "A manual partition assignment was specified, but replication factor was not set to -1.");
        }
        if (topic.numPartitions() != -1) {
            return failed(name, Errors.INVALID_REQUEST,
                    "A manual partition assignment was specified, but numPartitions was not set to -1.");
        }
        Map<Integer, List<Integer>> byPartition = new HashMap<>();
        for (CreatableReplicaAssignment assignment : topic.assignments()) {
            if (byPartition.putIfAbsent(assignment.partitionIndex(), assignment.brokerIds()) != null) {
                return failed(name, Errors.INVALID_REPLICA_ASSIGNMENT,
                        "Found multiple manual partition assignments for partition " + assignment.partitionIndex());
            }
            String invalid = ReplicaAssignments.invalidReason(assignment.brokerIds(), config.nodeId());
            if (invalid != null) {
                return failed(name, Errors.INVALID_REPLICA_ASSIGNMENT, invalid);
            }
        }
        for (int p = 0; p < byPartition.size(); p++) {
            if (!byPartition.containsKey(p)) {
                return failed(name, Errors.INVALID_REPLICA_ASSIGNMENT,
                        "partitions should be a consecutive 0-based integer sequence");
            }
        }
        return null;
    }

    private List<CreatableTopicConfigs> effectiveConfigs(Map<String, String> overrides) {
        List<ConfigEntry> entries = new ArrayList<>(TopicConfigs.describe(config, overrides));
        entries.sort(Comparator.comparing(ConfigEntry::name));
        List<CreatableTopicConfigs> configs = new ArrayList<>(entries.size());
        for (ConfigEntry entry : entries) {
            configs.add(new CreatableTopicConfigs().setName(entry.name())
                    .setValue(entry.sensitive() ? null : entry.value())
                    .setReadOnly(entry.readOnly())
                    .setConfigSource(ConfigSources.kafkaId(entry.source()))
                    .setIsSensitive(entry.sensitive()));
        }
        return configs;
    }

    private static CreatableTopicResult failed(String name, Errors error, String message) {
        return new CreatableTopicResult().setName(name).setErrorCode(error.code()).setErrorMessage(message);
    }
}
