package dev.ferry.broker;

import dev.ferry.storage.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster id: the configured {@code cluster.id} if there is one, else the id persisted by an earlier start, else
 * a new one in Kafka's format (a random UUID as 22 characters of URL-safe base64), persisted before it is used.
 *
 * <p>The file {@value #FILE_NAME} in the metadata directory holds the id as one line; it is written to a temporary
 * file, forced to disk and renamed into place, so a crash leaves either no id or a whole one.
 */
final class ClusterIds {

    static final String FILE_NAME = "cluster.id";

    private static final Logger LOG = LoggerFactory.getLogger(ClusterIds.class);

    private ClusterIds() {
    }

    /**
     * Loads or creates the cluster id.
     *
     * @param configured  the configured cluster.id, or null
     * @param metadataDir the broker's metadata directory, created if missing
     */
    static String loadOrCreate(String configured, Path metadataDir) {
        Path file = metadataDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(metadataDir);
            String persisted = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).trim() : null;
            if (persisted != null && persisted.isEmpty()) {
                persisted = null;
            }
            if (configured != null && !configured.isBlank()) {
                if (persisted != null && !persisted.equals(configured)) {
                    LOG.warn("The configured cluster.id {} differs from the id {} stored in {}; using the configured"
                            + " one", configured, persisted, file);
                }
                if (persisted == null) {
                    write(file, configured);
                }
                return configured;
            }
            if (persisted != null) {
                return persisted;
            }
            String created = newId();
            write(file, created);
            LOG.info("Generated cluster id {} and stored it in {}", created, file);
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or store the cluster id in " + file, e);
        }
    }

    /** A random id as Kafka prints its UUIDs: 16 bytes in URL-safe base64 without padding. */
    static String newId() {
        while (true) {
            UUID uuid = UUID.randomUUID();
            ByteBuffer bytes = ByteBuffer.allocate(16);
            bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
            // Kafka never hands out an id starting with '-', which command lines would take for an option
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }

    private static void write(Path file, String id) throws IOException {
        AtomicFiles.write(file, (id + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
