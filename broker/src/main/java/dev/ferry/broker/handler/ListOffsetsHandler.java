package dev.ferry.broker.handler;

import dev.ferry.broker.tenant.Permission;
import dev.ferry.broker.topic.TopicManager;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ListOffsetsRequestData;
import dev.ferry.protocol.message.ListOffsetsRequestData.ListOffsetsPartition;
import dev.ferry.protocol.message.ListOffsetsRequestData.ListOffsetsTopic;
import dev.ferry.protocol.message.ListOffsetsResponseData;
import dev.ferry.protocol.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import dev.ferry.protocol.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import dev.ferry.storage.Log;
import dev.ferry.storage.TimestampOffset;
import dev.ferry.storage.TopicPartition;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ListOffsets: the offset for a timestamp, or for one of the special timestamps, per partition — Kafka's
 * ReplicaManager.fetchOffset and UnifiedLog.fetchOffsetByTimestamp on a single broker whose only leader epoch is 0.
 *
 * <ul>
 *   <li>-2 (earliest) and -4 (earliest local): the log start offset; -1 (latest): the log end offset, which is also
 *       the high watermark and the last stable offset here, so the isolation level changes nothing. No timestamp
 *       (-1) is returned for these, and leader epoch 0.</li>
 *   <li>-3 (max timestamp, version 7+): the largest timestamp and the offset of the first record carrying it, or
 *       -1/-1 for an empty log.</li>
 *   <li>-5 (latest tiered, version 9+) and -6 (earliest pending upload, version 11+): -1/-1 with leader epoch -1,
 *       Kafka's answer when tiered storage is off.</li>
 *   <li>A timestamp: the first offset whose timestamp is at or after it, or -1/-1 when there is none.</li>
 *   <li>Both timestamp lookups answer per record inside compressed batches too, as Kafka does: see
 *       {@link BatchRecordLocator}.</li>
 *   <li>A special timestamp the request's version does not know, or an unknown negative one, is UNSUPPORTED_VERSION;
 *       a partition named twice is INVALID_REQUEST (answered once); an unknown topic or partition is
 *       UNKNOWN_TOPIC_OR_PARTITION (nothing is auto-created); current_leader_epoch -1 is not checked, one above 0 is
 *       UNKNOWN_LEADER_EPOCH and any other below 0 FENCED_LEADER_EPOCH.</li>
 *   <li>A topic a tenant does not own is TOPIC_AUTHORIZATION_FAILED for each of its partitions, whether it exists or
 *       not.</li>
 * </ul>
 * Partitions are answered grouped by topic, topics in the order they first appear.
 */
public final class ListOffsetsHandler implements ApiHandler<ListOffsetsRequestData> {

    private static final Logger LOG = LoggerFactory.getLogger(ListOffsetsHandler.class);

    private static final long LATEST_TIMESTAMP = -1;
    private static final long EARLIEST_TIMESTAMP = -2;
    private static final long MAX_TIMESTAMP = -3;
    private static final long EARLIEST_LOCAL_TIMESTAMP = -4;
    private static final long LATEST_TIERED_TIMESTAMP = -5;
    private static final long EARLIEST_PENDING_UPLOAD_TIMESTAMP = -6;

    /** The first request version that may ask for each special timestamp (Kafka's timestampMinSupportedVersion). */
    private static final Map<Long, Short> FIRST_VERSION_OF_SPECIAL_TIMESTAMP = Map.of(
            LATEST_TIMESTAMP, (short) 1,
            EARLIEST_TIMESTAMP, (short) 1,
            MAX_TIMESTAMP, (short) 7,
            EARLIEST_LOCAL_TIMESTAMP, (short) 8,
            LATEST_TIERED_TIMESTAMP, (short) 9,
            EARLIEST_PENDING_UPLOAD_TIMESTAMP, (short) 11);

    private static final short FIRST_VERSION_WITH_LEADER_EPOCH = 4;
    private static final int LEADER_EPOCH = 0;
    private static final int NO_LEADER_EPOCH = -1;
    private static final long UNKNOWN = -1;

    private final TopicManager topics;
    private final BatchRecordLocator locator = new BatchRecordLocator(PooledByteBufAllocator.DEFAULT);

    public ListOffsetsHandler(TopicManager topics) {
        this.topics = topics;
    }

