package dev.ferry.storage.internal;

import static dev.ferry.storage.internal.StorageTestSupport.open;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.LogConfig;
import dev.ferry.storage.TopicCatalog.TopicDefinition;
import dev.ferry.storage.TopicPartition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTopicCatalogTest {

    @TempDir
    Path dir;

    private DefaultLogManager manager;

    @AfterEach
    void closeManager() {
        if (manager != null) {
            manager.close();
        }
    }

    @Test
    void shouldKeepTopicsAcrossRestarts() {
        manager = open(dir);
        final TopicDefinition orders = new TopicDefinition("orders.v1_eu-west", UUID.randomUUID(), 6,
                Map.of("retention.ms", "86400000", "cleanup.policy", "delete"));
        final TopicDefinition odd = new TopicDefinition("a.config.b", UUID.randomUUID(), 1,
                Map.of("weird key = : #!", " leading space, tab\t, newline\n, unicode \u00e9\u4e2d \\ done"));
        manager.catalog().put(orders);
        manager.catalog().put(odd);
        manager.close();

        manager = open(dir);
        assertEquals(Optional.of(orders), manager.catalog().topic("orders.v1_eu-west"));
        assertEquals(Optional.of(odd), manager.catalog().topic("a.config.b"));
        assertEquals(2, manager.catalog().topics().size());
    }

    @Test
    void shouldReplaceAndRemoveTopicsDurably() {
        manager = open(dir);
        final UUID first = UUID.randomUUID();
        manager.catalog().put(new TopicDefinition("t", first, 1, Map.of("a", "1")));
        final TopicDefinition recreated = new TopicDefinition("t", UUID.randomUUID(), 3, Map.of());
        manager.catalog().put(recreated);
        manager.catalog().put(new TopicDefinition("gone", UUID.randomUUID(), 1, Map.of()));
        manager.catalog().remove("gone");
        manager.catalog().remove("never-existed");
        manager.halt();

        manager = open(dir);
        assertEquals(Set.of("t"), manager.catalog().topics().stream().map(TopicDefinition::name)
                .collect(Collectors.toSet()));
        assertEquals(Optional.of(recreated), manager.catalog().topic("t"));
    }

    @Test
    void shouldKeepTheCatalogApartFromPartitionDirectories() {
        manager = open(dir);
        manager.catalog().put(new TopicDefinition(".ferry", UUID.randomUUID(), 1, Map.of()));
        manager.getOrCreateLog(new TopicPartition(".ferry", 0), LogConfig.defaults())
                .append(TestBatches.records(1, 1), 1);
        manager.close();
        assertTrue(Files.isRegularFile(dir.resolve(".ferry").resolve("topics.properties")));
        assertTrue(Files.isDirectory(dir.resolve(".ferry-0")));

        manager = open(dir);
        assertEquals(1, manager.logs().size());
        assertEquals(1, manager.log(new TopicPartition(".ferry", 0)).orElseThrow().logEndOffset());
        assertTrue(manager.catalog().topic(".ferry").isPresent());
        assertFalse(manager.log(new TopicPartition("ferry", 0)).isPresent());
    }
}
