package dev.ferry.broker.metrics;

import dev.ferry.broker.group.GroupCoordinator;
import dev.ferry.broker.topic.TopicManager;
import dev.ferry.broker.topic.TopicManager.TopicInfo;
import dev.ferry.protocol.message.ListGroupsResponseData.ListedGroup;
import dev.ferry.storage.Log;
import dev.ferry.storage.LogManager;
import io.prometheus.metrics.core.metrics.GaugeWithCallback.Callback;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gauges computed from the broker's state when scraped: partitions, bytes stored per topic, and the lag of each
 * consumer group. Reading the stored bytes also retires the traffic series of topics deleted since the last scrape.
 *
 * <p>A scrape that meets the broker stopping (a log closed under it) reports what it could read rather than failing.
 *
 * <p><b>Thread-safety:</b> safe from any thread; called on the metrics endpoint's threads.
 */
final class StateGauges {

    private static final Logger LOG = LoggerFactory.getLogger(StateGauges.class);
    private static final List<String> ANY = List.of();

    private final TopicManager topics;
    private final LogManager logs;
    private final GroupCoordinator groups;
    private final boolean topicLabels;
    private final TrafficMeters traffic;

    StateGauges(TopicManager topics, LogManager logs, GroupCoordinator groups, boolean topicLabels,
                TrafficMeters traffic) {
        this.topics = topics;
        this.logs = logs;
        this.groups = groups;
        this.topicLabels = topicLabels;
        this.traffic = traffic;
    }

    void partitions(Callback callback) {
        long partitions = 0;
        for (TopicInfo topic : topics.topics()) {
            partitions += topic.partitions();
        }
        callback.call(partitions);
    }

    /** Bytes of every topic's logs; every existing topic is reported, with 0 before its first append. */
    void logSizes(Callback callback) {
        // the meters listed before the topics: a topic created in between is not taken for a deleted one
        List<String> metered = traffic.meteredTopics();
        Collection<TopicInfo> current = topics.topics();
        Map<String, Long> bytes = new HashMap<>();
        for (TopicInfo topic : current) {
            bytes.put(topic.name(), 0L);
        }
        for (Log log : logs.logs()) {
            String topic = log.topicPartition().topic();
            if (bytes.containsKey(topic)) {
                try {
                    bytes.merge(topic, log.sizeInBytes(), Long::sum);
                } catch (RuntimeException e) {
                    // deleted or closed while we looked
                    LOG.debug("Could not read the size of {}", log.topicPartition(), e);
                }
            }
        }
        List<String> deleted = new ArrayList<>();
        for (String topic : metered) {
            if (!bytes.containsKey(topic)) {
                deleted.add(topic);
            }
        }
        traffic.retire(deleted);
        if (topicLabels) {
            bytes.forEach((topic, size) -> callback.call(size, topic));
        } else {
            callback.call(bytes.values().stream().mapToLong(Long::longValue).sum(), BrokerMetrics.ALL_TOPICS);
        }
    }

    /** Each group's lag over the partitions it has committed offsets for. */
    void groupLags(Callback callback) {
        for (ListedGroup group : groups.listGroups(ANY, ANY)) {
            long lag = 0;
            try {
                for (long partitionLag : groups.lag(group.groupId()).values()) {
                    lag += partitionLag;
                }
            } catch (RuntimeException e) {
                LOG.debug("Could not compute the lag of group {}", group.groupId(), e);
                continue;
            }
            callback.call(lag, group.groupId());
        }
    }
}
