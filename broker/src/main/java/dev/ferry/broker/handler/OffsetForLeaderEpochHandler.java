package dev.ferry.broker.handler;

import dev.ferry.broker.tenant.Permission;
import dev.ferry.broker.topic.TopicManager;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.OffsetForLeaderEpochRequestData;
import dev.ferry.protocol.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import dev.ferry.protocol.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import dev.ferry.protocol.message.OffsetForLeaderEpochResponseData;
import dev.ferry.protocol.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import dev.ferry.protocol.message.OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult;
import dev.ferry.storage.Log;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OffsetForLeaderEpoch: where a leader epoch ends, which consumers ask to detect log truncation after a leader
 * change (KIP-320). On a single broker the only epoch is 0 and it spans the whole log, so, following Kafka's
 * LeaderEpochFileCache.endOffsetFor:
 * <ul>
 *   <li>epoch 0 ends at the log end offset;</li>
 *   <li>epoch -1 (undefined) and any epoch above 0 (unknown) answer epoch -1 and offset -1, without error;</li>
 *   <li>an epoch below -1, older than any known, answers that epoch and the start of epoch 0: the log start
 *       offset.</li>
 * </ul>
 * current_leader_epoch -1 is not checked; above 0 it is UNKNOWN_LEADER_EPOCH, below it FENCED_LEADER_EPOCH. An
 * unknown topic or partition is UNKNOWN_TOPIC_OR_PARTITION; a topic a tenant does not own TOPIC_AUTHORIZATION_FAILED,
 * whether it exists or not.
 */
public final class OffsetForLeaderEpochHandler implements ApiHandler<OffsetForLeaderEpochRequestData> {

    private static final Logger LOG = LoggerFactory.getLogger(OffsetForLeaderEpochHandler.class);
    private static final int LEADER_EPOCH = 0;
    private static final int UNDEFINED_EPOCH = -1;
    private static final long UNDEFINED_EPOCH_OFFSET = -1;

    private final TopicManager topics;

    public OffsetForLeaderEpochHandler(TopicManager topics) {
        this.topics = topics;
    }

    @Override
    public CompletableFuture<OffsetForLeaderEpochResponseData> handle(RequestContext context,
                                                                      OffsetForLeaderEpochRequestData request) {
        OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochResponseData().setThrottleTimeMs(0);
        for (OffsetForLeaderTopic topic : request.topics()) {
            OffsetForLeaderTopicResult topicResult = new OffsetForLeaderTopicResult().setTopic(topic.topic());
            Errors denied = context.authorizeTopic(topic.topic(), Permission.DESCRIBE);
            for (OffsetForLeaderPartition partition : topic.partitions()) {
                topicResult.partitions().add(denied == Errors.NONE ? endOffset(topic.topic(), partition)
                        : new EpochEndOffset().setPartition(partition.partition()).setErrorCode(denied.code())
                                .setLeaderEpoch(UNDEFINED_EPOCH).setEndOffset(UNDEFINED_EPOCH_OFFSET));
            }
            response.topics().add(topicResult);
        }
        return CompletableFuture.completedFuture(response);
    }

    private EpochEndOffset endOffset(String topic, OffsetForLeaderPartition partition) {
        EpochEndOffset result = new EpochEndOffset().setPartition(partition.partition())
                .setLeaderEpoch(UNDEFINED_EPOCH).setEndOffset(UNDEFINED_EPOCH_OFFSET);
        Optional<Log> found;
        try {
            found = topics.log(topic, partition.partition());
        } catch (UncheckedIOException e) {
            LOG.error("Could not open the log of {}-{}", topic, partition.partition(), e);
            return result.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
        }
        if (found.isEmpty()) {
            return result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
        int current = partition.currentLeaderEpoch();
        if (current != UNDEFINED_EPOCH && current != LEADER_EPOCH) {
            Errors error = current > LEADER_EPOCH ? Errors.UNKNOWN_LEADER_EPOCH : Errors.FENCED_LEADER_EPOCH;
            return result.setErrorCode(error.code());
        }
        Log log = found.get();
        int requested = partition.leaderEpoch();
        result.setErrorCode(Errors.NONE.code());
        if (requested == LEADER_EPOCH) {
            return result.setLeaderEpoch(LEADER_EPOCH).setEndOffset(log.logEndOffset());
        }
        if (requested < UNDEFINED_EPOCH) {
            return result.setLeaderEpoch(requested).setEndOffset(log.logStartOffset());
        }
        return result;
    }
}
