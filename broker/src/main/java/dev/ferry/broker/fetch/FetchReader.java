package dev.ferry.broker.fetch;

import dev.ferry.broker.network.FetchSliceRecords;
import dev.ferry.broker.topic.TopicManager;
import dev.ferry.broker.topic.TopicManager.TopicInfo;
import dev.ferry.protocol.ByteBufRecords;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.Uuids;
import dev.ferry.protocol.message.FetchRequestData;
import dev.ferry.protocol.message.FetchRequestData.FetchPartition;
import dev.ferry.protocol.message.FetchRequestData.FetchTopic;
import dev.ferry.protocol.message.FetchResponseData;
import dev.ferry.protocol.message.FetchResponseData.FetchableTopicResponse;
import dev.ferry.protocol.message.FetchResponseData.PartitionData;
import dev.ferry.storage.FetchSlice;
import dev.ferry.storage.Log;
import dev.ferry.storage.OffsetOutOfRangeException;
import io.netty.buffer.Unpooled;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of a Fetch request once, as Kafka's ReplicaManager does: partitions in request order, each
 * limited by its partition_max_bytes and by what is left of the response's max_bytes, the first partition with data
 * returning at least one whole batch even beyond both limits (KIP-74) so a consumer never stalls on a large batch.
 *
 * <p>Per partition: a topic id that does not exist gives UNKNOWN_TOPIC_ID (version 13+), an unknown topic name or
 * partition UNKNOWN_TOPIC_OR_PARTITION, a current_leader_epoch above this broker's (always 0) UNKNOWN_LEADER_EPOCH
 * (a negative one means "unknown" and is not checked), a fetch offset outside [log start, log end]
 * OFFSET_OUT_OF_RANGE, a log deleted while it is being read UNKNOWN_TOPIC_OR_PARTITION, and a storage failure
 * KAFKA_STORAGE_ERROR (NOT_LEADER_OR_FOLLOWER up to version 5, whose clients do not know that code), and a topic the
 * request may not read TOPIC_AUTHORIZATION_FAILED. A partition in error carries -1 offsets and empty records, like
 * Kafka's. On a single broker the high watermark and the last stable offset are both the log end offset, read after
 * the records so that they are never below the last offset returned.
 *
 * <p><b>Thread-safety:</b> stateless; safe to call from any thread.
 */
public final class FetchReader {

    private static final Logger LOG = LoggerFactory.getLogger(FetchReader.class);
    private static final short FIRST_VERSION_WITH_TOPIC_IDS = 13;
    private static final short LAST_VERSION_WITHOUT_STORAGE_ERROR = 5;
    private static final byte READ_COMMITTED = 1;
    private static final int LEADER_EPOCH = 0;
    private static final long UNKNOWN_OFFSET = -1;
    private static final int NO_PREFERRED_REPLICA = -1;

    /** The readable-topics filter of a request that may read every topic. */
    public static final Predicate<String> EVERY_TOPIC = topic -> true;

    private final TopicManager topics;

    public FetchReader(TopicManager topics) {
        this.topics = topics;
    }

    /**
     * Reads the request's partitions.
     *
     * @param maxBytes the response's byte limit, already capped by the broker's fetch.max.bytes
     * @return the response with its slices; the caller owns the result
     */
    public FetchResult read(FetchRequestData request, short version, int maxBytes) {
        return read(request, version, maxBytes, EVERY_TOPIC);
    }

    /**
     * Reads the request's partitions, answering TOPIC_AUTHORIZATION_FAILED for every partition of a topic
     * {@code readable} refuses: named (before version 13) whether it exists or not, so that nothing is learnt of a
     * topic that may not be read; given by id only when the id exists, an unknown id staying UNKNOWN_TOPIC_ID.
     *
     * @param maxBytes the response's byte limit, already capped by the broker's fetch.max.bytes
     * @param readable whether the request may read a topic, by name; asked once per topic
     * @return the response with its slices; the caller owns the result
     */
    public FetchResult read(FetchRequestData request, short version, int maxBytes, Predicate<String> readable) {
        FetchResponseData response = new FetchResponseData().setThrottleTimeMs(0).setErrorCode(Errors.NONE.code())
                .setSessionId(0);
        FetchResult result = new FetchResult(response);
        try {
            boolean readCommitted = request.isolationLevel() == READ_COMMITTED;
            for (FetchTopic topic : request.topics()) {
                response.responses().add(readTopic(topic, version, maxBytes, readCommitted, readable, result));
            }
            return result;
        } catch (RuntimeException | Error e) {
            result.close();
            throw e;
        }
    }

