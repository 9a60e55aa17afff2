package dev.ferry.broker.network;

import dev.ferry.broker.quota.TenantQuotas;
import dev.ferry.broker.tenant.Principal;
import dev.ferry.broker.tenant.TenantRegistry;
import io.netty.channel.Channel;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open connections of tenants, by the key they authenticated with: admits a connection within its application's
 * {@code max.connections}, and closes every connection of a key the registry no longer holds (revoked, regenerated,
 * or of a deleted application).
 *
 * <p><b>Thread-safety:</b> safe from any thread: event loops admit, the registry's watcher revokes.
 */
public final class TenantConnections {

    private static final Logger LOG = LoggerFactory.getLogger(TenantConnections.class);

    private final TenantRegistry registry;
    private final TenantQuotas quotas;
    private final Map<String, Set<Channel>> byKeyId = new ConcurrentHashMap<>();
    private final AtomicLong refusedAtApplicationLimit = new AtomicLong();

    public TenantConnections(TenantRegistry registry, TenantQuotas quotas) {
        this.registry = registry;
        this.quotas = quotas;
    }

    /**
     * Counts {@code channel} as a connection of {@code principal} until it closes.
     *
     * @return null when admitted; otherwise why not, for the log (the caller closes the connection)
     */
    String admit(Channel channel, Principal principal) {
        String application = principal.applicationId();
        if (!quotas.tryOpenConnection(application)) {
            refusedAtApplicationLimit.incrementAndGet();
            return "application " + application + " has reached its limit of "
                    + quotas.limits(application).maxConnections() + " connections";
        }
        String keyId = principal.keyId();
        byKeyId.computeIfAbsent(keyId, id -> ConcurrentHashMap.newKeySet()).add(channel);
        channel.closeFuture().addListener(closed -> {
            byKeyId.computeIfPresent(keyId, (id, channels) -> channels.remove(channel) && channels.isEmpty()
                    ? null : channels);
            quotas.connectionClosed(application);
        });
        // a revocation that took effect after the key was checked but before the channel was listed above
        if (!registry.isCurrent(principal)) {
            return "key " + keyId + " of application " + application + " was revoked";
        }
        return null;
    }

    /** Closes every connection authenticated with {@code principal}'s key; the registry calls this on revocation. */
    public void closeConnectionsOf(Principal principal) {
        Set<Channel> channels = byKeyId.remove(principal.keyId());
        if (channels == null || channels.isEmpty()) {
            return;
        }
        LOG.info("Closing {} connection(s) of key {} of application {}: the key is no longer valid",
                channels.size(), principal.keyId(), principal.applicationId());
        for (Channel channel : channels) {
            channel.close();
        }
    }

    /** Connections refused so far because their application had reached its {@code max.connections}. */
    public long refusedAtApplicationLimit() {
        return refusedAtApplicationLimit.get();
    }

    /** How many tenant connections are open. */
    public int openConnections() {
        return byKeyId.values().stream().mapToInt(Set::size).sum();
    }
}
