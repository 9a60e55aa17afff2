package dev.ferry.broker.group.consumer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.broker.topic.TopicManager;
import dev.ferry.config.FerryConfig;
import dev.ferry.storage.LogManager;
import dev.ferry.storage.StorageConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A real topic manager over storage in a temporary directory. */
final class TopicsForTest implements AutoCloseable {

    final TopicManager topics;
    private final LogManager logManager;

    TopicsForTest(Path dir) {
        FerryConfig config = FerryConfig.of(Map.of("log.dirs", dir.toString(), "listeners",
                "PLAINTEXT://127.0.0.1:0"));
        logManager = LogManager.open(new StorageConfig(List.of(dir), 64, 60_000, 1_000));
        topics = new TopicManager(config, logManager);
    }

    /** Creates a topic and returns its id. */
    UUID create(String name, int partitions) {
        TopicManager.Result result = topics.create(name, partitions, Map.of(), false);
        assertTrue(result.isOk(), () -> String.valueOf(result.message()));
        return result.topic().id();
    }

    void grow(String name, int partitions) {
        assertTrue(topics.createPartitions(name, partitions, false).isOk());
    }

    void delete(String name) {
        assertTrue(topics.delete(name).isOk());
    }

    @Override
    public void close() {
        logManager.close();
    }
}
