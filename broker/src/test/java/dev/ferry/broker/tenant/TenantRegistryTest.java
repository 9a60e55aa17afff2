package dev.ferry.broker.tenant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ClientFinalMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ClientFirstMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ServerFinalMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ServerFirstMessage;
import org.apache.kafka.common.security.scram.internals.ScramSaslClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TenantRegistryTest {

    private static final long WAIT_MS = 10_000;

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private final List<TenantRegistry> opened = new CopyOnWriteArrayList<>();
    private TenantStore store;

    @AfterEach
    void closeRegistries() {
        opened.forEach(TenantRegistry::close);
    }

    /** A registry that reloads only when the test says so. */
    private TenantRegistry registry() {
        return track(TenantRegistry.open(dir, clock::get, 0, 0));
    }

    private TenantRegistry track(TenantRegistry registry) {
        opened.add(registry);
        return registry;
    }

    private TenantStore store() {
        if (store == null) {
            store = TenantStore.open(dir, clock::get, new SecureRandom());
        }
        return store;
    }

    @Test
    void shouldAuthenticateAKeyAsItsApplicationNameAndRole() {
        store().createApplication("acme");
        IssuedKey ci = store().createKey("acme", "ci", Role.PRODUCE);
        IssuedKey reader = store().createKey("acme", "reader", Role.CONSUME);
        TenantRegistry registry = registry();

        assertEquals(Optional.of(new Principal("acme", "ci", ci.apiKey().keyId(), Role.PRODUCE)),
                registry.authenticate(ci.key()));
        assertEquals(Optional.of(new Principal("acme", "reader", reader.apiKey().keyId(), Role.CONSUME)),
                registry.authenticate(reader.key()));
    }

    @Test
    void shouldRefuseUnknownMalformedAndAlteredKeys() {
        store().createApplication("acme");
        IssuedKey ci = store().createKey("acme", "ci", Role.ALL);
        TenantRegistry registry = registry();
        String key = ci.key();
        String otherSecret = key.substring(0, KeyFormat.KEY_ID_LENGTH + 1) + "A".repeat(KeyFormat.SECRET_LENGTH);
        String otherId = "B".repeat(KeyFormat.KEY_ID_LENGTH) + key.substring(KeyFormat.KEY_ID_LENGTH);

        for (String presented : new String[] {otherSecret, otherId, "consumer-1", "", null, key + " ",
            key.toUpperCase(Locale.ROOT)}) {
            assertEquals(Optional.empty(), registry.authenticate(presented), String.valueOf(presented));
        }
        assertTrue(registry.authenticate(key).isPresent());
    }

    @Test
    void shouldAuthenticatePlainOnlyAsTheKeysOwnApplication() {
        store().createApplication("acme");
        store().createApplication("beta");
        IssuedKey acmeKey = store().createKey("acme", "ci", Role.ALL);
        store().createKey("beta", "ci", Role.ALL);
        TenantRegistry registry = registry();

        assertEquals("acme", registry.authenticatePlain("acme", acmeKey.key()).orElseThrow().applicationId());
        assertEquals(Optional.empty(), registry.authenticatePlain("beta", acmeKey.key()));
        assertEquals(Optional.empty(), registry.authenticatePlain("acme", "not a key"));
    }

    @Test
    void shouldCompleteAScramExchangeWithKafkasOwnClientForEveryKeyAndMechanism() throws Exception {
        store().createApplication("acme");
        IssuedKey first = store().createKey("acme", "first", Role.PRODUCE);
        IssuedKey second = store().createKey("acme", "second", Role.CONSUME);
        TenantRegistry registry = registry();

        for (ScramMechanism mechanism : ScramMechanism.values()) {
            for (IssuedKey issued : List.of(first, second)) {
                Optional<ScramAuthentication> result = scramExchange(registry, mechanism, "acme", issued.key());

                assertEquals(issued.apiKey().principal("acme"), result.orElseThrow().principal(),
                        mechanism.mechanismName());
            }
        }
    }

    @Test
    void shouldRefuseAScramProofOfAnotherApplicationsKey() throws Exception {
        store().createApplication("acme");
        store().createApplication("beta");
        store().createKey("acme", "ci", Role.ALL);
        IssuedKey betaKey = store().createKey("beta", "ci", Role.ALL);
        TenantRegistry registry = registry();

        assertEquals(Optional.empty(), scramExchange(registry, ScramMechanism.SCRAM_SHA_256, "acme", betaKey.key()));
    }

    @Test
    void shouldNameTheApplicationsSaltOnlyForAKnownMechanismAndAnApplicationWithKeys() {
        store().createApplication("acme");
        store().createApplication("empty");
        store().createKey("acme", "ci", Role.ALL);
        TenantRegistry registry = registry();

        ScramCredential credential = registry.scramCredential("acme", "SCRAM-SHA-512").orElseThrow();
        assertEquals(ScramMechanism.SCRAM_SHA_512, credential.mechanism());
        assertEquals(4096, credential.iterations());
        assertArrayEquals(store().application("acme").orElseThrow().scramSalt(), credential.salt());
        assertEquals(credential.salt().length, registry.scramCredential("acme", "SCRAM-SHA-256").orElseThrow()
                .salt().length);
        assertEquals(Optional.empty(), registry.scramCredential("acme", "SCRAM-SHA-1"));
        assertEquals(Optional.empty(), registry.scramCredential("acme", "PLAIN"));
        assertEquals(Optional.empty(), registry.scramCredential("nope", "SCRAM-SHA-256"));
        assertEquals(Optional.empty(), registry.scramCredential("empty", "SCRAM-SHA-256"));
    }

    @Test
    void shouldPickUpAChangeMadeByAnotherInstanceOnReload() {
        store().createApplication("acme");
        TenantRegistry registry = registry();
        IssuedKey created = store().createKey("acme", "ci", Role.ALL);

        assertEquals(Optional.empty(), registry.authenticate(created.key()), "not read yet");
        assertTrue(registry.reloadIfChanged());
        assertTrue(registry.authenticate(created.key()).isPresent());
        assertFalse(registry.reloadIfChanged(), "nothing changed since");
    }

    @Test
    void shouldNoticeARewriteThatKeepsTheFileItsSizeAndItsTimestamp() throws IOException {
        store().createApplication("acme");
        IssuedKey old = store().createKey("acme", "ci", Role.ALL);
        byte[] before = Files.readAllBytes(store().file());
        IssuedKey renewed = store().regenerateKey("acme", "ci");
        byte[] after = Files.readAllBytes(store().file());
        assertEquals(before.length, after.length);
        FileTime timestamp = Files.getLastModifiedTime(store().file());
        // as two quick writes on a coarse-clock file system would look once the second reused the first's inode
        Files.write(store().file(), before);
        Files.setLastModifiedTime(store().file(), timestamp);
        TenantRegistry registry = registry();
        assertTrue(registry.authenticate(old.key()).isPresent());

        Files.write(store().file(), after);
        Files.setLastModifiedTime(store().file(), timestamp);

        assertTrue(registry.reloadIfChanged(), "the generation in the header changed");
        assertEquals(Optional.empty(), registry.authenticate(old.key()));
        assertTrue(registry.authenticate(renewed.key()).isPresent());
    }

    @Test
    void shouldStartEmptyWithoutAFileAndFollowItsCreation() {
        TenantRegistry registry = registry();
        assertEquals(List.of(), registry.applications());

        store().createApplication("acme");

        assertTrue(registry.reloadIfChanged());
        assertEquals(List.of("acme"), registry.applications().stream().map(Application::id).toList());
    }

    @Test
    void shouldApplyChangesWithinThePollIntervalWhileWatching() throws Exception {
        store().createApplication("acme");
        TenantRegistry registry = track(TenantRegistry.open(dir, clock::get, 20, 60_000));
        CountDownLatch revoked = new CountDownLatch(1);
        registry.onKeyRevoked(principal -> revoked.countDown());

        IssuedKey created = store().createKey("acme", "ci", Role.ALL);
        awaitTrue(() -> registry.authenticate(created.key()).isPresent(), "the new key to work");
        store().revokeKey("acme", "ci");

        assertTrue(revoked.await(WAIT_MS, TimeUnit.MILLISECONDS), "the revocation to be told");
        assertEquals(Optional.empty(), registry.authenticate(created.key()));
    }

    @Test
    void shouldTellListenersOfRevokedRegeneratedAndDeletedKeysOnly() {
        store().createApplication("acme");
        store().createApplication("beta");
        IssuedKey revokedKey = store().createKey("acme", "revoked", Role.ALL);
        IssuedKey regenerated = store().createKey("acme", "regenerated", Role.CONSUME);
        IssuedKey kept = store().createKey("acme", "kept", Role.PRODUCE);
        IssuedKey deleted = store().createKey("beta", "ci", Role.ALL);
        TenantRegistry registry = registry();
        List<Principal> told = new CopyOnWriteArrayList<>();
        registry.onKeyRevoked(told::add);
        registry.onKeyRevoked(principal -> {
            throw new IllegalStateException("a failing listener does not stop the others");
        });
        Principal keptPrincipal = registry.authenticate(kept.key()).orElseThrow();

        store().revokeKey("acme", "revoked");
        store().regenerateKey("acme", "regenerated");
        store().deleteApplication("beta");
        assertTrue(registry.reloadIfChanged());

        assertEquals(List.of(revokedKey.apiKey().principal("acme"), regenerated.apiKey().principal("acme"),
                deleted.apiKey().principal("beta")).stream().sorted(TenantRegistryTest::byKeyId).toList(),
                told.stream().sorted(TenantRegistryTest::byKeyId).toList());
        assertEquals(Optional.empty(), registry.authenticate(regenerated.key()), "the old key stopped working");
        assertTrue(registry.isCurrent(keptPrincipal));
        assertFalse(registry.isCurrent(revokedKey.apiKey().principal("acme")));
    }

    @Test
    void shouldKeepThePreviousRegistryWhileTheFileIsCorrupt() throws IOException {
        store().createApplication("acme");
        IssuedKey key = store().createKey("acme", "ci", Role.ALL);
        TenantRegistry registry = registry();
        List<Principal> told = new CopyOnWriteArrayList<>();
        registry.onKeyRevoked(told::add);

        AtomicFiles.write(store().file(), "garbage".getBytes(StandardCharsets.US_ASCII));

        assertFalse(registry.reloadIfChanged());
        assertTrue(registry.authenticate(key.key()).isPresent());
        assertEquals(List.of(), told);
        Files.delete(store().file());
        store().createApplication("beta");
        assertTrue(registry.reloadIfChanged(), "a valid file is read again");
        assertEquals(List.of("beta"), registry.applications().stream().map(Application::id).toList());
        assertEquals(1, told.size(), "the key of the application gone with the old file");
    }

    @Test
    void shouldRefuseToOpenOverACorruptFile() throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve(TenantFile.FILE_NAME), new byte[64]);

        assertThrows(IllegalStateException.class, () -> TenantRegistry.open(dir, clock::get, 0, 0));
    }

    @Test
    void shouldRecordLastUseInMemoryAndWriteItOnlyOnFlush() throws IOException {
        store().createApplication("acme");
        IssuedKey used = store().createKey("acme", "used", Role.ALL);
        IssuedKey unused = store().createKey("acme", "unused", Role.ALL);
        TenantRegistry registry = registry();
        Path lastUsedFile = dir.resolve(LastUsedFile.FILE_NAME);

        registry.flushLastUsed();
        assertFalse(Files.exists(lastUsedFile), "nothing to write yet");
        clock.set(1_700_000_100_000L);
        registry.authenticate(used.key());
        clock.set(1_700_000_200_000L);
        registry.authenticate(used.key());
        assertFalse(Files.exists(lastUsedFile), "an authentication writes nothing");

        registry.flushLastUsed();

        assertEquals(Map.of(used.apiKey().keyId(), 1_700_000_200_000L), store().lastUsed());
        assertFalse(store().lastUsed().containsKey(unused.apiKey().keyId()));
        Files.delete(lastUsedFile);
        registry.flushLastUsed();
        assertFalse(Files.exists(lastUsedFile), "no change since the last flush");
    }

    @Test
    void shouldKeepLastUseAcrossRestartsAndForgetRevokedKeys() {
        store().createApplication("acme");
        IssuedKey first = store().createKey("acme", "first", Role.ALL);
        IssuedKey second = store().createKey("acme", "second", Role.ALL);
        TenantRegistry before = registry();
        before.authenticate(first.key());
        before.authenticate(second.key());
        before.close();
        assertEquals(2, store().lastUsed().size(), "written on close");

        TenantRegistry after = registry();
        store().revokeKey("acme", "second");
        after.reloadIfChanged();
        clock.addAndGet(5_000);
        after.authenticatePlain("acme", first.key());
        after.flushLastUsed();

        assertEquals(Map.of(first.apiKey().keyId(), clock.get()), store().lastUsed());
    }

    @Test
    void shouldShowOnlyThePublicKeyIdOfAPresentedKey() {
        String key = KeyFormat.compose("Xq3vT0b_kR2m", "3Jc9yBv1LwQn8Kd0sZpE4uTa6Hf-MoWi");

        assertEquals(Optional.of("Xq3vT0b_kR2m"), TenantRegistry.publicKeyId(key));
        assertEquals(Optional.empty(), TenantRegistry.publicKeyId("consumer-1"));
    }

    /**
     * Runs Kafka's SCRAM client against the registry, as the broker's SASL handler will: the registry's salt in the
     * server-first-message, its verdict on the proof, and its server signature checked by the client.
     */
    private static Optional<ScramAuthentication> scramExchange(TenantRegistry registry, ScramMechanism mechanism,
                                                               String username, String password) throws Exception {
        ScramSaslClient client = new ScramSaslClient(
                org.apache.kafka.common.security.scram.internals.ScramMechanism.forMechanismName(
                        mechanism.mechanismName()), callbacks -> answer(callbacks, username, password));
        ClientFirstMessage clientFirst = new ClientFirstMessage(client.evaluateChallenge(new byte[0]));
        ScramCredential credential = registry.scramCredential(clientFirst.saslName(), mechanism.mechanismName())
                .orElseThrow();
        ServerFirstMessage serverFirst = new ServerFirstMessage(clientFirst.nonce(), "server-nonce",
                credential.salt(), credential.iterations());
        ClientFinalMessage clientFinal = new ClientFinalMessage(client.evaluateChallenge(serverFirst.toBytes()));
        String authMessage = clientFirst.clientFirstMessageBare() + ","
                + new String(serverFirst.toBytes(), StandardCharsets.UTF_8) + ","
                + clientFinal.clientFinalMessageWithoutProof();

        Optional<ScramAuthentication> result = registry.verifyScramProof(clientFirst.saslName(),
                mechanism.mechanismName(), authMessage.getBytes(StandardCharsets.UTF_8), clientFinal.proof());

        if (result.isPresent()) {
            // the client checks the server signature and throws if it is wrong
            assertNull(client.evaluateChallenge(
                    new ServerFinalMessage(null, result.get().serverSignature()).toBytes()));
            assertTrue(client.isComplete());
        }
        return result;
    }

    private static void answer(Callback[] callbacks, String username, String password)
            throws UnsupportedCallbackException {
        for (Callback callback : callbacks) {
            if (callback instanceof NameCallback name) {
                name.setName(username);
            } else if (callback instanceof PasswordCallback secret) {
                secret.setPassword(password.toCharArray());
            } else {
                throw new UnsupportedCallbackException(callback);
            }
        }
    }

    private static int byKeyId(Principal a, Principal b) {
        return a.keyId().compareTo(b.keyId());
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(10);
        }
    }
}
