package dev.ferry.broker.network;

/**
 * What the broker holds every connection to, whichever listener it arrives on: the connection limits, how tenants
 * authenticate, and the request quotas.
 *
 * @param limits   {@code max.connections} and {@code max.connections.per.ip}, shared by every listener
 * @param tenants  how tenant connections authenticate; null on an open broker, whose connections act for no one
 * @param throttle the quotas applied to each request
 */
public record ConnectionPolicy(ConnectionLimits limits, TenantAuthentication tenants, RequestThrottle throttle) {

    /** An open broker without limits: every connection admitted, acting for no one, never throttled. */
    public static final ConnectionPolicy OPEN = new ConnectionPolicy(ConnectionLimits.NONE, null, RequestThrottle.NONE);
}
