package dev.ferry.client;

import dev.ferry.client.ClusterMetadata.TopicInfo;
import dev.ferry.protocol.Errors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The metadata of the topics a producer or consumer works with: fetched when a topic is first used, and fetched
 * again once someone reports it stale (a broker said it no longer leads a partition, a connection broke).
 *
 * <p><b>Thread-safe.</b>
 */
final class TopicMetadataCache {

    private final KafkaCluster cluster;
    private final boolean allowAutoCreate;
    private final Duration topicWait;
    private final Map<String, TopicInfo> topics = new ConcurrentHashMap<>();
    private volatile boolean stale;

    /**
     * @param allowAutoCreate whether first use asks the broker to create a missing topic, as Kafka's clients do
     * @param topicWait       how long first use waits for a topic's partitions to have leaders
     */
    TopicMetadataCache(KafkaCluster cluster, boolean allowAutoCreate, Duration topicWait) {
        this.cluster = cluster;
        this.allowAutoCreate = allowAutoCreate;
        this.topicWait = topicWait;
    }

    /**
     * The topic's metadata, fetched and waited for on first use.
     *
     * @throws KafkaErrorException when the topic does not exist or may not be used
     */
    TopicInfo topic(String name) {
        TopicInfo known = topics.get(name);
        if (known != null) {
            return known;
        }
        ClusterMetadata metadata = cluster.awaitTopics(List.of(name), allowAutoCreate, topicWait);
        TopicInfo topic = metadata.topic(name);
        topics.put(name, topic);
        return topic;
    }

    /** The topic's metadata if it was fetched, else null. */
    TopicInfo cached(String name) {
        return topics.get(name);
    }

    /** Every topic fetched so far. */
    Map<String, TopicInfo> all() {
        return Map.copyOf(topics);
    }

    /** Asks for a refresh before the next use of {@link #refreshIfStale()}. */
    void markStale() {
        stale = true;
    }

    /**
     * Fetches the known topics again if they were marked stale. Topics the broker reports in error keep their last
     * good metadata, so that their requests fail with the broker's error rather than here.
     */
    void refreshIfStale() {
        if (!stale || topics.isEmpty()) {
            return;
        }
        stale = false;
        ClusterMetadata metadata;
        try {
            metadata = cluster.metadata(new ArrayList<>(topics.keySet()), false);
        } catch (ConnectionFailedException e) {
            stale = true;
            throw e;
        }
        for (TopicInfo topic : metadata.topics().values()) {
            if (topic.error() == Errors.NONE && topics.containsKey(topic.name())) {
                topics.put(topic.name(), topic);
            }
        }
    }
}
