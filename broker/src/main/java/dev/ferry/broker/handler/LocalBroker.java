package dev.ferry.broker.handler;

import dev.ferry.broker.network.AdvertisedListeners;
import dev.ferry.broker.network.AdvertisedListeners.Endpoint;
import java.util.Optional;

/**
 * This broker as Metadata and DescribeCluster describe it: the only node of its cluster, hence also the controller
 * clients are told about, and the leader of every partition.
 *
 * @param nodeId    {@code node.id}
 * @param clusterId the cluster id, configured or generated at first start
 * @param listeners the advertised address of each bound listener
 */
public record LocalBroker(int nodeId, String clusterId, AdvertisedListeners listeners) {

    /** The address advertised for the listener a request arrived on. */
    public Optional<Endpoint> endpoint(String listenerName) {
        return listeners.endpoint(listenerName);
    }
}
