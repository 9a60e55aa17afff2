package dev.ferry.broker.handler;

import java.net.InetSocketAddress;

/**
 * What a handler knows about the request beyond its body.
 *
 * @param apiKey        the request's API key
 * @param apiVersion    the version the request was decoded at; the response is encoded at the same version
 * @param correlationId echoed in the response header
 * @param clientId      the header's client id, possibly null
 * @param remoteAddress the peer of the connection
 * @param listenerName  the listener the connection arrived on, e.g. PLAINTEXT
 * @param receivedNanos System.nanoTime() when the frame was read
 */
public record RequestContext(short apiKey, short apiVersion, int correlationId, String clientId,
                             InetSocketAddress remoteAddress, String listenerName, long receivedNanos) {
}
