package dev.ferry.broker.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LastUsedFileTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadBackEveryEntryInKeyIdOrder() throws IOException {
        Path file = dir.resolve(LastUsedFile.FILE_NAME);
        Map<String, Long> lastUsed = Map.of("zzzzzzzzzzzz", 3L, "aaaaaaaaaaaa", 1_700_000_000_000L, "mmmm", 0L);

        LastUsedFile.write(file, lastUsed);
        Map<String, Long> read = LastUsedFile.read(file);

        assertEquals(lastUsed, read);
        assertEquals(List.of("aaaaaaaaaaaa", "mmmm", "zzzzzzzzzzzz"), List.copyOf(read.keySet()));
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
        assertEquals(LastUsedFileDescriptor.MAGIC, bytes.getInt(LastUsedFileDescriptor.MAGIC_OFFSET));
        assertEquals(3, bytes.getInt(LastUsedFileDescriptor.ENTRY_COUNT_OFFSET));
    }

    @Test
    void shouldReadAMissingFileAsNoEntries() throws IOException {
        assertEquals(Map.of(), LastUsedFile.read(dir.resolve("absent")));
    }

    @Test
    void shouldRefuseADamagedFile() {
        byte[] bytes = LastUsedFile.encode(Map.of("aaaaaaaaaaaa", 5L));
        bytes[LastUsedFileDescriptor.ENTRIES_OFFSET + 3] ^= 1;

        assertEquals("f is corrupt: its checksum does not match",
                assertThrows(IllegalStateException.class, () -> LastUsedFile.decode(bytes, "f")).getMessage());
        assertEquals("f is not a key last-used file", assertThrows(IllegalStateException.class,
                () -> LastUsedFile.decode(TenantFile.encode(Tenants.empty()), "f")).getMessage());
    }
}
