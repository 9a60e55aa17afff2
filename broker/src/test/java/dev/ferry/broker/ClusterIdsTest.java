package dev.ferry.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterIdsTest {

    @TempDir
    Path dir;

    @Test
    void shouldGenerateOnceAndReuseAfterwards() throws Exception {
        Path metadataDir = dir.resolve(".ferry");

        String first = ClusterIds.loadOrCreate(null, metadataDir);
        String second = ClusterIds.loadOrCreate(null, metadataDir);

        assertEquals(first, second);
        assertEquals(first + "\n", Files.readString(metadataDir.resolve(ClusterIds.FILE_NAME), StandardCharsets.UTF_8));
        assertEquals(22, first.length(), "a UUID in unpadded base64 is 22 characters");
        assertTrue(first.matches("[A-Za-z0-9_][A-Za-z0-9_-]{21}"), first);
    }

    @Test
    void shouldPreferConfiguredIdAndStoreItWhenNoneIsStored() throws Exception {
        String id = ClusterIds.loadOrCreate("my-cluster", dir);

        assertEquals("my-cluster", id);
        assertEquals("my-cluster", Files.readString(dir.resolve(ClusterIds.FILE_NAME)).trim());
    }

    @Test
    void shouldLetConfiguredIdWinOverStoredOne() {
        String stored = ClusterIds.loadOrCreate(null, dir);

        assertEquals("configured", ClusterIds.loadOrCreate("configured", dir));
        assertEquals(stored, ClusterIds.loadOrCreate(null, dir), "the stored id is left in place");
    }

    @Test
    void shouldGenerateDifferentIds() {
        assertNotEquals(ClusterIds.newId(), ClusterIds.newId());
    }
}
