package dev.ferry.broker.handler;

import dev.ferry.broker.network.AdvertisedListeners.Endpoint;
import dev.ferry.broker.tenant.Permission;
import dev.ferry.broker.topic.TopicManager;
import dev.ferry.broker.topic.TopicManager.Lookup;
import dev.ferry.broker.topic.TopicManager.TopicInfo;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.Uuids;
import dev.ferry.protocol.message.MetadataRequestData;
import dev.ferry.protocol.message.MetadataRequestData.MetadataRequestTopic;
import dev.ferry.protocol.message.MetadataResponseData;
import dev.ferry.protocol.message.MetadataResponseData.MetadataResponseBroker;
import dev.ferry.protocol.message.MetadataResponseData.MetadataResponsePartition;
import dev.ferry.protocol.message.MetadataResponseData.MetadataResponseTopic;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metadata: this broker as the only node and the controller, and the requested topics with this node as leader and
 * only replica of every partition.
 *
 * <p>As in Kafka: a null topic list (or an empty one at version 0) means every topic; requested names that do not
 * exist are auto-created when both {@code auto.create.topics.enable} and the request allow it, else answered with
 * UNKNOWN_TOPIC_OR_PARTITION, or INVALID_TOPIC_EXCEPTION for an illegal name; topic ids (version 12+) that do not
 * exist get UNKNOWN_TOPIC_ID. A tenant sees only its application's topics: every topic means all of those, and a
 * topic of anyone else, named or by id, is TOPIC_AUTHORIZATION_FAILED and never auto-created. One difference: an
 * auto-created topic is reported complete at once (Kafka answers LEADER_NOT_AVAILABLE until its controller has
 * propagated the new topic), since creation here is synchronous.
 */
