package dev.ferry.broker.network;

import dev.ferry.broker.auth.AuthenticationFailures;
import dev.ferry.broker.tenant.TenantRegistry;
import java.util.List;

/**
 * What every tenant connection's {@link TenantAuthenticator} shares: the registry that checks keys, the SASL
 * mechanisms offered, the open tenant connections, and the failure counts that slow down guessing.
 *
 * @param registry       the tenant registry
 * @param saslMechanisms {@code sasl.enabled.mechanisms}
 * @param connections    the authenticated connections, for revocation and {@code max.connections}
 * @param failures       recent authentication failures per client address
 */
public record TenantAuthentication(TenantRegistry registry, List<String> saslMechanisms,
                                   TenantConnections connections, AuthenticationFailures failures) {

    /**
     * A new connection's authenticator.
     *
     * @param saslOnly whether the listener is a SASL one, where a key sent as client id is not accepted
     */
    TenantAuthenticator newAuthenticator(String listenerName, boolean saslOnly) {
        return new TenantAuthenticator(this, listenerName, saslOnly);
    }
}
