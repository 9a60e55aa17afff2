package dev.ferry.broker.network;

import dev.ferry.config.FerryConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;

/**
 * Builds the server {@link SslContext} TLS listeners share, from Kafka's {@code ssl.*} settings, on the JDK's TLS
 * provider: a {@code JKS} or {@code PKCS12} key store file, a PEM file holding the certificate chain and the key,
 * or the chain and key as inline PEM text ({@code ssl.keystore.certificate.chain}, {@code ssl.keystore.key}).
 *
 * <p>Error messages name the key store, never a password or key. Stateless.
 */
public final class ServerSslContexts {

    private ServerSslContexts() {
    }

    /**
     * The server context for {@code config}'s key store and {@code ssl.enabled.protocols}.
     *
     * @throws IllegalStateException when the key store cannot be read or holds no usable key
     */
    public static SslContext fromConfig(FerryConfig config) {
        String location = config.sslKeystoreLocation();
        String described = location != null ? "key store " + location : "inline PEM key store";
        try {
            SslContextBuilder builder = "PEM".equals(config.sslKeystoreType())
                    ? pemBuilder(config) : keyStoreBuilder(config);
            return builder.sslProvider(SslProvider.JDK)
                    .protocols(config.sslEnabledProtocols())
                    .build();
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("Cannot load TLS " + described + " (ssl.keystore.type="
                    + config.sslKeystoreType() + "): " + e.getMessage(), e);
        }
    }

    private static SslContextBuilder pemBuilder(FerryConfig config) {
        if (config.sslKeystoreLocation() != null) {
            // one PEM file holds both: the chain and the key are read from it separately
            File pem = new File(config.sslKeystoreLocation());
            return SslContextBuilder.forServer(pem, pem, config.sslKeyPassword());
        }
        InputStream chain = new ByteArrayInputStream(
                config.sslKeystoreCertificateChain().getBytes(StandardCharsets.US_ASCII));
        InputStream key = new ByteArrayInputStream(config.sslKeystoreKey().getBytes(StandardCharsets.US_ASCII));
        return SslContextBuilder.forServer(chain, key, config.sslKeyPassword());
    }

    private static SslContextBuilder keyStoreBuilder(FerryConfig config) throws IOException,
            GeneralSecurityException {
        char[] storePassword = chars(config.sslKeystorePassword());
        KeyStore keyStore = KeyStore.getInstance(config.sslKeystoreType());
        try (InputStream in = Files.newInputStream(Path.of(config.sslKeystoreLocation()))) {
            keyStore.load(in, storePassword);
        }
        // as Kafka: the key's own password when given, else the store's
        char[] keyPassword = config.sslKeyPassword() != null ? chars(config.sslKeyPassword()) : storePassword;
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keyStore, keyPassword);
        return SslContextBuilder.forServer(keyManagers);
    }

    private static char[] chars(String password) {
        return password == null ? null : password.toCharArray();
    }
}
