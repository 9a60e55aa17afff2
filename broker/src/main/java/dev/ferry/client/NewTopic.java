package dev.ferry.client;

import java.util.Map;
import java.util.Objects;

/**
 * A topic to create.
 *
 * @param name              the topic name
 * @param partitions        the partition count, or -1 for the broker's {@code num.partitions}
 * @param replicationFactor the replication factor, or -1 for the broker's default
 * @param configs           topic configuration overrides by name
 */
public record NewTopic(String name, int partitions, short replicationFactor, Map<String, String> configs) {

    public NewTopic {
        Objects.requireNonNull(name, "name");
        configs = configs == null ? Map.of() : Map.copyOf(configs);
    }
}
