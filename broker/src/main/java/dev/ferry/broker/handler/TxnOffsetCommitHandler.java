package dev.ferry.broker.handler;

import dev.ferry.broker.tenant.Permission;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.TxnOffsetCommitRequestData;
import dev.ferry.protocol.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition;
import dev.ferry.protocol.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic;
import dev.ferry.protocol.message.TxnOffsetCommitResponseData;
import dev.ferry.protocol.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition;
import dev.ferry.protocol.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic;
import java.util.concurrent.CompletableFuture;

/**
 * TxnOffsetCommit: transactions are not offered, so every partition is answered TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
 * the error InitProducerId and FindCoordinator already give a transactional id, and nothing is stored.
 *
 * <p>A tenant first gets the authorization errors Kafka checks in this order: a transactional id not its own (or a
 * role without {@link Permission#WRITE}) is TRANSACTIONAL_ID_AUTHORIZATION_FAILED for every partition; then a group not
 * its own (or without {@link Permission#COMMIT_OFFSETS}) GROUP_AUTHORIZATION_FAILED for every partition; then a topic
 * not its own (or without {@link Permission#READ}) TOPIC_AUTHORIZATION_FAILED for that topic's partitions.
 */
public final class TxnOffsetCommitHandler implements ApiHandler<TxnOffsetCommitRequestData> {

    @Override
    public CompletableFuture<TxnOffsetCommitResponseData> handle(RequestContext context,
                                                                 TxnOffsetCommitRequestData request) {
        Errors requestError = context.authorizeTransactionalId(request.transactionalId(), Permission.WRITE);
        if (requestError == Errors.NONE) {
            requestError = context.authorizeGroup(request.groupId(), Permission.COMMIT_OFFSETS);
        }
        TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData().setThrottleTimeMs(0);
        for (TxnOffsetCommitRequestTopic topic : request.topics()) {
            Errors error = requestError;
            if (error == Errors.NONE) {
                error = context.authorizeTopic(topic.name(), Permission.READ);
            }
            if (error == Errors.NONE) {
                error = Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
            }
            TxnOffsetCommitResponseTopic answered = new TxnOffsetCommitResponseTopic().setName(topic.name());
            for (TxnOffsetCommitRequestPartition partition : topic.partitions()) {
                answered.partitions().add(new TxnOffsetCommitResponsePartition()
                        .setPartitionIndex(partition.partitionIndex()).setErrorCode(error.code()));
            }
            response.topics().add(answered);
        }
        return CompletableFuture.completedFuture(response);
    }
}
