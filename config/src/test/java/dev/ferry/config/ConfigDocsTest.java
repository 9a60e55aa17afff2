package dev.ferry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigDocsTest {

    private static final Path README = Path.of("..", "README.md");

    @Test
    void shouldRenderOneRowPerSettingWithDefaultAndRule() {
        List<String> lines = ConfigDocs.markdownTable().lines().toList();
        assertEquals("| Setting | Default | Description |", lines.get(0));
        assertEquals("|---|---|---|", lines.get(1));
        assertEquals(BrokerConfigs.ALL.size() + 2, lines.size());
        assertTrue(lines.contains("| `num.partitions` | `3` | Partitions of a topic created without a partition "
                + "count, auto-created topics included. Must be at least 1. |"), lines.toString());
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("| `cluster.id` | none | ")), lines.toString());
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("| `log.retention.ms` | `259200000` | ")
                && line.contains("`log.retention.hours`")), lines.toString());
    }

    @Test
    void shouldMatchTheTableInTheReadme() throws IOException {
        String expected = ConfigDocs.START_MARKER + "\n" + ConfigDocs.markdownTable() + ConfigDocs.END_MARKER;
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int start = readme.indexOf(ConfigDocs.START_MARKER);
        int end = readme.indexOf(ConfigDocs.END_MARKER);
        if (start < 0 || end < start) {
            fail("README.md has no configuration table between " + ConfigDocs.START_MARKER + " and "
                    + ConfigDocs.END_MARKER + "; add this:\n\n" + expected + "\n");
        }
        String actual = readme.substring(start, end + ConfigDocs.END_MARKER.length()).replace("\r\n", "\n");
        if (!actual.equals(expected)) {
            fail("README.md's configuration table differs from the settings; replace it with:\n\n" + expected + "\n");
        }
    }
}
