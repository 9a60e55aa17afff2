package dev.ferry.broker.handler;

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
 */
public final class TxnOffsetCommitHandler implements ApiHandler<TxnOffsetCommitRequestData> {

    @Override
    public CompletableFuture<TxnOffsetCommitResponseData> handle(RequestContext context,
                                                                 TxnOffsetCommitRequestData request) {
        TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData().setThrottleTimeMs(0);
        for (TxnOffsetCommitRequestTopic topic : request.topics()) {
            TxnOffsetCommitResponseTopic answered = new TxnOffsetCommitResponseTopic().setName(topic.name());
            for (TxnOffsetCommitRequestPartition partition : topic.partitions()) {
                answered.partitions().add(new TxnOffsetCommitResponsePartition()
                        .setPartitionIndex(partition.partitionIndex())
                        .setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code()));
            }
            response.topics().add(answered);
        }
        return CompletableFuture.completedFuture(response);
    }
}
