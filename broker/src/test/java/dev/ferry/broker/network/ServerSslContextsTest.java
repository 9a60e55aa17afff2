package dev.ferry.broker.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.config.FerryConfig;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerSslContextsTest {

    @TempDir
    Path dir;

    @Test
    void shouldLoadJksKeyStoreWithDefaultProtocols() throws Exception {
        SelfSignedKeyStore keyStore = SelfSignedKeyStore.generate(dir, "JKS");

        SslContext context = ServerSslContexts.fromConfig(config(Map.of(
                "ssl.keystore.location", keyStore.file().toString(),
                "ssl.keystore.password", SelfSignedKeyStore.PASSWORD)));

        assertTrue(context.isServer());
        SSLEngine engine = context.newEngine(ByteBufAllocator.DEFAULT);
        assertEquals(List.of("TLSv1.2", "TLSv1.3"), List.of(engine.getEnabledProtocols()).stream().sorted().toList());
    }

    @Test
    void shouldLoadInlinePemChainAndKeyWithConfiguredProtocols() throws Exception {
        SelfSignedKeyStore keyStore = SelfSignedKeyStore.generate(dir, "PKCS12");

        SslContext context = ServerSslContexts.fromConfig(config(Map.of(
                "ssl.keystore.type", "PEM",
                "ssl.keystore.certificate.chain", keyStore.certificatePem(),
                "ssl.keystore.key", keyStore.privateKeyPem(),
                "ssl.enabled.protocols", "TLSv1.3")));

        assertEquals(List.of("TLSv1.3"), List.of(context.newEngine(ByteBufAllocator.DEFAULT).getEnabledProtocols()));
    }

    @Test
    void shouldLoadPemFileHoldingChainAndKey() throws Exception {
        SelfSignedKeyStore keyStore = SelfSignedKeyStore.generate(dir, "PKCS12");
        Path pem = Files.writeString(dir.resolve("broker.pem"), keyStore.privateKeyPem() + keyStore.certificatePem());

        SslContext context = ServerSslContexts.fromConfig(config(Map.of(
                "ssl.keystore.type", "PEM",
                "ssl.keystore.location", pem.toString())));

        assertTrue(context.isServer());
    }

    @Test
    void shouldNameKeyStoreButNotPasswordWhenPasswordIsWrong() throws Exception {
        SelfSignedKeyStore keyStore = SelfSignedKeyStore.generate(dir, "PKCS12");

        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> ServerSslContexts.fromConfig(config(Map.of(
                        "ssl.keystore.type", "PKCS12",
                        "ssl.keystore.location", keyStore.file().toString(),
                        "ssl.keystore.password", "not-the-password"))));

        assertTrue(failure.getMessage().contains(keyStore.file().toString()), failure.getMessage());
        assertFalse(failure.getMessage().contains("not-the-password"), failure.getMessage());
    }

    private static FerryConfig config(Map<String, String> ssl) {
        Map<String, String> settings = new HashMap<>(ssl);
        settings.put("listeners", "SSL://127.0.0.1:0");
        return FerryConfig.of(settings);
    }
}
