package dev.ferry.broker.handler;

import dev.ferry.broker.producer.ProducerIdManager;
import dev.ferry.broker.tenant.Permission;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.InitProducerIdRequestData;
import dev.ferry.protocol.message.InitProducerIdResponseData;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * InitProducerId for idempotent producers: a fresh producer id with epoch 0, as Kafka's transaction coordinator
 * answers any request without a transactional id — also one that names its current producer id and epoch (version
 * 3+), since an idempotent producer bumps its epoch by itself and asks for a new id only when it must.
 *
 * <p>Transactions are not offered: a request with a transactional id gets TRANSACTIONAL_ID_AUTHORIZATION_FAILED, the
 * answer of a Kafka broker that does not let the client use transactional ids; the Java producer's
 * {@code initTransactions()} fails at once with a TransactionalIdAuthorizationException instead of retrying. A
 * producer id given without an epoch, or an epoch without a producer id, is INVALID_REQUEST. When no id can be
 * reserved because the id block file cannot be written, the answer is KAFKA_STORAGE_ERROR, which clients retry. A
 * tenant whose role lacks {@link Permission#WRITE} gets CLUSTER_AUTHORIZATION_FAILED, as Kafka answers an idempotent
 * producer without IDEMPOTENT_WRITE.
 */
public final class InitProducerIdHandler implements ApiHandler<InitProducerIdRequestData> {

    private static final Logger LOG = LoggerFactory.getLogger(InitProducerIdHandler.class);
    private static final long NO_PRODUCER_ID = -1;
    private static final short NO_PRODUCER_EPOCH = -1;

    private final ProducerIdManager producerIds;

    public InitProducerIdHandler(ProducerIdManager producerIds) {
        this.producerIds = producerIds;
    }

    @Override
    public CompletableFuture<InitProducerIdResponseData> handle(RequestContext context,
                                                                InitProducerIdRequestData request) {
        if (request.transactionalId() != null) {
            // an id the tenant may not use is refused as one no client may: transactions are not offered
            return CompletableFuture.completedFuture(failed(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED));
        }
        if (!context.permits(Permission.WRITE)) {
            // Kafka's answer to a client with neither IDEMPOTENT_WRITE on the cluster nor WRITE on any topic
            return CompletableFuture.completedFuture(failed(Errors.CLUSTER_AUTHORIZATION_FAILED));
        }
        boolean hasId = request.producerId() != NO_PRODUCER_ID;
        boolean hasEpoch = request.producerEpoch() != NO_PRODUCER_EPOCH;
        if (hasId != hasEpoch) {
            return CompletableFuture.completedFuture(failed(Errors.INVALID_REQUEST));
        }
        long producerId;
        try {
            producerId = producerIds.nextProducerId();
        } catch (UncheckedIOException e) {
            LOG.error("Could not reserve producer ids", e);
            return CompletableFuture.completedFuture(failed(Errors.KAFKA_STORAGE_ERROR));
        }
        return CompletableFuture.completedFuture(new InitProducerIdResponseData()
                .setThrottleTimeMs(0)
                .setErrorCode(Errors.NONE.code())
                .setProducerId(producerId)
                .setProducerEpoch((short) 0));
    }

    private static InitProducerIdResponseData failed(Errors error) {
        return new InitProducerIdResponseData()
                .setThrottleTimeMs(0)
                .setErrorCode(error.code())
                .setProducerId(NO_PRODUCER_ID)
                .setProducerEpoch(NO_PRODUCER_EPOCH);
    }
}