public final class MetadataHandler implements ApiHandler<MetadataRequestData> {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataHandler.class);
    private static final short FIRST_VERSION_WITH_TOPIC_ID_REQUESTS = 12;
    private static final short FIRST_VERSION_WITH_TOPIC_OPERATIONS = 8;
    private static final short LAST_VERSION_WITH_CLUSTER_OPERATIONS = 10;
    private static final short FIRST_VERSION_WITH_LISTENER_NOT_FOUND = 6;
    private static final int LEADER_EPOCH = 0;

    private final TopicManager topics;
    private final LocalBroker broker;

    public MetadataHandler(TopicManager topics, LocalBroker broker) {
        this.topics = topics;
        this.broker = broker;
    }

    @Override
    public CompletableFuture<MetadataResponseData> handle(RequestContext context, MetadataRequestData request) {
        short version = context.apiVersion();
        String invalid = invalidTopicReference(request, version);
        if (invalid != null) {
            LOG.info("Invalid Metadata request from {}: {}", context.remoteAddress(), invalid);
            return CompletableFuture.completedFuture(errorResponse(request, Errors.INVALID_REQUEST));
        }
        Optional<Endpoint> endpoint = broker.endpoint(context.listenerName());
        MetadataResponseData response = new MetadataResponseData()
                .setClusterId(broker.clusterId())
                .setControllerId(broker.nodeId());
        endpoint.ifPresent(e -> response.brokers().add(new MetadataResponseBroker()
                .setNodeId(broker.nodeId()).setHost(e.host()).setPort(e.port()).setRack(null)));
        Errors partitionError = endpoint.isPresent() ? Errors.NONE
                : version >= FIRST_VERSION_WITH_LISTENER_NOT_FOUND ? Errors.LISTENER_NOT_FOUND
                : Errors.LEADER_NOT_AVAILABLE;

        boolean allTopics = request.topics() == null || (version == 0 && request.topics().isEmpty());
        int operations = version >= FIRST_VERSION_WITH_TOPIC_OPERATIONS && request.includeTopicAuthorizedOperations()
                ? AuthorizedOperations.topic(context) : AuthorizedOperations.NOT_REQUESTED;
        for (TopicResult result : topicResults(context, request, allTopics, version)) {
            response.topics().add(result.topic() == null ? result.error()
                    : describe(result.topic(), partitionError, operations));
        }
        if (version >= FIRST_VERSION_WITH_TOPIC_OPERATIONS && version <= LAST_VERSION_WITH_CLUSTER_OPERATIONS
                && request.includeClusterAuthorizedOperations()) {
            response.setClusterAuthorizedOperations(AuthorizedOperations.cluster(context));
        }
        return CompletableFuture.completedFuture(response);
    }

    /** A topic found (with {@code topic}) or not (with the {@code error} entry to answer). */
    private record TopicResult(TopicInfo topic, MetadataResponseTopic error) {
    }

    private List<TopicResult> topicResults(RequestContext context, MetadataRequestData request, boolean allTopics,
                                           short version) {
        List<TopicResult> results = new ArrayList<>();
        if (allTopics) {
            List<TopicInfo> all = new ArrayList<>(topics.topics());
            all.removeIf(info -> !context.canSee(info.name()));
            all.sort(Comparator.comparing(TopicInfo::name));
            for (TopicInfo info : all) {
                results.add(new TopicResult(info, null));
            }
            return results;
        }
        boolean byId = version >= FIRST_VERSION_WITH_TOPIC_ID_REQUESTS && request.topics().stream()
                .anyMatch(t -> t.topicId() != null && !Uuids.ZERO.equals(t.topicId()));
        if (byId) {
            // as in Kafka, a request naming any topic by id is answered by id only
            Set<UUID> ids = new LinkedHashSet<>();
            for (MetadataRequestTopic topic : request.topics()) {
                if (topic.topicId() != null && !Uuids.ZERO.equals(topic.topicId())) {
                    ids.add(topic.topicId());
                }
            }
            for (UUID id : ids) {
                Optional<TopicInfo> info = topics.topic(id);
                Errors error = info.isEmpty() ? Errors.UNKNOWN_TOPIC_ID
                        : context.authorizeTopic(info.get().name(), Permission.DESCRIBE);
                results.add(error == Errors.NONE ? new TopicResult(info.get(), null)
                        : new TopicResult(null, new MetadataResponseTopic()
                                .setErrorCode(error.code()).setName(null).setTopicId(id)));
            }
            return results;
        }
        Set<String> names = new LinkedHashSet<>();
        for (MetadataRequestTopic topic : request.topics()) {
            names.add(topic.name());
        }
        boolean mayCreate = request.allowAutoTopicCreation() && context.permits(Permission.CREATE_TOPICS);
        for (String name : names) {
            // a tenant asking for another application's topic learns nothing of it, and creates nothing
            Errors refused = context.authorizeTopic(name, Permission.DESCRIBE);
            Lookup lookup = refused == Errors.NONE ? topics.lookupOrCreate(name, mayCreate) : new Lookup(refused, null);
            results.add(lookup.error() == Errors.NONE ? new TopicResult(lookup.topic(), null)
                    : new TopicResult(null, new MetadataResponseTopic().setErrorCode(lookup.error().code())
                            .setName(name).setTopicId(Uuids.ZERO)));
        }
        return results;
    }

    private MetadataResponseTopic describe(TopicInfo info, Errors partitionError, int operations) {
        MetadataResponseTopic topic = new MetadataResponseTopic().setErrorCode(Errors.NONE.code())
                .setName(info.name()).setTopicId(info.id()).setIsInternal(false)
                .setPartitions(new ArrayList<>(info.partitions())).setTopicAuthorizedOperations(operations);
        int leader = partitionError == Errors.NONE ? broker.nodeId() : -1;
        for (int p = 0; p < info.partitions(); p++) {
            topic.partitions().add(new MetadataResponsePartition()
                    .setErrorCode(partitionError.code())
                    .setPartitionIndex(p)
                    .setLeaderId(leader)
                    .setLeaderEpoch(LEADER_EPOCH)
                    .setReplicaNodes(List.of(broker.nodeId()))
                    .setIsrNodes(List.of(broker.nodeId()))
                    .setOfflineReplicas(List.of()));
        }
        return topic;
    }

    /** Kafka refuses null names before version 10 and topic ids before version 12 as an invalid request. */
    private static String invalidTopicReference(MetadataRequestData request, short version) {
        if (request.topics() == null) {
            return null;
        }
        for (MetadataRequestTopic topic : request.topics()) {
            if (topic.name() == null && version < FIRST_VERSION_WITH_TOPIC_ID_REQUESTS) {
                return "Topic name can not be null for version " + version;
            }
            if (topic.topicId() != null && !Uuids.ZERO.equals(topic.topicId())
                    && version < FIRST_VERSION_WITH_TOPIC_ID_REQUESTS) {
                return "Topic IDs are not supported in requests for version " + version;
            }
        }
        return null;
    }

    /** Kafka's error answer to a whole Metadata request: every requested topic with the error. */
    private static MetadataResponseData errorResponse(MetadataRequestData request, Errors error) {
        MetadataResponseData response = new MetadataResponseData();
        for (MetadataRequestTopic topic : request.topics()) {
            response.topics().add(new MetadataResponseTopic().setErrorCode(error.code())
                    .setName(topic.name() == null ? "" : topic.name())
                    .setTopicId(topic.topicId() == null ? Uuids.ZERO : topic.topicId()));
        }
        return response;
    }
}
