package dev.ferry.broker.network;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/** A key store with a fresh self-signed certificate for {@code localhost}, made by the JDK's {@code keytool}. */
final class SelfSignedKeyStore {

    static final String PASSWORD = "changeit";
    static final String ALIAS = "ferry";

    private final Path file;
    private final String type;

    private SelfSignedKeyStore(Path file, String type) {
        this.file = file;
        this.type = type;
    }

    /** Generates a {@code type} (JKS or PKCS12) key store in {@code dir}. */
    static SelfSignedKeyStore generate(Path dir, String type) throws IOException, InterruptedException {
        Path file = dir.resolve("broker." + type.toLowerCase());
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", file.toString(), "-storetype", type, "-storepass", PASSWORD,
                "-keypass", PASSWORD, "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1")
                .redirectErrorStream(true)
                .start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        return new SelfSignedKeyStore(file, type);
    }

    Path file() {
        return file;
    }

    String type() {
        return type;
    }

    /** The certificate as PEM text. */
    String certificatePem() throws IOException, GeneralSecurityException {
        return pem("CERTIFICATE", load().getCertificate(ALIAS).getEncoded());
    }

    /** The private key as unencrypted PKCS#8 PEM text. */
    String privateKeyPem() throws IOException, GeneralSecurityException {
        return pem("PRIVATE KEY", load().getKey(ALIAS, PASSWORD.toCharArray()).getEncoded());
    }

    private KeyStore load() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
