package dev.ferry.broker.network;

import dev.ferry.config.Listener;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The host and port clients are told to use, per listener name: the advertised listener of that name, with port 0
 * replaced by the port its listener actually bound. Metadata and DescribeCluster answer with the entry of the
 * listener the request arrived on, as Kafka does.
 *
 * <p><b>Thread-safety:</b> filled in while the broker binds its listeners, read by handlers from any thread.
 */
public final class AdvertisedListeners {

    /** A host and port as clients see them. */
    public record Endpoint(String listenerName, String host, int port) {
    }

    private final List<Listener> advertised;
    private final Map<String, Endpoint> byName = new ConcurrentHashMap<>();

    /** @param advertised {@code advertised.listeners} */
    public AdvertisedListeners(List<Listener> advertised) {
        this.advertised = List.copyOf(advertised);
    }

    /**
     * Records that {@code listenerName} is bound at {@code boundPort}; the advertised entry of that name is published
     * with its own port, or the bound one when it says 0. A bound listener with no advertised entry of its name is
     * advertised as bound.
     *
     * @param boundHost the host to advertise when the advertised listener of that name has none
     */
    public void bound(String listenerName, String boundHost, int boundPort) {
        Listener listener = advertised.stream().filter(l -> l.name().equals(listenerName)).findFirst().orElse(null);
        String host = listener == null || listener.host().isEmpty() ? boundHost : listener.host();
        int port = listener == null || listener.port() == 0 ? boundPort : listener.port();
        byName.put(listenerName, new Endpoint(listenerName, host, port));
    }

    /** The endpoint advertised for {@code listenerName}, if that listener is bound. */
    public Optional<Endpoint> endpoint(String listenerName) {
        return Optional.ofNullable(listenerName == null ? null : byName.get(listenerName));
    }
}
