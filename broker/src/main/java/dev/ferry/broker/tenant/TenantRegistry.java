package dev.ferry.broker.tenant;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's view of the tenant registry: authenticates keys (sent as {@code client.id}, or as SASL PLAIN or SCRAM
 * passwords) and follows the registry file as the command line changes it.
 *
 * <p><b>Live changes.</b> A watcher thread checks the registry file's identity, size, modification time and
 * generation every {@value #POLL_INTERVAL_MS} ms and, when they changed, reads the new registry and puts it in effect
 * at once: keys created by {@code ferry key create} work within a second, and revoked ones stop. For every key that
 * the new registry no longer holds (revoked, regenerated, or of a deleted application) the {@link #onKeyRevoked}
 * listeners are told, so that the network layer can close its connections. A registry file that cannot be read
 * leaves the previous registry in effect, with an error in the log.
 *
 * <p><b>Cost of authentication.</b> A key's public id leads to its one stored record in a hash map, whatever the
 * number of keys, and one SHA-256 of the key checks it (see {@link ApiKey} for why a fast hash is sound for these
 * keys); no cache of verified keys is needed, so none holds keys in memory. A SCRAM proof costs a few HMACs per key
 * of the application. None of these calls blocks or touches the disk: they may run on a network event loop. Nothing
 * here ever logs a key.
 *
 * <p><b>Last used.</b> Successful authentications are recorded in memory and written to a file of their own (never
 * the registry file) at most once per {@value #LAST_USED_FLUSH_INTERVAL_MS} ms, and on {@link #close}.
 *
 * <p><b>Thread-safety:</b> every method is safe from any thread. Reads see one whole version of the registry.
 */
public final class TenantRegistry implements AutoCloseable {

    /** How often the watcher checks the registry file for changes. */
    public static final long POLL_INTERVAL_MS = 1_000;

    /** How often last-used times are written, when some changed. */
    public static final long LAST_USED_FLUSH_INTERVAL_MS = 60_000;

    private static final Logger LOG = LoggerFactory.getLogger(TenantRegistry.class);

    private final Path file;
    private final Path lastUsedFile;
    private final LongSupplier clockMs;
    private final List<Consumer<Principal>> revocationListeners = new CopyOnWriteArrayList<>();
    private final Map<String, Long> lastUsed = new ConcurrentHashMap<>();
    private final AtomicBoolean lastUsedChanged = new AtomicBoolean();
    private final Object flushLock = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Null when the registry does not watch its file (tests drive {@link #reloadIfChanged} themselves). */
    private volatile ScheduledExecutorService watcher;
    private volatile Tenants tenants;
    /** The file as it was when last read; guarded by {@code this}. */
    private FileStamp stamp;

    private TenantRegistry(Path metadataDir, LongSupplier clockMs) {
        this.file = metadataDir.resolve(TenantFile.FILE_NAME);
        this.lastUsedFile = metadataDir.resolve(LastUsedFile.FILE_NAME);
        this.clockMs = clockMs;
        try {
            this.stamp = FileStamp.of(file);
            this.tenants = TenantFile.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the tenant registry " + file + ": " + e.getMessage(), e);
        }
        loadLastUsed();
        LOG.info("Tenant registry {}: {} applications, {} keys", file, tenants.applications().size(),
                tenants.keysById().size());
    }

    /**
     * Opens the registry in a broker's metadata directory and starts watching it. A missing registry file is an
     * empty registry, until {@code ferry app create} writes one.
     *
     * @throws UncheckedIOException  when the registry file cannot be read
     * @throws IllegalStateException when it is corrupt: starting with no tenants would lock every tenant out
     */
    public static TenantRegistry open(Path metadataDir) {
        return open(metadataDir, System::currentTimeMillis, POLL_INTERVAL_MS, LAST_USED_FLUSH_INTERVAL_MS);
    }

    /**
     * Opens the registry with its own clock and intervals.
     *
     * @param pollIntervalMs  how often to check the file; zero or less for no watcher thread at all
     * @param flushIntervalMs how often to write last-used times; positive when there is a watcher
     */
    static TenantRegistry open(Path metadataDir, LongSupplier clockMs, long pollIntervalMs, long flushIntervalMs) {
        TenantRegistry registry = new TenantRegistry(metadataDir, clockMs);
        if (pollIntervalMs > 0) {
            registry.startWatching(pollIntervalMs, flushIntervalMs);
        }
        return registry;
    }

    /**
     * Authenticates a key sent as {@code client.id} (or as a SASL PLAIN password).
     *
     * @return who the key belongs to; empty for anything that is not a current key, including null
     */
    public Optional<Principal> authenticate(String key) {
        Tenants.OwnedKey owned = find(key);
        if (owned == null) {
            return Optional.empty();
        }
        recordUse(owned.key());
        return Optional.of(owned.principal());
    }

    /**
     * Authenticates a SASL PLAIN exchange: the user name is the application id, the password a key of it.
     *
     * @return who the key belongs to; empty when the key is not current or belongs to another application
     */
    public Optional<Principal> authenticatePlain(String username, String password) {
        Tenants.OwnedKey owned = find(password);
        if (owned == null || !owned.application().id().equals(username)) {
            return Optional.empty();
        }
        recordUse(owned.key());
        return Optional.of(owned.principal());
    }

    /**
     * What a SCRAM server-first-message names for an application: its salt and iteration count.
     *
     * @param mechanism the SASL mechanism name, {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}
     * @return empty when the mechanism is unknown, or the application does not exist or has no key
     */
    public Optional<ScramCredential> scramCredential(String applicationId, String mechanism) {
        Optional<ScramMechanism> scram = ScramMechanism.forName(mechanism);
        Optional<Application> application = tenants.application(applicationId);
        if (scram.isEmpty() || application.isEmpty() || application.get().keys().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ScramCredential(scram.get(), application.get().scramSalt(),
                application.get().scramIterations()));
    }

    /**
     * Checks a SCRAM client-final-message's proof against each key of the application (RFC 5802 section 3).
     *
     * @param mechanism   the SASL mechanism name, {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}
     * @param authMessage the UTF-8 bytes of {@code client-first-message-bare + "," + server-first-message + "," +
     *                    client-final-message-without-proof}
     * @param clientProof the decoded {@code p=} attribute of the client-final-message
     * @return the principal of the key the proof was made with, and the server signature to answer with; empty when
     *         no current key of the application matches
     */
    public Optional<ScramAuthentication> verifyScramProof(String applicationId, String mechanism, byte[] authMessage,
                                                          byte[] clientProof) {
        Optional<ScramMechanism> scram = ScramMechanism.forName(mechanism);
        Optional<Application> application = tenants.application(applicationId);
        if (scram.isEmpty() || application.isEmpty()) {
            return Optional.empty();
        }
        ScramFunctions functions = ScramFunctions.of(scram.get());
        for (ApiKey key : application.get().keys()) {
            ScramKeys keys = key.scramKeys().get(scram.get());
            if (keys != null && functions.verifyClientProof(keys, authMessage, clientProof)) {
                recordUse(key);
                return Optional.of(new ScramAuthentication(key.principal(applicationId),
                        functions.serverSignature(keys, authMessage)));
            }
        }
        return Optional.empty();
    }

    /**
     * Whether {@code principal}'s key is still current: a connection authenticated just before a revocation took
     * effect, but registered after its listeners ran, can check this.
     */
    public boolean isCurrent(Principal principal) {
        Tenants.OwnedKey owned = tenants.keyById(principal.keyId());
        return owned != null && owned.principal().equals(principal);
    }

    /** The application {@code id} as the registry now holds it, settings included. */
    public Optional<Application> application(String id) {
        return tenants.application(id);
    }

    /** Every application, ordered by id. */
    public List<Application> applications() {
        return tenants.applications();
    }

    /**
     * The public key id of a presented key, which may be logged (unlike the key), or empty when the string is not
     * shaped like a key.
     */
    public static Optional<String> publicKeyId(String presentedKey) {
        return Optional.ofNullable(KeyFormat.keyIdOf(presentedKey));
    }

    /**
     * Adds a listener told of every key that stops being valid, with the principal it authenticated as. Listeners
     * run on the registry's watcher thread once the new registry is in effect; they must not block, and what they
     * throw is logged and ignored.
     */
    public void onKeyRevoked(Consumer<Principal> listener) {
        revocationListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Reads the registry file again if it changed since it was last read, and tells the revocation listeners of the
     * keys that went away. The watcher thread calls this every {@value #POLL_INTERVAL_MS} ms.
     *
     * @return whether a new registry was put in effect
     */
    public boolean reloadIfChanged() {
        List<Principal> revoked;
        synchronized (this) {
            FileStamp current;
            try {
                current = FileStamp.of(file);
            } catch (IOException e) {
                LOG.error("Cannot check the tenant registry {} for changes: {}", file, e.getMessage());
                return false;
            }
            if (current.equals(stamp)) {
                return false;
            }
            Tenants next;
            try {
                next = TenantFile.read(file);
            } catch (IOException | IllegalStateException e) {
                LOG.error("Cannot reload the tenant registry {}; keeping the one read before: {}", file,
                        e.getMessage());
                // the same broken file is not worth an error every second; its next version is read again
                stamp = current;
                return false;
            }
            Tenants previous = tenants;
            tenants = next;
            stamp = current;
            revoked = previous.keysById().values().stream().map(Tenants.OwnedKey::principal)
                    .filter(principal -> !isCurrent(principal)).toList();
            LOG.info("Reloaded the tenant registry (generation {}): {} applications, {} keys, {} revoked",
                    next.generation(), next.applications().size(), next.keysById().size(), revoked.size());
        }
        for (Principal principal : revoked) {
            lastUsed.remove(principal.keyId());
            for (Consumer<Principal> listener : revocationListeners) {
                try {
                    listener.accept(principal);
                } catch (RuntimeException e) {
                    LOG.error("A key revocation listener failed for {}", principal, e);
                }
            }
        }
        return true;
    }

    /**
     * Writes the last-used times of current keys, if any changed since the last write. The watcher thread calls this
     * every {@value #LAST_USED_FLUSH_INTERVAL_MS} ms.
     *
     * @throws UncheckedIOException when the file cannot be written; the times are written again next time
     */
    public void flushLastUsed() {
        // the watcher and close() may flush at once; they must not share the temporary file
        synchronized (flushLock) {
            if (!lastUsedChanged.getAndSet(false)) {
                return;
            }
            Tenants current = tenants;
            Map<String, Long> snapshot = new HashMap<>();
            lastUsed.forEach((keyId, ms) -> {
                if (current.keyById(keyId) != null) {
                    snapshot.put(keyId, ms);
                }
            });
            try {
                LastUsedFile.write(lastUsedFile, snapshot);
            } catch (IOException e) {
                lastUsedChanged.set(true);
                throw new UncheckedIOException("Cannot write " + lastUsedFile + ": " + e.getMessage(), e);
            }
        }
    }

    /** Stops watching the file and writes the last-used times. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ScheduledExecutorService executor = watcher;
        if (executor != null) {
            executor.shutdownNow();
        }
        flushQuietly();
    }

    private void startWatching(long pollIntervalMs, long flushIntervalMs) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ferry-tenant-registry");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::reloadQuietly, pollIntervalMs, pollIntervalMs, TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(this::flushQuietly, flushIntervalMs, flushIntervalMs, TimeUnit.MILLISECONDS);
        watcher = executor;
    }

    private Tenants.OwnedKey find(String key) {
        String keyId = KeyFormat.keyIdOf(key);
        if (keyId == null) {
            return null;
        }
        Tenants.OwnedKey owned = tenants.keyById(keyId);
        return owned != null && owned.key().matches(key) ? owned : null;
    }

    private void recordUse(ApiKey key) {
        lastUsed.put(key.keyId(), clockMs.getAsLong());
        lastUsedChanged.set(true);
    }

    private void loadLastUsed() {
        try {
            lastUsed.putAll(LastUsedFile.read(lastUsedFile));
        } catch (IOException | IllegalStateException e) {
            // only a display aid: losing it must not keep the broker from starting
            LOG.warn("Ignoring the key last-used times in {}: {}", lastUsedFile, e.getMessage());
        }
    }

    private void reloadQuietly() {
        try {
            reloadIfChanged();
        } catch (RuntimeException e) {
            // an exception would cancel the periodic task
            LOG.error("Tenant registry reload failed", e);
        }
    }

    private void flushQuietly() {
        try {
            flushLastUsed();
        } catch (RuntimeException e) {
            LOG.warn("Cannot record when keys were last used: {}", e.getMessage());
        }
    }

    /**
     * What tells one version of the registry file from the next without reading all of it: the file's identity (an
     * atomic replace makes a new file), size and modification time, and the generation in its header, which every
     * write increments; the generation alone catches two writes within the modification time's resolution that
     * happen to reuse the first file's inode.
     */
    private record FileStamp(Object fileKey, long size, long modifiedNanos, long generation) {

        private static final FileStamp ABSENT = new FileStamp(null, -1, -1, -1);
        private static final int HEADER_LENGTH = TenantFileDescriptor.GENERATION_OFFSET + Long.BYTES;

        static FileStamp of(Path file) throws IOException {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH);
                while (header.hasRemaining()) {
                    if (channel.read(header) < 0) {
                        // shorter than a header: not a registry file, as reading it will report
                        break;
                    }
                }
                long generation = header.hasRemaining() ? -1 : header.getLong(TenantFileDescriptor.GENERATION_OFFSET);
                return new FileStamp(attributes.fileKey(), attributes.size(),
                        attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS), generation);
            } catch (NoSuchFileException e) {
                return ABSENT;
            }
        }
    }
}