    private FetchableTopicResponse readTopic(FetchTopic topic, short version, int maxBytes, boolean readCommitted,
                                             Predicate<String> readable, FetchResult result) {
        String name;
        UUID id;
        Errors topicError = Errors.NONE;
        if (version >= FIRST_VERSION_WITH_TOPIC_IDS) {
            id = topic.topicId();
            Optional<TopicInfo> info = topics.topic(id);
            name = info.map(TopicInfo::name).orElse(null);
            if (info.isEmpty()) {
                topicError = Errors.UNKNOWN_TOPIC_ID;
            }
        } else {
            // versions before 13 carry no topic id in the response
            name = topic.topic();
            id = Uuids.ZERO;
        }
        if (topicError == Errors.NONE && !readable.test(name)) {
            topicError = Errors.TOPIC_AUTHORIZATION_FAILED;
        }
        FetchableTopicResponse topicResponse = new FetchableTopicResponse().setTopic(name).setTopicId(id);
        for (FetchPartition partition : topic.partitions()) {
            PartitionData data = topicError != Errors.NONE
                    ? errorPartition(partition.partition(), topicError, result)
                    : readPartition(name, partition, version, maxBytes, readCommitted, result);
            topicResponse.partitions().add(data);
        }
        return topicResponse;
    }

    private PartitionData readPartition(String topic, FetchPartition partition, short version, int maxBytes,
                                        boolean readCommitted, FetchResult result) {
        int index = partition.partition();
        Optional<Log> found;
        try {
            found = topics.log(topic, index);
        } catch (UncheckedIOException e) {
            LOG.error("Could not open the log of {}-{}", topic, index, e);
            return errorPartition(index, storageError(version), result);
        }
        if (found.isEmpty()) {
            return errorPartition(index, Errors.UNKNOWN_TOPIC_OR_PARTITION, result);
        }
        if (partition.currentLeaderEpoch() > LEADER_EPOCH) {
            return errorPartition(index, Errors.UNKNOWN_LEADER_EPOCH, result);
        }
        Log log = found.get();
        FetchSlice slice = null;
        try {
            long endOffsetBeforeRead = log.logEndOffset();
            int limit = Math.max(0, Math.min(partition.partitionMaxBytes(), maxBytes - result.bytes()));
            slice = log.read(partition.fetchOffset(), limit, result.bytes() == 0);
            long highWatermark = log.logEndOffset();
            long logStartOffset = log.logStartOffset();
            FetchSliceRecords records = new FetchSliceRecords(slice);
            result.addSlice(records);
            // the result owns the slice from here on
            slice = null;
            result.addReadLog(log, endOffsetBeforeRead);
            return new PartitionData()
                    .setPartitionIndex(index)
                    .setErrorCode(Errors.NONE.code())
                    .setHighWatermark(highWatermark)
                    .setLastStableOffset(highWatermark)
                    .setLogStartOffset(logStartOffset)
                    .setAbortedTransactions(readCommitted ? new ArrayList<>() : null)
                    .setPreferredReadReplica(NO_PREFERRED_REPLICA)
                    .setRecords(records);
        } catch (OffsetOutOfRangeException e) {
            return errorPartition(index, Errors.OFFSET_OUT_OF_RANGE, result);
        } catch (UncheckedIOException e) {
            LOG.error("Could not read {} at offset {}", log.topicPartition(), partition.fetchOffset(), e);
            return errorPartition(index, storageError(version), result);
        } catch (IllegalStateException e) {
            // the log was deleted (or the storage closed) since it was looked up: the partition is no longer here
            LOG.debug("Log of {} closed during a fetch", log.topicPartition(), e);
            return errorPartition(index, Errors.UNKNOWN_TOPIC_OR_PARTITION, result);
        } catch (RuntimeException e) {
            LOG.error("Unexpected failure reading {} at offset {}", log.topicPartition(), partition.fetchOffset(), e);
            return errorPartition(index, Errors.UNKNOWN_SERVER_ERROR, result);
        } finally {
            if (slice != null) {
                slice.close();
            }
        }
    }

    /** Kafka's answer to a disk failure, which clients up to version 5 know under another code. */
    private static Errors storageError(short version) {
        return version <= LAST_VERSION_WITHOUT_STORAGE_ERROR
                ? Errors.NOT_LEADER_OR_FOLLOWER : Errors.KAFKA_STORAGE_ERROR;
    }

    private static PartitionData errorPartition(int index, Errors error, FetchResult result) {
        result.markError();
        return new PartitionData()
                .setPartitionIndex(index)
                .setErrorCode(error.code())
                .setHighWatermark(UNKNOWN_OFFSET)
                .setLastStableOffset(UNKNOWN_OFFSET)
                .setLogStartOffset(UNKNOWN_OFFSET)
                .setAbortedTransactions(null)
                .setPreferredReadReplica(NO_PREFERRED_REPLICA)
                .setRecords(new ByteBufRecords(Unpooled.EMPTY_BUFFER));
    }
}
