package dev.ferry.client;

import static dev.ferry.protocol.record.RecordBatchDescriptor.BATCH_LENGTH_OFFSET;
import static dev.ferry.protocol.record.RecordBatchDescriptor.LOG_OVERHEAD;
import static dev.ferry.protocol.record.RecordBatchDescriptor.MAGIC_V2;
import static dev.ferry.protocol.record.RecordBatchDescriptor.MIN_BATCH_LENGTH_FIELD;

import dev.ferry.client.ClusterMetadata.TopicInfo;
import dev.ferry.protocol.ByteBufRecords;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.Records;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.FetchRequestData;
import dev.ferry.protocol.message.FetchRequestData.FetchPartition;
import dev.ferry.protocol.message.FetchRequestData.FetchTopic;
import dev.ferry.protocol.message.FetchResponseData;
import dev.ferry.protocol.message.FetchResponseData.FetchableTopicResponse;
import dev.ferry.protocol.message.FetchResponseData.PartitionData;
import dev.ferry.protocol.record.Record;
import dev.ferry.protocol.record.RecordBatch;
import dev.ferry.protocol.record.compression.BatchRecords;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Fetch: reads records from partition leaders, starting at given positions, without fetch sessions (session id 0,
 * epoch -1: every request names all its partitions) and at isolation level read_uncommitted, as Kafka's consumer
 * does by default.
 *
 * <p>Records before a partition's position (a batch returned whole) and control batches are skipped; a partition's
 * next position is the offset after the last complete batch returned. A partial batch at the end of a response is
 * left for the next fetch. Batches are checked against their CRC, as Kafka's {@code check.crcs} does.
 *
 * <p>Not thread-safe: one consumer thread uses it.
 */
final class Fetcher {

    /** The last Fetch version that names topics; later ones carry topic ids only. */
    private static final short LAST_VERSION_WITH_TOPIC_NAMES = 12;
    private static final byte READ_UNCOMMITTED = 0;
    private static final int MIN_BYTES = 1;

    private final KafkaCluster cluster;
    private final TopicMetadataCache metadata;
    private final ConsumerSettings settings;
    private final RecordBatch batch = new RecordBatch();

    /**
     * One fetch round's outcome.
     *
     * @param records       the records, in offset order per partition
     * @param nextPositions the position after the records returned, for each partition that moved
     * @param outOfRange    the partitions whose position the leader does not hold (OFFSET_OUT_OF_RANGE)
     */
    record Round(List<ConsumerRecord> records, Map<TopicPartition, Long> nextPositions,
                 Set<TopicPartition> outOfRange) {
    }

    Fetcher(KafkaCluster cluster, TopicMetadataCache metadata, ConsumerSettings settings) {
        this.cluster = cluster;
        this.metadata = metadata;
        this.settings = settings;
    }

