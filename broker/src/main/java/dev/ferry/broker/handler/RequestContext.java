package dev.ferry.broker.handler;

import dev.ferry.broker.tenant.Permission;
import dev.ferry.broker.tenant.Principal;
import dev.ferry.protocol.Errors;
import java.net.InetSocketAddress;

/**
 * What a handler knows about the request beyond its body, including who sent it.
 *
 * <p><b>Tenancy.</b> On a broker with {@code auth.mode=tenant} every request past authentication carries the
 * {@link Principal} of its connection: it may name only its application's topics, groups and transactional ids (those
 * starting with {@code <application>.}), and only for what its key's role permits. The {@code authorize*} methods
 * answer with the error code Kafka gives a client lacking the ACL, and listings keep only what {@link #canSee} allows.
 * Without a principal (the open {@code auth.mode=none}) everything is allowed.
 *
 * @param apiKey        the request's API key
 * @param apiVersion    the version the request was decoded at; the response is encoded at the same version
 * @param correlationId echoed in the response header
 * @param clientId      the header's client id, possibly null
 * @param remoteAddress the peer of the connection
 * @param listenerName  the listener the connection arrived on, e.g. PLAINTEXT
 * @param receivedNanos System.nanoTime() when the frame was read
 * @param principal     the tenant the connection authenticated as; null when the broker is open to all
 */
public record RequestContext(short apiKey, short apiVersion, int correlationId, String clientId,
                             InetSocketAddress remoteAddress, String listenerName, long receivedNanos,
                             Principal principal) {

    /** A request of an open broker, acting for no tenant. */
    public RequestContext(short apiKey, short apiVersion, int correlationId, String clientId,
                          InetSocketAddress remoteAddress, String listenerName, long receivedNanos) {
        this(apiKey, apiVersion, correlationId, clientId, remoteAddress, listenerName, receivedNanos, null);
    }

    /** This request acting for {@code tenant}. */
    public RequestContext withPrincipal(Principal tenant) {
        return new RequestContext(apiKey, apiVersion, correlationId, clientId, remoteAddress, listenerName,
                receivedNanos, tenant);
    }

    /** Whether the request acts for a tenant, and so sees only its own application's resources. */
    public boolean isTenant() {
        return principal != null;
    }

    /** Whether a listing may show {@code resourceName} (a topic, group or transactional id) to this request. */
    public boolean canSee(String resourceName) {
        return principal == null || principal.owns(resourceName);
    }

    /** Whether this request may do {@code permission} at all, whatever resource it names. */
    public boolean permits(Permission permission) {
        return principal == null || principal.permits(permission);
    }

    /** NONE, or TOPIC_AUTHORIZATION_FAILED when {@code topic} is not the tenant's or its role lacks the permission. */
    public Errors authorizeTopic(String topic, Permission permission) {
        return allowed(topic, permission) ? Errors.NONE : Errors.TOPIC_AUTHORIZATION_FAILED;
    }

    /** NONE, or GROUP_AUTHORIZATION_FAILED when {@code group} is not the tenant's or its role lacks the permission. */
    public Errors authorizeGroup(String group, Permission permission) {
        return allowed(group, permission) ? Errors.NONE : Errors.GROUP_AUTHORIZATION_FAILED;
    }

    /**
     * NONE, or TRANSACTIONAL_ID_AUTHORIZATION_FAILED when {@code transactionalId} is not the tenant's or its role
     * lacks the permission.
     */
    public Errors authorizeTransactionalId(String transactionalId, Permission permission) {
        return allowed(transactionalId, permission) ? Errors.NONE : Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
    }

    private boolean allowed(String resourceName, Permission permission) {
        return principal == null || (principal.owns(resourceName) && principal.permits(permission));
    }
}
