package dev.ferry.broker.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TenantStoreTest {

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);

    private TenantStore store() {
        return TenantStore.open(dir, clock::get, new SecureRandom());
    }

    @Test
    void shouldCreateListAndDeleteApplications() {
        TenantStore store = store();

        Application acme = store.createApplication("acme");
        clock.addAndGet(1_000);
        store.createApplication("beta");

        assertEquals("acme", acme.id());
        assertEquals(1_700_000_000_000L, acme.createdMs());
        assertEquals(List.of("acme", "beta"), ids(store()));
        assertEquals(acme, store().application("acme").orElseThrow());
        assertEquals("beta", store.deleteApplication("beta").id());
        assertEquals(List.of("acme"), ids(store()));
    }

    @Test
    void shouldCreateNothingOnDiskUntilTheFirstChange() {
        TenantStore store = TenantStore.open(dir.resolve("fresh"));

        assertEquals(List.of(), store.applications());
        assertFalse(Files.exists(dir.resolve("fresh")));
        store.createApplication("acme");
        assertTrue(Files.exists(dir.resolve("fresh").resolve(TenantFile.FILE_NAME)));
    }

    @Test
    void shouldRefuseDuplicateInvalidAndCollidingApplicationIds() {
        TenantStore store = store();
        store.createApplication("acme");

        assertEquals("application acme already exists", refusal(() -> store.createApplication("acme")));
        assertEquals("invalid application id 'ac.me': only letters, digits, '-' and '_' are allowed",
                refusal(() -> store.createApplication("ac.me")));
        assertEquals("application id acme_eu is too close to the existing application acme: topic names differing"
                + " only by '.' and '_' collide in Kafka", refusal(() -> store.createApplication("acme_eu")));
        assertEquals("no application nope", refusal(() -> store.deleteApplication("nope")));
        assertEquals(List.of("acme"), ids(store));
    }

    @Test
    void shouldIssueKeysThatOnlyTheirHolderCanMatch() {
        TenantStore store = store();
        store.createApplication("acme");

        IssuedKey ci = store.createKey("acme", "ci", Role.PRODUCE);
        IssuedKey reader = store.createKey("acme", "reader", Role.CONSUME);

        Application acme = store().application("acme").orElseThrow();
        assertEquals(List.of("ci", "reader"), acme.keys().stream().map(ApiKey::name).toList());
        assertEquals(Role.PRODUCE, acme.key("ci").orElseThrow().role());
        assertTrue(acme.key("ci").orElseThrow().matches(ci.key()));
        assertFalse(acme.key("ci").orElseThrow().matches(reader.key()));
        assertNotEquals(ci.apiKey().keyId(), reader.apiKey().keyId());
    }

    @Test
    void shouldRefuseKeysForUnknownApplicationsAndTakenOrInvalidNames() {
        TenantStore store = store();
        store.createApplication("acme");
        store.createKey("acme", "ci", Role.ALL);

        assertEquals("no application nope", refusal(() -> store.createKey("nope", "ci", Role.ALL)));
        assertEquals("application acme already has a key named ci",
                refusal(() -> store.createKey("acme", "ci", Role.CONSUME)));
        assertEquals("invalid key name '': it is empty", refusal(() -> store.createKey("acme", "", Role.ALL)));
        assertEquals("application acme has no key named cd", refusal(() -> store.revokeKey("acme", "cd")));
        assertEquals("application acme has no key named cd", refusal(() -> store.regenerateKey("acme", "cd")));
        assertEquals(1, store.application("acme").orElseThrow().keys().size());
    }

    @Test
    void shouldRevokeAKeyAndFreeItsName() {
        TenantStore store = store();
        store.createApplication("acme");
        IssuedKey first = store.createKey("acme", "ci", Role.ALL);

        ApiKey revoked = store.revokeKey("acme", "ci");
        assertEquals(first.apiKey(), revoked);
        assertEquals(List.of(), store.application("acme").orElseThrow().keys());

        IssuedKey second = store.createKey("acme", "ci", Role.CONSUME);
        ApiKey stored = store.application("acme").orElseThrow().key("ci").orElseThrow();
        assertFalse(stored.matches(first.key()));
        assertTrue(stored.matches(second.key()));
    }

    @Test
    void shouldRegenerateAKeyUnderTheSameNameAndRoleAndForgetTheOldOne() {
        TenantStore store = store();
        store.createApplication("acme");
        IssuedKey old = store.createKey("acme", "ci", Role.CONSUME);
        clock.addAndGet(60_000);

        IssuedKey renewed = store.regenerateKey("acme", "ci");

        ApiKey stored = store.application("acme").orElseThrow().key("ci").orElseThrow();
        assertEquals(Role.CONSUME, stored.role());
        assertEquals(clock.get(), stored.createdMs());
        assertNotEquals(old.apiKey().keyId(), stored.keyId());
        assertNotEquals(old.key(), renewed.key());
        assertTrue(stored.matches(renewed.key()));
        assertFalse(stored.matches(old.key()));
        assertEquals(1, store.application("acme").orElseThrow().keys().size());
    }

    @Test
    void shouldDeleteAnApplicationWithItsKeys() throws IOException {
        TenantStore store = store();
        store.createApplication("acme");
        IssuedKey key = store.createKey("acme", "ci", Role.ALL);

        Application deleted = store.deleteApplication("acme");

        assertEquals(List.of(key.apiKey()), deleted.keys());
        assertNull(TenantFile.read(store.file()).keyById(key.apiKey().keyId()));
    }

    @Test
    void shouldSetAndRemoveApplicationSettings() {
        TenantStore store = store();
        store.createApplication("acme");

        store.setSetting("acme", "quota.produce.bytes", "1024");
        store.setSetting("acme", "quota.fetch.bytes", "2048");
        store.setSetting("acme", "quota.produce.bytes", null);

        assertEquals(Map.of("quota.fetch.bytes", "2048"), store().application("acme").orElseThrow().settings());
    }

    @Test
    void shouldSetAndRemoveSeveralSettingsInOneWrite() throws IOException {
        TenantStore store = store();
        store.createApplication("acme");
        store.setSetting("acme", "max.partitions", "60");
        long generation = TenantFile.read(store.file()).generation();
        Map<String, String> changes = new LinkedHashMap<>();
        changes.put("producer.byte.rate", "1024");
        changes.put("consumer.byte.rate", "2048");
        changes.put("max.partitions", null);

        Application changed = store.setSettings("acme", changes);

        Map<String, String> expected = Map.of("producer.byte.rate", "1024", "consumer.byte.rate", "2048");
        assertEquals(expected, changed.settings());
        assertEquals(expected, store().application("acme").orElseThrow().settings());
        assertEquals(generation + 1, TenantFile.read(store.file()).generation(), "one write for the whole change");
        assertThrows(TenantException.class, () -> store.setSettings("acme", Map.of("", "1")));
        assertEquals(generation + 1, TenantFile.read(store.file()).generation(), "a refused change writes nothing");
    }

    @Test
    void shouldCountEveryChangeInTheGeneration() throws IOException {
        TenantStore store = store();
        store.createApplication("acme");
        store.createKey("acme", "ci", Role.ALL);
        store.regenerateKey("acme", "ci");

        assertEquals(3, TenantFile.read(store.file()).generation());
        assertThrows(TenantException.class, () -> store.createApplication("acme"));
        assertEquals(3, TenantFile.read(store.file()).generation(), "a refused change writes nothing");
    }

    @Test
    void shouldLoseNoChangeOfConcurrentWritersInOneProcess() throws Exception {
        store().createApplication("acme");
        int writers = 4;
        int keysEach = 5;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String prefix = "w" + w + "-";
                // an instance each, as separate commands would have
                TenantStore store = store();
                done.add(pool.submit(() -> {
                    start.await();
                    for (int k = 0; k < keysEach; k++) {
                        store.createKey("acme", prefix + k, Role.ALL);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        Application acme = store().application("acme").orElseThrow();
        assertEquals(writers * keysEach, acme.keys().size());
        assertEquals(1 + writers * keysEach, TenantFile.read(store().file()).generation());
    }

    @Test
    void shouldLoseNoChangeOfConcurrentWriterProcesses() throws Exception {
        store().createApplication("acme");
        int processes = 3;
        int keysEach = 4;
        List<Process> started = new ArrayList<>();
        try {
            for (int p = 0; p < processes; p++) {
                started.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"), TenantStoreWriter.class.getName(),
                        dir.toString(), "acme", "p" + p + "-", Integer.toString(keysEach))
                        .redirectErrorStream(true).start());
            }
            for (Process process : started) {
                assertTrue(process.waitFor(60, TimeUnit.SECONDS), "a writer process did not finish");
                assertEquals(0, process.exitValue(), new String(process.getInputStream().readAllBytes()));
            }
        } finally {
            started.forEach(Process::destroyForcibly);
        }

        List<String> names = store().application("acme").orElseThrow().keys().stream().map(ApiKey::name).toList();
        List<String> expected = IntStream.range(0, processes).boxed()
                .flatMap(p -> IntStream.range(0, keysEach).mapToObj(k -> "p" + p + "-" + k)).sorted().toList();
        assertEquals(expected, names);
    }

    private static List<String> ids(TenantStore store) {
        return store.applications().stream().map(Application::id).toList();
    }

    private static String refusal(Runnable change) {
        return assertThrows(TenantException.class, change::run).getMessage();
    }
}
