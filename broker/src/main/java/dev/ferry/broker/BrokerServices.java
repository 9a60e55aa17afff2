package dev.ferry.broker;

import dev.ferry.broker.topic.TopicManager;
import dev.ferry.config.FerryConfig;
import dev.ferry.storage.LogManager;
import java.nio.file.Path;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The long-lived parts of a running broker that handlers are built from.
 *
 * @param config      the validated configuration
 * @param topics      topic definitions, auto-creation and partition logs
 * @param logManager  the storage engine
 * @param scheduler   a shared timer for delayed work (long-poll timeouts); tasks must be short and non-blocking
 * @param metadataDir a directory for broker-wide state files (cluster id, producer id blocks)
 */
public record BrokerServices(FerryConfig config, TopicManager topics, LogManager logManager,
                             ScheduledExecutorService scheduler, Path metadataDir) {
}
