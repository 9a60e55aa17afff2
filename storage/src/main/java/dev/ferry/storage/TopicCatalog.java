package dev.ferry.storage;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The durable list of topics: name, id, partition count and per-topic config overrides. Every change is
 * written to disk (atomically, by rename) before the method returns.
 *
 * <p><b>Thread-safety:</b> all methods are safe to call from any thread.
 */
public interface TopicCatalog {

    /** One topic's definition; {@code configs} holds only the overrides set on the topic. */
    record TopicDefinition(String name, UUID id, int partitions, Map<String, String> configs) {
    }

    Collection<TopicDefinition> topics();

    Optional<TopicDefinition> topic(String name);

    /** Stores a new topic or replaces an existing one of the same name. */
    void put(TopicDefinition topic);

    void remove(String name);
}
