package dev.ferry.broker;

import dev.ferry.broker.topic.StorageQuota;
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
 * @param metadataDir  a directory for broker-wide state files (cluster id, producer id blocks)
 * @param storageQuota what each tenant application may store
 */
public record BrokerServices(FerryConfig config, TopicManager topics, LogManager logManager,
                             ScheduledExecutorService scheduler, Path metadataDir, StorageQuota storageQuota) {

    /** The services of a broker that limits no one's storage. */
    public BrokerServices(FerryConfig config, TopicManager topics, LogManager logManager,
                          ScheduledExecutorService scheduler, Path metadataDir) {
        this(config, topics, logManager, scheduler, metadataDir, StorageQuota.NONE);
    }
}