    @Override
    public CompletableFuture<ListOffsetsResponseData> handle(RequestContext context, ListOffsetsRequestData request) {
        short version = context.apiVersion();
        Set<TopicPartition> duplicates = duplicates(request);
        Set<TopicPartition> answeredDuplicates = new HashSet<>();
        Map<String, ListOffsetsTopicResponse> responses = new LinkedHashMap<>();
        for (ListOffsetsTopic topic : request.topics()) {
            ListOffsetsTopicResponse topicResponse = responses.computeIfAbsent(topic.name(),
                    name -> new ListOffsetsTopicResponse().setName(name));
            Errors denied = context.authorizeTopic(topic.name(), Permission.DESCRIBE);
            for (ListOffsetsPartition partition : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.name(), partition.partitionIndex());
                if (denied != Errors.NONE) {
                    topicResponse.partitions().add(noOffset(partition, denied));
                } else if (duplicates.contains(tp)) {
                    if (answeredDuplicates.add(tp)) {
                        topicResponse.partitions().add(noOffset(partition, Errors.INVALID_REQUEST));
                    }
                } else {
                    topicResponse.partitions().add(listOffset(topic.name(), partition, version));
                }
            }
        }
        return CompletableFuture.completedFuture(new ListOffsetsResponseData().setThrottleTimeMs(0)
                .setTopics(new ArrayList<>(responses.values())));
    }

    private ListOffsetsPartitionResponse listOffset(String topic, ListOffsetsPartition partition, short version) {
        long timestamp = partition.timestamp();
        if (timestamp < 0 && !supported(timestamp, version)) {
            return noOffset(partition, Errors.UNSUPPORTED_VERSION);
        }
        try {
            Optional<Log> found = topics.log(topic, partition.partitionIndex());
            if (found.isEmpty()) {
                return noOffset(partition, Errors.UNKNOWN_TOPIC_OR_PARTITION);
            }
            int currentLeaderEpoch = partition.currentLeaderEpoch();
            if (currentLeaderEpoch != NO_LEADER_EPOCH && currentLeaderEpoch != LEADER_EPOCH) {
                return noOffset(partition, currentLeaderEpoch > LEADER_EPOCH
                        ? Errors.UNKNOWN_LEADER_EPOCH : Errors.FENCED_LEADER_EPOCH);
            }
            return answer(partition, found.get(), timestamp, version);
        } catch (UncheckedIOException e) {
            LOG.error("Could not look up offsets of {}-{}", topic, partition.partitionIndex(), e);
            return noOffset(partition, Errors.KAFKA_STORAGE_ERROR);
        }
    }

    private ListOffsetsPartitionResponse answer(ListOffsetsPartition partition, Log log, long timestamp,
                                                short version) {
        if (timestamp == EARLIEST_TIMESTAMP || timestamp == EARLIEST_LOCAL_TIMESTAMP) {
            return found(partition, UNKNOWN, log.logStartOffset(), LEADER_EPOCH, version);
        }
        if (timestamp == LATEST_TIMESTAMP) {
            return found(partition, UNKNOWN, log.logEndOffset(), LEADER_EPOCH, version);
        }
        if (timestamp == LATEST_TIERED_TIMESTAMP || timestamp == EARLIEST_PENDING_UPLOAD_TIMESTAMP) {
            return found(partition, UNKNOWN, UNKNOWN, NO_LEADER_EPOCH, version);
        }
        TimestampOffset match = timestamp == MAX_TIMESTAMP
                ? locator.maxTimestamp(log)
                : locator.offsetForTimestamp(log, timestamp);
        if (match == null) {
            return noOffset(partition, Errors.NONE);
        }
        return found(partition, match.timestampMs(), match.offset(), LEADER_EPOCH, version);
    }

    private static boolean supported(long timestamp, short version) {
        Short firstVersion = FIRST_VERSION_OF_SPECIAL_TIMESTAMP.get(timestamp);
        return firstVersion != null && version >= firstVersion;
    }

    private static Set<TopicPartition> duplicates(ListOffsetsRequestData request) {
        Set<TopicPartition> seen = new HashSet<>();
        Set<TopicPartition> duplicates = new HashSet<>();
        for (ListOffsetsTopic topic : request.topics()) {
            for (ListOffsetsPartition partition : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.name(), partition.partitionIndex());
                if (!seen.add(tp)) {
                    duplicates.add(tp);
                }
            }
        }
        return duplicates;
    }

    private static ListOffsetsPartitionResponse found(ListOffsetsPartition partition, long timestamp, long offset,
                                                      int leaderEpoch, short version) {
        ListOffsetsPartitionResponse response = new ListOffsetsPartitionResponse()
                .setPartitionIndex(partition.partitionIndex())
                .setErrorCode(Errors.NONE.code())
                .setTimestamp(timestamp)
                .setOffset(offset);
        // the field exists from version 4 and may not be written with a non-default value before
        if (version >= FIRST_VERSION_WITH_LEADER_EPOCH) {
            response.setLeaderEpoch(leaderEpoch);
        }
        return response;
    }

    /** An answer without an offset: an error, or NONE when nothing matched; -1 offset, timestamp and epoch. */
    private static ListOffsetsPartitionResponse noOffset(ListOffsetsPartition partition, Errors error) {
        return new ListOffsetsPartitionResponse()
                .setPartitionIndex(partition.partitionIndex())
                .setErrorCode(error.code())
                .setTimestamp(UNKNOWN)
                .setOffset(UNKNOWN);
    }
}
