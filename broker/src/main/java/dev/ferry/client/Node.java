package dev.ferry.client;

/** A broker of the cluster as Metadata or FindCoordinator describes it. Immutable. */
public record Node(int id, String host, int port) {

    /** The node id Kafka uses for "no node", e.g. a partition without a leader. */
    public static final int NO_NODE = -1;

    /** Where to connect to this node. */
    public HostPort address() {
        return new HostPort(host, port);
    }
}
