package dev.ferry.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How to reach and talk to a cluster: where to bootstrap, the client id put in every request header, the transport
 * security, and time limits. Immutable; build with {@link #to(HostPort)} and the {@code with*} methods.
 *
 * @param bootstrap       the broker asked first for the cluster's metadata
 * @param clientId        the client id of every request header (an application key where the broker uses them)
 * @param tls             TLS for every connection, or null for plain TCP
 * @param sasl            SASL authentication on every connection, or null for none
 * @param connectTimeout  how long opening a TCP connection may take
 * @param requestTimeout  how long a response may take, beyond any time the request itself asks the broker to wait
 * @param retryBackoff    the pause before retrying a request that failed with a retriable error
 * @param softwareName    the client software name sent in ApiVersions (KIP-511)
 * @param softwareVersion the client software version sent in ApiVersions
 */
public record ClientSettings(HostPort bootstrap, String clientId, TlsSettings tls, SaslSettings sasl,
                             Duration connectTimeout, Duration requestTimeout, Duration retryBackoff,
                             String softwareName, String softwareVersion) {

    /** Kafka's default {@code request.timeout.ms}. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Kafka's default {@code socket.connection.setup.timeout.max.ms}. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Kafka's default {@code retry.backoff.ms}. */
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(100);
    /** The client id used when none is given. */
    public static final String DEFAULT_CLIENT_ID = "ferry-client";

    public ClientSettings {
        Objects.requireNonNull(bootstrap, "bootstrap");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        Objects.requireNonNull(softwareName, "softwareName");
        Objects.requireNonNull(softwareVersion, "softwareVersion");
    }

    /** Plain TCP to {@code bootstrap}, without authentication, with Kafka's default time limits. */
    public static ClientSettings to(HostPort bootstrap) {
        return new ClientSettings(bootstrap, DEFAULT_CLIENT_ID, null, null, DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_REQUEST_TIMEOUT, DEFAULT_RETRY_BACKOFF, "ferry", "unknown");
    }

    public ClientSettings withClientId(String value) {
        return new ClientSettings(bootstrap, value, tls, sasl, connectTimeout, requestTimeout, retryBackoff,
                softwareName, softwareVersion);
    }

    public ClientSettings withTls(TlsSettings value) {
        return new ClientSettings(bootstrap, clientId, value, sasl, connectTimeout, requestTimeout, retryBackoff,
                softwareName, softwareVersion);
    }

    public ClientSettings withSasl(SaslSettings value) {
        return new ClientSettings(bootstrap, clientId, tls, value, connectTimeout, requestTimeout, retryBackoff,
                softwareName, softwareVersion);
    }

    public ClientSettings withTimeouts(Duration connect, Duration request) {
        return new ClientSettings(bootstrap, clientId, tls, sasl, connect, request, retryBackoff, softwareName,
                softwareVersion);
    }

    public ClientSettings withSoftware(String name, String version) {
        return new ClientSettings(bootstrap, clientId, tls, sasl, connectTimeout, requestTimeout, retryBackoff, name,
                version);
    }

    /** The settings without the SASL password, for logs. */
    @Override
    public String toString() {
        return "ClientSettings[bootstrap=" + bootstrap + ", clientId=" + clientId + ", tls=" + (tls != null)
                + ", sasl=" + (sasl == null ? "none" : sasl.mechanism().kafkaName()) + "]";
    }
}
