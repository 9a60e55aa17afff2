package dev.ferry.broker.handler;

import dev.ferry.broker.network.AdvertisedListeners.Endpoint;
import dev.ferry.broker.tenant.Permission;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.FindCoordinatorRequestData;
import dev.ferry.protocol.message.FindCoordinatorResponseData;
import dev.ferry.protocol.message.FindCoordinatorResponseData.Coordinator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * FindCoordinator: this node coordinates every group, so a group key is answered with this broker's address on the
 * listener the request arrived on. Versions 0-3 ask for one key, version 4+ for a batch of keys answered one by one.
 *
 * <ul>
 *   <li>GROUP (key type 0): this node; an empty group id is INVALID_REQUEST.</li>
 *   <li>TRANSACTION (1): TRANSACTIONAL_ID_AUTHORIZATION_FAILED. Transactions are not offered, and this is the error
 *       Kafka's own clients treat as fatal at once: a transactional producer fails {@code initTransactions()} with
 *       {@code TransactionalIdAuthorizationException} instead of retrying COORDINATOR_NOT_AVAILABLE until
 *       {@code max.block.ms} runs out. InitProducerId answers transactional ids the same way.</li>
 *   <li>SHARE (2) and unknown key types: INVALID_REQUEST; share groups are not offered.</li>
 * </ul>
 * A tenant's key it does not own is refused first, as Kafka checks DESCRIBE on the key before anything else: a group
 * with GROUP_AUTHORIZATION_FAILED, a transactional id with TRANSACTIONAL_ID_AUTHORIZATION_FAILED. An error answer
 * names no node: id -1, empty host, port -1, as Kafka's {@code Node.noNode()}.
 */
public final class FindCoordinatorHandler implements ApiHandler<FindCoordinatorRequestData> {

    private static final byte GROUP = 0;
    private static final byte TRANSACTION = 1;
    private static final short FIRST_BATCHED_VERSION = 4;
    private static final short FIRST_VERSION_WITH_ERROR_MESSAGE = 1;

    private final LocalBroker broker;

    public FindCoordinatorHandler(LocalBroker broker) {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<FindCoordinatorResponseData> handle(RequestContext context,
                                                                 FindCoordinatorRequestData request) {
        FindCoordinatorResponseData response = new FindCoordinatorResponseData().setThrottleTimeMs(0);
        if (context.apiVersion() >= FIRST_BATCHED_VERSION) {
            List<Coordinator> coordinators = new ArrayList<>();
            for (String key : request.coordinatorKeys()) {
                Answer answer = find(context, request.keyType(), key);
                coordinators.add(new Coordinator().setKey(key).setNodeId(answer.nodeId()).setHost(answer.host())
                        .setPort(answer.port()).setErrorCode(answer.error().code())
                        .setErrorMessage(answer.errorMessage()));
            }
            return CompletableFuture.completedFuture(response.setCoordinators(coordinators));
        }
        Answer answer = find(context, request.keyType(), request.key());
        response.setErrorCode(answer.error().code()).setNodeId(answer.nodeId()).setHost(answer.host())
                .setPort(answer.port());
        if (context.apiVersion() >= FIRST_VERSION_WITH_ERROR_MESSAGE) {
            response.setErrorMessage(answer.errorMessage());
        }
        return CompletableFuture.completedFuture(response);
    }

    private Answer find(RequestContext context, byte keyType, String key) {
        if (keyType == GROUP && context.authorizeGroup(key, Permission.DESCRIBE) != Errors.NONE) {
            return Answer.error(Errors.GROUP_AUTHORIZATION_FAILED, Errors.GROUP_AUTHORIZATION_FAILED.message());
        }
        if (keyType == TRANSACTION && context.authorizeTransactionalId(key, Permission.DESCRIBE) != Errors.NONE) {
            return Answer.error(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
                    Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.message());
        }
        if (keyType == TRANSACTION) {
            return Answer.error(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
                    "Transactions are not supported by this broker");
        }
        if (keyType != GROUP) {
            return Answer.error(Errors.INVALID_REQUEST, "Unsupported coordinator key type " + keyType);
        }
        if (key == null || key.isEmpty()) {
            return Answer.error(Errors.INVALID_REQUEST, "The group id must not be empty");
        }
        Optional<Endpoint> endpoint = broker.endpoint(context.listenerName());
        if (endpoint.isEmpty()) {
            return Answer.error(Errors.COORDINATOR_NOT_AVAILABLE,
                    "No address is advertised for listener " + context.listenerName());
        }
        return new Answer(Errors.NONE, null, broker.nodeId(), endpoint.get().host(), endpoint.get().port());
    }

    private record Answer(Errors error, String errorMessage, int nodeId, String host, int port) {

        static Answer error(Errors error, String message) {
            return new Answer(error, message, -1, "", -1);
        }
    }
}