    /**
     * Fetches once from each leader of {@code positions}' partitions. The first leader may hold the request up to
     * {@code maxWait} for records to arrive; once records have come, the others are asked not to wait.
     *
     * @throws KafkaErrorException when a partition may not be read (not authorized) or is corrupt
     */
    Round fetch(Map<TopicPartition, Long> positions, Duration maxWait) {
        try {
            metadata.refreshIfStale();
        } catch (ConnectionFailedException e) {
            Pause.sleep(cluster.settings().retryBackoff());
            return new Round(List.of(), Map.of(), Set.of());
        }
        Map<Integer, Map<TopicPartition, Long>> byLeader = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, Long> entry : positions.entrySet()) {
            TopicInfo topic = metadata.cached(entry.getKey().topic());
            int leader = topic == null ? Node.NO_NODE : topic.leader(entry.getKey().partition());
            if (leader == Node.NO_NODE) {
                metadata.markStale();
            } else {
                byLeader.computeIfAbsent(leader, l -> new LinkedHashMap<>()).put(entry.getKey(), entry.getValue());
            }
        }
        List<ConsumerRecord> records = new ArrayList<>();
        Map<TopicPartition, Long> next = new HashMap<>();
        Set<TopicPartition> outOfRange = new HashSet<>();
        if (byLeader.isEmpty()) {
            Pause.sleep(cluster.settings().retryBackoff());
        }
        for (Map.Entry<Integer, Map<TopicPartition, Long>> entry : byLeader.entrySet()) {
            Duration wait = records.isEmpty() ? maxWait : Duration.ZERO;
            try {
                fetchFrom(entry.getKey(), entry.getValue(), wait, records, next, outOfRange);
            } catch (ConnectionFailedException | ClientTimeoutException e) {
                metadata.markStale();
                Pause.sleep(cluster.settings().retryBackoff());
            }
        }
        return new Round(records, next, outOfRange);
    }

    private void fetchFrom(int nodeId, Map<TopicPartition, Long> positions, Duration maxWait,
                           List<ConsumerRecord> records, Map<TopicPartition, Long> next,
                           Set<TopicPartition> outOfRange) {
        KafkaConnection connection = cluster.connection(nodeId);
        short version = connection.versions().version(ApiMessageType.FETCH);
        Map<String, FetchTopic> topics = new LinkedHashMap<>();
        Map<UUID, String> namesById = new HashMap<>();
        boolean allIds = true;
        for (Map.Entry<TopicPartition, Long> entry : positions.entrySet()) {
            TopicInfo topic = metadata.cached(entry.getKey().topic());
            allIds &= topic.hasId();
            namesById.put(topic.id(), topic.name());
            topics.computeIfAbsent(topic.name(), n -> new FetchTopic().setTopic(n).setTopicId(topic.id()))
                    .partitions().add(new FetchPartition().setPartition(entry.getKey().partition())
                            .setFetchOffset(entry.getValue()).setPartitionMaxBytes(settings.partitionMaxBytes()));
        }
        if (!allIds) {
            version = (short) Math.min(version, LAST_VERSION_WITH_TOPIC_NAMES);
        }
        int maxWaitMs = (int) maxWait.toMillis();
        FetchResponseData response = connection.send(ApiMessageType.FETCH, version,
                connection.requestTimeout().plus(maxWait),
                v -> new FetchRequestData().setMaxWaitMs(maxWaitMs).setMinBytes(MIN_BYTES)
                        .setMaxBytes(settings.fetchMaxBytes()).setIsolationLevel(READ_UNCOMMITTED)
                        .setTopics(new ArrayList<>(topics.values())));
        Errors topLevel = Errors.forCode(response.errorCode());
        if (topLevel != Errors.NONE) {
            if (!topLevel.retriable()) {
                throw new KafkaErrorException(topLevel, "fetch failed: " + ErrorMessages.describe(topLevel));
            }
            return;
        }
        for (FetchableTopicResponse topic : response.responses()) {
            String name = version > LAST_VERSION_WITH_TOPIC_NAMES ? namesById.get(topic.topicId()) : topic.topic();
            if (name == null) {
                continue;
            }
            for (PartitionData partition : topic.partitions()) {
                TopicPartition topicPartition = new TopicPartition(name, partition.partitionIndex());
                Long position = positions.get(topicPartition);
                if (position == null) {
                    continue;
                }
                Errors error = Errors.forCode(partition.errorCode());
                if (error == Errors.NONE) {
                    long after = read(topicPartition, partition.records(), position, records);
                    if (after > position) {
                        next.put(topicPartition, after);
                    }
                } else if (error == Errors.OFFSET_OUT_OF_RANGE) {
                    outOfRange.add(topicPartition);
                } else if (error == Errors.TOPIC_AUTHORIZATION_FAILED) {
                    throw new KafkaErrorException(error, ErrorMessages.forTopic(error, name));
                } else if (error.retriable() || error == Errors.UNKNOWN_TOPIC_ID
                        || error == Errors.INCONSISTENT_TOPIC_ID || error == Errors.FENCED_LEADER_EPOCH) {
                    metadata.markStale();
                } else {
                    throw new KafkaErrorException(error, "cannot fetch from " + topicPartition + ": "
                            + ErrorMessages.describe(error));
                }
            }
        }
    }

    /** Adds the records at or after {@code position}; returns the position after the last complete batch. */
    private long read(TopicPartition partition, Records records, long position, List<ConsumerRecord> out) {
        if (!(records instanceof ByteBufRecords bufferRecords) || records.sizeInBytes() == 0) {
            return position;
        }
        ByteBuf buffer = bufferRecords.buffer();
        long next = position;
        int offset = buffer.readerIndex();
        int end = buffer.writerIndex();
        while (end - offset >= LOG_OVERHEAD) {
            int length = buffer.getInt(offset + BATCH_LENGTH_OFFSET);
            if (length < MIN_BATCH_LENGTH_FIELD) {
                throw corrupt(partition, next, "a batch declares " + length + " bytes");
            }
            if ((long) LOG_OVERHEAD + length > end - offset) {
                break;
            }
            batch.wrap(buffer, offset);
            if (batch.magic() != MAGIC_V2) {
                throw new KafkaClientException("cannot read " + partition + " at offset " + batch.baseOffset()
                        + ": message format v" + batch.magic() + " is not supported");
            }
            if (batch.lastOffset() >= next) {
                if (!batch.isCrcValid()) {
                    throw corrupt(partition, batch.baseOffset(), "the batch fails its CRC check");
                }
                if (!batch.isControl()) {
                    readBatch(partition, next, out);
                }
                next = batch.lastOffset() + 1;
            }
            offset += LOG_OVERHEAD + length;
        }
        return next;
    }

    private void readBatch(TopicPartition partition, long position, List<ConsumerRecord> out) {
        try (BatchRecords records = BatchRecords.open(batch, UnpooledByteBufAllocator.DEFAULT)) {
            while (records.hasNext()) {
                Record record = records.next();
                if (record.offset() >= position) {
                    out.add(new ConsumerRecord(partition, record.offset(), record.timestamp(), record.key(),
                            record.value(), record.headers()));
                }
            }
        } catch (IllegalArgumentException e) {
            // a malformed record, or a batch that does not decompress (DecompressionException)
            throw corrupt(partition, batch.baseOffset(), e.getMessage());
        }
    }

    private static KafkaClientException corrupt(TopicPartition partition, long offset, String reason) {
        return new KafkaErrorException(Errors.CORRUPT_MESSAGE, "corrupt records in " + partition + " at offset "
                + offset + ": " + reason);
    }
}
