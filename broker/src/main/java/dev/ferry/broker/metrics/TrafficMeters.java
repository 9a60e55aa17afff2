package dev.ferry.broker.metrics;

import dev.ferry.broker.network.FetchSliceRecords;
import dev.ferry.protocol.ByteBufRecords;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.Records;
import dev.ferry.protocol.message.FetchResponseData;
import dev.ferry.protocol.message.FetchResponseData.FetchableTopicResponse;
import dev.ferry.protocol.message.FetchResponseData.PartitionData;
import dev.ferry.protocol.message.ProduceRequestData;
import dev.ferry.protocol.message.ProduceRequestData.PartitionProduceData;
import dev.ferry.protocol.message.ProduceRequestData.TopicProduceData;
import dev.ferry.protocol.message.ProduceResponseData;
import dev.ferry.protocol.message.ProduceResponseData.PartitionProduceResponse;
import dev.ferry.protocol.message.ProduceResponseData.TopicProduceResponse;
import dev.ferry.storage.FetchSlice;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bytes and records in (appended by Produce) and out (sent by Fetch), by application and topic, read off the
 * exchanged messages: the request's batches of every partition the response acknowledged, and the records of every
 * partition a Fetch response carries. Like Kafka, a Produce retry acknowledged as a duplicate counts again: its bytes
 * did come in.
 *
 * <p>Each application and topic's data points are created the first time they are needed and kept in maps keyed by
 * application, then topic name or topic id, so recording allocates nothing, even for requests naming topics by id.
 * With topic labels off every topic counts under {@link BrokerMetrics#ALL_TOPICS}.
 *
 * <p><b>Thread-safety:</b> safe from any thread.
 */
final class TrafficMeters {

    private static final Logger LOG = LoggerFactory.getLogger(TrafficMeters.class);
    private static final short FIRST_PRODUCE_VERSION_WITH_TOPIC_IDS = 13;

    private final boolean topicLabels;
    private final Function<UUID, String> topicNameById;
    private final Counter bytesIn;
    private final Counter recordsIn;
    private final Counter bytesOut;
    private final Counter recordsOut;
    private final ConcurrentMap<String, ApplicationTraffic> byApplication = new ConcurrentHashMap<>();

    TrafficMeters(boolean topicLabels, Function<UUID, String> topicNameById, Counter bytesIn, Counter recordsIn,
                  Counter bytesOut, Counter recordsOut) {
        this.topicLabels = topicLabels;
        this.topicNameById = topicNameById;
        this.bytesIn = bytesIn;
        this.recordsIn = recordsIn;
        this.bytesOut = bytesOut;
        this.recordsOut = recordsOut;
    }

    /**
     * Counts the partitions of {@code request} that {@code response} acknowledged. The handler answers topics and
     * partitions in request order; an answer that does not line up with its request is not counted.
     *
     * @param response the response, or null when none is sent (acks 0), which means every partition was appended
     */
    void produced(ProduceRequestData request, ProduceResponseData response, short version, String application) {
        List<TopicProduceData> topics = request.topicData();
        for (int t = 0; t < topics.size(); t++) {
            TopicProduceData topic = topics.get(t);
            List<PartitionProduceResponse> answers = null;
            if (response != null) {
                List<TopicProduceResponse> answered = response.responses();
                if (t >= answered.size()) {
                    return;
                }
                answers = answered.get(t).partitionResponses();
            }
            TopicTraffic traffic = null;
            List<PartitionProduceData> partitions = topic.partitionData();
            for (int p = 0; p < partitions.size(); p++) {
                PartitionProduceData partition = partitions.get(p);
                if (answers != null && (p >= answers.size() || answers.get(p).index() != partition.index()
                        || answers.get(p).errorCode() != Errors.NONE.code())) {
                    continue;
                }
                if (!(partition.records() instanceof ByteBufRecords records)) {
                    continue;
                }
                if (traffic == null) {
                    traffic = topic(application, version >= FIRST_PRODUCE_VERSION_WITH_TOPIC_IDS
                            ? null : topic.name(), topic.topicId());
                    if (traffic == null) {
                        break;
                    }
                }
                traffic.bytesIn.inc(records.sizeInBytes());
                traffic.recordsIn.inc(RecordCounts.inBuffer(records.buffer()));
            }
        }
    }

    /**
     * Counts the records of every partition of {@code response} answered without error. Reads one batch header per
     * batch from disk for the record counts; call off the event loop, before the response's slices are sent. The
     * fetch handler names every topic, those asked for by id (version 13+) included; a topic without a name is looked
     * up by id.
     */
    void fetched(FetchResponseData response, String application) {
        List<FetchableTopicResponse> topics = response.responses();
        for (int t = 0; t < topics.size(); t++) {
            FetchableTopicResponse topic = topics.get(t);
            TopicTraffic traffic = null;
            List<PartitionData> partitions = topic.partitions();
            for (int p = 0; p < partitions.size(); p++) {
                PartitionData partition = partitions.get(p);
                Records records = partition.records();
                if (partition.errorCode() != Errors.NONE.code() || records == null || records.sizeInBytes() == 0) {
                    continue;
                }
                if (traffic == null) {
                    String name = topic.topic();
                    traffic = topic(application, name == null || name.isEmpty() ? null : name, topic.topicId());
                    if (traffic == null) {
                        break;
                    }
                }
                traffic.bytesOut.inc(records.sizeInBytes());
                traffic.recordsOut.inc(recordCount(records));
            }
        }
    }

    /** The topics with meters, of any application; those that no longer exist are for {@link #retire}. */
    List<String> meteredTopics() {
        List<String> topics = new ArrayList<>();
        for (ApplicationTraffic ofApplication : byApplication.values()) {
            topics.addAll(ofApplication.byName.keySet());
        }
        return topics;
    }

    /** Drops the meters and series of {@code topics}, for every application: they have been deleted. */
    void retire(Collection<String> topics) {
        for (Map.Entry<String, ApplicationTraffic> entry : byApplication.entrySet()) {
            String application = entry.getKey();
            ApplicationTraffic ofApplication = entry.getValue();
            for (String topic : topics) {
                if (topic.equals(BrokerMetrics.ALL_TOPICS) || ofApplication.byName.remove(topic) == null) {
                    continue;
                }
                ofApplication.byId.values().removeIf(traffic -> traffic.topic().equals(topic));
                for (Counter counter : List.of(bytesIn, recordsIn, bytesOut, recordsOut)) {
                    counter.remove(application, topic);
                }
            }
        }
    }

    /**
     * The meters of a topic, named or, when {@code name} is null, given by id; null for an id no topic has (any
     * more).
     */
    private TopicTraffic topic(String application, String name, UUID id) {
        ApplicationTraffic ofApplication = byApplication.get(application);
        if (ofApplication == null) {
            ofApplication = byApplication.computeIfAbsent(application, key -> new ApplicationTraffic());
        }
        if (!topicLabels) {
            return named(application, ofApplication, BrokerMetrics.ALL_TOPICS);
        }
        if (name != null) {
            return named(application, ofApplication, name);
        }
        TopicTraffic traffic = ofApplication.byId.get(id);
        if (traffic == null) {
            String resolved = topicNameById.apply(id);
            if (resolved == null) {
                return null;
            }
            traffic = named(application, ofApplication, resolved);
            ofApplication.byId.put(id, traffic);
        }
        return traffic;
    }

    private TopicTraffic named(String application, ApplicationTraffic ofApplication, String topic) {
        TopicTraffic traffic = ofApplication.byName.get(topic);
        if (traffic == null) {
            traffic = ofApplication.byName.computeIfAbsent(topic, key -> new TopicTraffic(key,
                    bytesIn.labelValues(application, key), recordsIn.labelValues(application, key),
                    bytesOut.labelValues(application, key), recordsOut.labelValues(application, key)));
        }
        return traffic;
    }

    private static long recordCount(Records records) {
        if (records instanceof ByteBufRecords buffer) {
            return RecordCounts.inBuffer(buffer.buffer());
        }
        if (records instanceof FetchSliceRecords sliceRecords) {
            FetchSlice slice = sliceRecords.slice();
            if (slice == null) {
                return 0;
            }
            try {
                return RecordCounts.inSlice(slice);
            } catch (IOException e) {
                // the send will meet the same failure and report it; the bytes are counted all the same
                LOG.debug("Could not count the records of a fetched slice", e);
            }
        }
        return 0;
    }

    /** The meters of one application's topic. */
    private record TopicTraffic(String topic, CounterDataPoint bytesIn, CounterDataPoint recordsIn,
                                CounterDataPoint bytesOut, CounterDataPoint recordsOut) {
    }

    /** One application's topic meters, by topic name and by the ids requests have named topics by. */
    private static final class ApplicationTraffic {
        final ConcurrentMap<String, TopicTraffic> byName = new ConcurrentHashMap<>();
        final ConcurrentMap<UUID, TopicTraffic> byId = new ConcurrentHashMap<>();
    }
}
