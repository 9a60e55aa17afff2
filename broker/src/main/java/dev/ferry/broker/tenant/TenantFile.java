package dev.ferry.broker.tenant;

import static dev.ferry.broker.tenant.TenantFileDescriptor.APPLICATIONS_OFFSET;
import static dev.ferry.broker.tenant.TenantFileDescriptor.APPLICATION_COUNT_OFFSET;
import static dev.ferry.broker.tenant.TenantFileDescriptor.GENERATION_OFFSET;
import static dev.ferry.broker.tenant.TenantFileDescriptor.MAGIC;
import static dev.ferry.broker.tenant.TenantFileDescriptor.MAGIC_OFFSET;
import static dev.ferry.broker.tenant.TenantFileDescriptor.MIN_LENGTH;
import static dev.ferry.broker.tenant.TenantFileDescriptor.VERSION;
import static dev.ferry.broker.tenant.TenantFileDescriptor.VERSION_OFFSET;

import dev.ferry.storage.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes the registry file, whose layout is {@link TenantFileDescriptor}'s. Writes replace the file
 * atomically ({@link AtomicFiles}), so a reader (the broker) sees a whole old or a whole new registry and needs no
 * lock; writers serialise through {@link TenantStore}'s lock.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
final class TenantFile {

    /** The registry file's name in the broker's metadata directory. */
    static final String FILE_NAME = "tenants";

    private TenantFile() {
    }

    /**
     * The registry in {@code file}; empty (generation 0) when there is no file.
     *
     * @throws IOException           when the file cannot be read
     * @throws IllegalStateException when it is not a valid registry file
     */
    static Tenants read(Path file) throws IOException {
        byte[] content = RegistryFiles.readIfExists(file);
        return content == null ? Tenants.empty() : decode(content, file.toString());
    }

    /** Replaces {@code file} with {@code tenants}, atomically and durably. */
    static void write(Path file, Tenants tenants) throws IOException {
        AtomicFiles.write(file, encode(tenants));
    }

    static byte[] encode(Tenants tenants) {
        RegistryFiles.Writer out = new RegistryFiles.Writer()
                .writeInt(MAGIC)
                .writeInt(VERSION)
                .writeLong(tenants.generation())
                .writeInt(tenants.applications().size());
        for (Application application : tenants.applications()) {
            out.writeString(application.id())
                    .writeLong(application.createdMs())
                    .writeInt(application.scramIterations())
                    .writeBytes(application.scramSalt())
                    .writeInt(application.settings().size());
            application.settings().forEach((name, value) -> out.writeString(name).writeString(value));
            out.writeInt(application.keys().size());
            for (ApiKey key : application.keys()) {
                out.writeString(key.name())
                        .writeString(key.keyId())
                        .writeByte(TenantFileDescriptor.roleCode(key.role()))
                        .writeLong(key.createdMs())
                        .writeBytes(key.hashSalt())
                        .writeBytes(key.keyHash())
                        .writeByte(key.scramKeys().size());
                key.scramKeys().forEach((mechanism, keys) -> out.writeByte(mechanism.code())
                        .writeBytes(keys.storedKey())
                        .writeBytes(keys.serverKey()));
            }
        }
        return out.toBytesWithChecksum();
    }

    /**
     * Decodes a registry file's content.
     *
     * @param source names the content in error messages
     * @throws IllegalStateException when the content is not a whole, valid registry file
     */
    static Tenants decode(byte[] content, String source) {
        RegistryFiles.Reader in = RegistryFiles.verifiedReader(content, MIN_LENGTH, APPLICATIONS_OFFSET, source);
        ByteBuffer header = ByteBuffer.wrap(content);
        if (header.getInt(MAGIC_OFFSET) != MAGIC) {
            throw new IllegalStateException(source + " is not a tenant registry file");
        }
        if (header.getInt(VERSION_OFFSET) != VERSION) {
            throw new IllegalStateException(source + " has unknown format version " + header.getInt(VERSION_OFFSET));
        }
        long generation = header.getLong(GENERATION_OFFSET);
        int applicationCount = header.getInt(APPLICATION_COUNT_OFFSET);
        if (applicationCount < 0) {
            throw in.corrupt("a negative application count");
        }
        Map<String, Application> applications = new LinkedHashMap<>();
        try {
            for (int i = 0; i < applicationCount; i++) {
                Application application = readApplication(in);
                if (applications.put(application.id(), application) != null) {
                    throw in.corrupt("application " + application.id() + " appears twice");
                }
            }
            in.expectEnd();
            return new Tenants(generation, applications);
        } catch (IllegalArgumentException | TenantException e) {
            // a name, role or mechanism the model refuses: the file was not written by this code
            throw in.corrupt(e.getMessage());
        }
    }

    private static Application readApplication(RegistryFiles.Reader in) {
        String id = in.readString();
        long createdMs = in.readLong();
        int iterations = in.readInt();
        byte[] salt = in.readBytes();
        int settingCount = in.readCount();
        Map<String, String> settings = new TreeMap<>();
        for (int i = 0; i < settingCount; i++) {
            settings.put(in.readString(), in.readString());
        }
        int keyCount = in.readCount();
        Map<String, ApiKey> keys = new HashMap<>();
        for (int i = 0; i < keyCount; i++) {
            ApiKey key = readKey(in);
            if (keys.put(key.name(), key) != null) {
                throw in.corrupt("application " + id + " has two keys named " + key.name());
            }
        }
        return new Application(id, createdMs, salt, iterations, settings, keys);
    }

    private static ApiKey readKey(RegistryFiles.Reader in) {
        String name = in.readString();
        String keyId = in.readString();
        Role role = TenantFileDescriptor.role(in.readByte());
        long createdMs = in.readLong();
        byte[] hashSalt = in.readBytes();
        byte[] keyHash = in.readBytes();
        int scramCount = in.readByte();
        Map<ScramMechanism, ScramKeys> scram = new EnumMap<>(ScramMechanism.class);
        for (int i = 0; i < scramCount; i++) {
            ScramMechanism mechanism = ScramMechanism.forCode(in.readByte());
            scram.put(mechanism, new ScramKeys(in.readBytes(), in.readBytes()));
        }
        return new ApiKey(name, keyId, role, createdMs, hashSalt, keyHash, scram);
    }
}
