package dev.ferry.broker.handler;

import dev.ferry.broker.network.AdvertisedListeners.Endpoint;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.DescribeClusterRequestData;
import dev.ferry.protocol.message.DescribeClusterResponseData;
import dev.ferry.protocol.message.DescribeClusterResponseData.DescribeClusterBroker;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeCluster: the cluster id, this broker as the only node and as the controller clients are told about. Like
 * a Kafka broker, it serves the BROKER endpoint type (version 1+); asking it for CONTROLLER endpoints is
 * MISMATCHED_ENDPOINT_TYPE, an unknown type UNSUPPORTED_ENDPOINT_TYPE (both INVALID_REQUEST at version 0).
 */
public final class DescribeClusterHandler implements ApiHandler<DescribeClusterRequestData> {

    private static final byte BROKER_ENDPOINT = 1;
    private static final byte CONTROLLER_ENDPOINT = 2;

    private final LocalBroker broker;

    public DescribeClusterHandler(LocalBroker broker) {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<DescribeClusterResponseData> handle(RequestContext context,
                                                                 DescribeClusterRequestData request) {
        byte requested = request.endpointType();
        if (requested != BROKER_ENDPOINT) {
            boolean known = requested == CONTROLLER_ENDPOINT;
            Errors error = context.apiVersion() == 0 ? Errors.INVALID_REQUEST
                    : known ? Errors.MISMATCHED_ENDPOINT_TYPE : Errors.UNSUPPORTED_ENDPOINT_TYPE;
            String message = known ? "The request was sent to an endpoint of type BROKER, but we wanted an endpoint"
                    + " of type CONTROLLER" : "Unsupported endpoint type " + requested;
            return CompletableFuture.completedFuture(new DescribeClusterResponseData().setErrorCode(error.code())
                    .setErrorMessage(message));
        }
        DescribeClusterResponseData response = new DescribeClusterResponseData()
                .setErrorCode(Errors.NONE.code())
                .setErrorMessage(null)
                .setEndpointType(BROKER_ENDPOINT)
                .setClusterId(broker.clusterId())
                .setClusterAuthorizedOperations(request.includeClusterAuthorizedOperations()
                        ? AuthorizedOperations.cluster(context) : AuthorizedOperations.NOT_REQUESTED);
        Optional<Endpoint> endpoint = broker.endpoint(context.listenerName());
        endpoint.ifPresent(e -> response.brokers().add(new DescribeClusterBroker().setBrokerId(broker.nodeId())
                .setHost(e.host()).setPort(e.port()).setRack(null).setIsFenced(false)));
        // as in Kafka, a controller id that is not among the listed brokers is reported as -1
        response.setControllerId(endpoint.isPresent() ? broker.nodeId() : -1);
        return CompletableFuture.completedFuture(response);
    }
}
