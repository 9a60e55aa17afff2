package dev.ferry.broker.handler;

import dev.ferry.broker.fetch.FetchWaiters;
import dev.ferry.broker.tenant.Permission;
import dev.ferry.broker.topic.TopicManager;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.DeleteRecordsRequestData;
import dev.ferry.protocol.message.DeleteRecordsRequestData.DeleteRecordsPartition;
import dev.ferry.protocol.message.DeleteRecordsRequestData.DeleteRecordsTopic;
import dev.ferry.protocol.message.DeleteRecordsResponseData;
import dev.ferry.protocol.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import dev.ferry.protocol.message.DeleteRecordsResponseData.DeleteRecordsTopicResult;
import dev.ferry.storage.Log;
import dev.ferry.storage.OffsetOutOfRangeException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DeleteRecords: moves partitions' log start offsets up, deleting the segments wholly below, and answers the new
 * low watermark (the log start offset) — Kafka's Partition.deleteRecordsOnLeader on a single replica, where the
 * request is complete as soon as the leader's log has moved.
 *
 * <p>Offset -1 means the high watermark (the log end offset here). Any other negative offset, or one above the log
 * end, is OFFSET_OUT_OF_RANGE; an offset at or below the current start changes nothing and answers the current
 * start. A topic whose cleanup.policy lacks {@code delete} refuses with POLICY_VIOLATION. Unknown topics and
 * partitions are UNKNOWN_TOPIC_OR_PARTITION. Failed partitions answer low watermark -1. Fetches waiting on a partition
 * are woken, so that one now below the log start learns it at once. A topic a tenant does not own, or a role without
 * {@link Permission#MANAGE_TOPICS}, is TOPIC_AUTHORIZATION_FAILED for its partitions, whose records stay.
 */
public final class DeleteRecordsHandler implements ApiHandler<DeleteRecordsRequestData> {

    private static final Logger LOG = LoggerFactory.getLogger(DeleteRecordsHandler.class);
    private static final long HIGH_WATERMARK = -1;
    private static final long INVALID_LOW_WATERMARK = -1;

    private final TopicManager topics;
    private final FetchWaiters waiters;

    public DeleteRecordsHandler(TopicManager topics, FetchWaiters waiters) {
        this.topics = topics;
        this.waiters = waiters;
    }

    @Override
    public CompletableFuture<DeleteRecordsResponseData> handle(RequestContext context,
                                                               DeleteRecordsRequestData request) {
        DeleteRecordsResponseData response = new DeleteRecordsResponseData().setThrottleTimeMs(0);
        for (DeleteRecordsTopic topic : request.topics()) {
            DeleteRecordsTopicResult topicResult = new DeleteRecordsTopicResult().setName(topic.name());
            Errors denied = context.authorizeTopic(topic.name(), Permission.MANAGE_TOPICS);
            for (DeleteRecordsPartition partition : topic.partitions()) {
                topicResult.partitions().add(denied == Errors.NONE ? delete(topic.name(), partition)
                        : failed(partition.partitionIndex(), denied));
            }
            response.topics().add(topicResult);
        }
        return CompletableFuture.completedFuture(response);
    }

    private DeleteRecordsPartitionResult delete(String topic, DeleteRecordsPartition partition) {
        int index = partition.partitionIndex();
        Log log;
        long lowWatermark;
        try {
            Optional<Log> found = topics.log(topic, index);
            if (found.isEmpty()) {
                return failed(index, Errors.UNKNOWN_TOPIC_OR_PARTITION);
            }
            if (!topics.settings(topic).retentionDeletes()) {
                return failed(index, Errors.POLICY_VIOLATION);
            }
            log = found.get();
            long offset = partition.offset() == HIGH_WATERMARK ? log.logEndOffset() : partition.offset();
            if (offset < 0) {
                return failed(index, Errors.OFFSET_OUT_OF_RANGE);
            }
            lowWatermark = log.deleteRecordsBefore(offset);
        } catch (OffsetOutOfRangeException e) {
            return failed(index, Errors.OFFSET_OUT_OF_RANGE);
        } catch (UncheckedIOException e) {
            LOG.error("Could not delete records of {}-{} below offset {}", topic, index, partition.offset(), e);
            return failed(index, Errors.KAFKA_STORAGE_ERROR);
        }
        waiters.wake(log.topicPartition());
        return new DeleteRecordsPartitionResult().setPartitionIndex(index).setErrorCode(Errors.NONE.code())
                .setLowWatermark(lowWatermark);
    }

    private static DeleteRecordsPartitionResult failed(int index, Errors error) {
        return new DeleteRecordsPartitionResult().setPartitionIndex(index).setErrorCode(error.code())
                .setLowWatermark(INVALID_LOW_WATERMARK);
    }
}
