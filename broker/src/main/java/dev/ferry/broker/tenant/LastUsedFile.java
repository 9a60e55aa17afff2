package dev.ferry.broker.tenant;

import static dev.ferry.broker.tenant.LastUsedFileDescriptor.ENTRIES_OFFSET;
import static dev.ferry.broker.tenant.LastUsedFileDescriptor.ENTRY_COUNT_OFFSET;
import static dev.ferry.broker.tenant.LastUsedFileDescriptor.MAGIC;
import static dev.ferry.broker.tenant.LastUsedFileDescriptor.MAGIC_OFFSET;
import static dev.ferry.broker.tenant.LastUsedFileDescriptor.MIN_LENGTH;
import static dev.ferry.broker.tenant.LastUsedFileDescriptor.VERSION;
import static dev.ferry.broker.tenant.LastUsedFileDescriptor.VERSION_OFFSET;

import dev.ferry.storage.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads and writes the last-used times of keys, in {@link LastUsedFileDescriptor}'s layout. Only the broker writes
 * the file (atomically, at most once per flush interval); the command line only reads it.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
final class LastUsedFile {

    /** The file's name in the broker's metadata directory. */
    static final String FILE_NAME = "tenant-keys-last-used";

    private LastUsedFile() {
    }

    /**
     * Last-used times in milliseconds since the epoch, by key id; empty when there is no file.
     *
     * @throws IOException           when the file cannot be read
     * @throws IllegalStateException when it is not a valid last-used file
     */
    static Map<String, Long> read(Path file) throws IOException {
        byte[] content = RegistryFiles.readIfExists(file);
        return content == null ? Map.of() : decode(content, file.toString());
    }

    static void write(Path file, Map<String, Long> lastUsed) throws IOException {
        AtomicFiles.write(file, encode(lastUsed));
    }

    static byte[] encode(Map<String, Long> lastUsed) {
        RegistryFiles.Writer out = new RegistryFiles.Writer()
                .writeInt(MAGIC)
                .writeInt(VERSION)
                .writeInt(lastUsed.size());
        new TreeMap<>(lastUsed).forEach((keyId, ms) -> out.writeString(keyId).writeLong(ms));
        return out.toBytesWithChecksum();
    }

    static Map<String, Long> decode(byte[] content, String source) {
        RegistryFiles.Reader in = RegistryFiles.verifiedReader(content, MIN_LENGTH, ENTRIES_OFFSET, source);
        ByteBuffer header = ByteBuffer.wrap(content);
        if (header.getInt(MAGIC_OFFSET) != MAGIC) {
            throw new IllegalStateException(source + " is not a key last-used file");
        }
        if (header.getInt(VERSION_OFFSET) != VERSION) {
            throw new IllegalStateException(source + " has unknown format version " + header.getInt(VERSION_OFFSET));
        }
        int count = header.getInt(ENTRY_COUNT_OFFSET);
        if (count < 0) {
            throw in.corrupt("a negative entry count");
        }
        SortedMap<String, Long> lastUsed = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            lastUsed.put(in.readString(), in.readLong());
        }
        in.expectEnd();
        return Collections.unmodifiableSortedMap(lastUsed);
    }
}
