package dev.ferry.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for every connection: the broker's certificate is checked against the CA certificates of a PEM file, or the
 * JVM's default trust store when there is none, and its name against the host connected to (as Kafka's default
 * {@code ssl.endpoint.identification.algorithm=https} does). Immutable.
 *
 * @param caFile a PEM file of one or more CA certificates to trust, or null for the JVM's default trust store
 */
public record TlsSettings(Path caFile) {

    /** TLS trusting the JVM's default CAs. */
    public static TlsSettings defaultTrust() {
        return new TlsSettings(null);
    }

    /**
     * The factory of TLS sockets these settings describe.
     *
     * @throws KafkaClientException when the CA file cannot be read or holds no certificate
     */
    public SSLSocketFactory socketFactory() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(caFile == null ? null : trustStore(caFile));
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new KafkaClientException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static KeyStore trustStore(Path pem) throws GeneralSecurityException {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(pem)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (NoSuchFileException e) {
            throw new KafkaClientException("TLS CA file " + pem + " does not exist", e);
        } catch (IOException e) {
            throw new KafkaClientException("cannot read TLS CA file " + pem + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new KafkaClientException("TLS CA file " + pem + " is not a PEM certificate file", e);
        }
        if (certificates.isEmpty()) {
            throw new KafkaClientException("TLS CA file " + pem + " holds no certificate");
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        int index = 0;
        for (Certificate certificate : certificates) {
            store.setCertificateEntry("ca-" + index++, certificate);
        }
        return store;
    }
}
