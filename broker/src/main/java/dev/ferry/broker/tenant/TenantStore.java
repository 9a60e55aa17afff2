package dev.ferry.broker.tenant;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The registry as the {@code ferry app} and {@code ferry key} commands edit it: the registry file in a broker's
 * metadata directory, changed by read-modify-write. A running broker on the same directory picks every change up
 * within a second ({@link TenantRegistry}), without restarting.
 *
 * <p>Writers may be separate processes (two commands run at once) or threads of one: each change holds an exclusive
 * {@link FileLock} on the sibling file {@value #LOCK_FILE_NAME} from before it reads the registry until it has
 * replaced it, so no change is lost; since a JVM cannot lock one file twice, threads of one process first take a
 * lock of that process. Reads need no lock, as the file is only ever replaced whole.
 *
 * <p><b>Thread-safety:</b> safe for concurrent use, by any number of instances and processes.
 */
public final class TenantStore {

    /** The lock file's name, beside the registry file; it holds no data. */
    public static final String LOCK_FILE_NAME = "tenants.lock";

    private static final Map<Path, ReentrantLock> PROCESS_LOCKS = new ConcurrentHashMap<>();

    private final Path dir;
    private final Path file;
    private final Path lockFile;
    private final LongSupplier clockMs;
    private final KeyIssuer issuer;

    private TenantStore(Path metadataDir, LongSupplier clockMs, SecureRandom random) {
        this.dir = metadataDir;
        this.file = metadataDir.resolve(TenantFile.FILE_NAME);
        this.lockFile = metadataDir.resolve(LOCK_FILE_NAME);
        this.clockMs = clockMs;
        this.issuer = new KeyIssuer(random);
    }

    /**
     * The registry in a broker's metadata directory ({@code <first log dir>/.ferry}). Nothing is created until the
     * first change.
     */
    public static TenantStore open(Path metadataDir) {
        return open(metadataDir, System::currentTimeMillis, new SecureRandom());
    }

    static TenantStore open(Path metadataDir, LongSupplier clockMs, SecureRandom random) {
        return new TenantStore(metadataDir, clockMs, random);
    }

    /** Every application, ordered by id. */
    public List<Application> applications() {
        return read().applications();
    }

    public Optional<Application> application(String id) {
        return read().application(id);
    }

    /**
     * Creates an application without keys.
     *
     * @throws TenantException when the id is invalid, taken, or would let the topic names of the new application
     *                         and an existing one collide (see {@link TenantNames})
     */
    public Application createApplication(String id) {
        TenantNames.validateApplicationId(id);
        return update(tenants -> {
            if (tenants.application(id).isPresent()) {
                throw new TenantException("application " + id + " already exists");
            }
            TenantNames.conflictingApplication(id, tenants.applicationIds()).ifPresent(other -> {
                throw new TenantException("application id " + id + " is too close to the existing application "
                        + other + ": topic names differing only by '.' and '_' collide in Kafka");
            });
            Application application = issuer.newApplication(id, clockMs.getAsLong());
            return new Change<>(tenants.with(application), application);
        });
    }

    /**
     * Deletes an application and with it all its keys. Its topics and groups are not touched.
     *
     * @return the application as it was
     * @throws TenantException when there is no such application
     */
    public Application deleteApplication(String id) {
        return update(tenants -> {
            Application application = existing(tenants, id);
            return new Change<>(tenants.without(id), application);
        });
    }

    /**
     * Issues a new key.
     *
     * @throws TenantException when the application does not exist, or the name is invalid or taken in it
     */
    public IssuedKey createKey(String applicationId, String name, Role role) {
        TenantNames.validateKeyName(name);
        return update(tenants -> {
            Application application = existing(tenants, applicationId);
            if (application.key(name).isPresent()) {
                throw new TenantException("application " + applicationId + " already has a key named " + name);
            }
            return issue(tenants, application, name, role);
        });
    }

    /**
     * Revokes a key: it is deleted, and its name may be used again.
     *
     * @return the key as it was
     * @throws TenantException when there is no such application or key
     */
    public ApiKey revokeKey(String applicationId, String name) {
        return update(tenants -> {
            Application application = existing(tenants, applicationId);
            ApiKey key = existingKey(application, name);
            return new Change<>(tenants.with(application.withoutKey(name)), key);
        });
    }

    /**
     * Replaces a key by a new one of the same name and role; the old key stops working.
     *
     * @throws TenantException when there is no such application or key
     */
    public IssuedKey regenerateKey(String applicationId, String name) {
        return update(tenants -> {
            Application application = existing(tenants, applicationId);
            Role role = existingKey(application, name).role();
            return issue(tenants, application.withoutKey(name), name, role);
        });
    }

    /**
     * Sets or, when {@code value} is null, removes a per-application setting.
     *
     * @throws TenantException when there is no such application, or the name is empty
     */
    public Application setSetting(String applicationId, String name, String value) {
        Map<String, String> change = new HashMap<>();
        change.put(name, value);
        return setSettings(applicationId, change);
    }

    /**
     * Sets the settings of {@code changes} and removes those mapped to null, in one write: a broker reading the
     * registry sees all of them or none.
     *
     * @throws TenantException when there is no such application, or a name is empty
     */
    public Application setSettings(String applicationId, Map<String, String> changes) {
        for (String name : changes.keySet()) {
            if (name == null || name.isEmpty()) {
                throw new TenantException("a setting needs a name");
            }
        }
        return update(tenants -> {
            Application changed = existing(tenants, applicationId);
            for (Map.Entry<String, String> setting : changes.entrySet()) {
                changed = changed.withSetting(setting.getKey(), setting.getValue());
            }
            return new Change<>(tenants.with(changed), changed);
        });
    }

    /**
     * When each key last authenticated, in milliseconds since the epoch, by key id; keys never used are absent. A
     * running broker records this at most a minute late.
     */
    public Map<String, Long> lastUsed() {
        Path lastUsedFile = dir.resolve(LastUsedFile.FILE_NAME);
        try {
            return LastUsedFile.read(lastUsedFile);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + lastUsedFile + ": " + e.getMessage(), e);
        }
    }

    /** The registry file. */
    public Path file() {
        return file;
    }

    private Change<IssuedKey> issue(Tenants tenants, Application application, String name, Role role) {
        IssuedKey issued = issuer.issue(application, name, role, clockMs.getAsLong(),
                keyId -> tenants.keyById(keyId) != null);
        return new Change<>(tenants.with(application.withKey(issued.apiKey())), issued);
    }

    private static Application existing(Tenants tenants, String id) {
        return tenants.application(id).orElseThrow(() -> new TenantException("no application " + id));
    }

    private static ApiKey existingKey(Application application, String name) {
        return application.key(name).orElseThrow(
                () -> new TenantException("application " + application.id() + " has no key named " + name));
    }

    private Tenants read() {
        try {
            return TenantFile.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Applies {@code change} to the current registry and writes the result, holding both locks throughout. */
    private <T> T update(Function<Tenants, Change<T>> change) {
        ReentrantLock processLock = PROCESS_LOCKS.computeIfAbsent(lockFile.toAbsolutePath().normalize(),
                path -> new ReentrantLock());
        processLock.lock();
        try {
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
                Tenants current = TenantFile.read(file);
                Change<T> changed = change.apply(current);
                TenantFile.write(file, changed.tenants().withGeneration(current.generation() + 1));
                return changed.result();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot update " + file + ": " + e.getMessage(), e);
        } finally {
            processLock.unlock();
        }
    }

    private record Change<T>(Tenants tenants, T result) {
    }
}
