package dev.ferry.broker.topic;

import dev.ferry.config.ConfigException;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.TopicConfigs;
import dev.ferry.config.TopicSettings;
import dev.ferry.protocol.Errors;
import dev.ferry.storage.Log;
import dev.ferry.storage.LogConfig;
import dev.ferry.storage.LogManager;
import dev.ferry.storage.TopicCatalog;
import dev.ferry.storage.TopicCatalog.TopicDefinition;
import dev.ferry.storage.TopicPartition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's topics: their definitions (persisted in the storage's {@link TopicCatalog}), their effective settings
 * and their partition logs.
 *
 * <p>Logs are opened lazily, on the first {@link #log} call for a partition, with the topic's settings mapped onto a
 * storage {@link LogConfig}; a config change is applied to every open log of the topic at once.
 *
 * <p><b>Thread-safety:</b> all methods are safe to call from any thread. Reads ({@link #topic}, {@link #log} of an
 * open partition, {@link #settings}) take no lock; changes (create, delete, alter, the first open of a log) are
 * serialised on one lock so that a log is never re-created for a topic that is being deleted.
 */
public final class TopicManager {

    /**
     * Most partitions one topic may have. Kafka's controller refuses any single operation producing more than
     * 10,000 metadata records with POLICY_VIOLATION; a topic creation writes one record per partition plus one.
     */
    public static final int MAX_PARTITIONS = 9_999;

    private static final Logger LOG = LoggerFactory.getLogger(TopicManager.class);

    /** A topic's definition; {@code configs} holds only the overrides set on the topic. */
    public record TopicInfo(String name, UUID id, int partitions, Map<String, String> configs) {
    }

    /** The answer to {@link #lookupOrCreate}: {@code topic} is null unless {@code error} is NONE. */
    public record Lookup(Errors error, TopicInfo topic) {
    }

    /**
     * The outcome of a change: {@code topic} is the topic as it is (or, with validateOnly, would be) after the change,
     * null unless {@code error} is NONE; {@code message} explains a failure, null otherwise.
     */
    public record Result(Errors error, String message, TopicInfo topic) {

        static Result ok(TopicInfo topic) {
            return new Result(Errors.NONE, null, topic);
        }

        static Result failed(Errors error, String message) {
            return new Result(error, message, null);
        }

        public boolean isOk() {
            return error == Errors.NONE;
        }
    }

    /** One topic's definition with what is derived from it; replaced as a whole on every change. */
    private record Entry(TopicInfo info, TopicSettings settings, LogConfig logConfig,
                         AtomicReferenceArray<Log> logs) {
    }

    private final FerryConfig config;
    private final LogManager logManager;
    private final TopicCatalog catalog;
    private final Map<String, Entry> byName = new ConcurrentHashMap<>();
    private final Map<UUID, Entry> byId = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private final PartitionLimits partitionLimits;

    /**
     * Loads the topics of the storage's catalog and applies their settings to any log the storage already opened.
     *
     * @throws ConfigException when a persisted override is no longer valid
     */
    public TopicManager(FerryConfig config, LogManager logManager) {
        this(config, logManager, PartitionLimits.NONE);
    }

    /**
     * Loads the topics as above; creations and partition increases must also stay within {@code partitionLimits}.
     *
     * @throws ConfigException when a persisted override is no longer valid
     */
    public TopicManager(FerryConfig config, LogManager logManager, PartitionLimits partitionLimits) {
        this.partitionLimits = partitionLimits;
        this.config = config;
        this.logManager = logManager;
        this.catalog = logManager.catalog();
        for (TopicDefinition definition : catalog.topics()) {
            TopicInfo info = new TopicInfo(definition.name(), definition.id(), definition.partitions(),
                    Map.copyOf(definition.configs()));
            Entry entry = newEntry(info, new AtomicReferenceArray<>(info.partitions()));
            byName.put(info.name(), entry);
            byId.put(info.id(), entry);
        }
        for (Log log : logManager.logs()) {
            TopicPartition tp = log.topicPartition();
            Entry entry = byName.get(tp.topic());
            if (entry != null && tp.partition() < entry.info().partitions()) {
                applyConfig(log, entry.logConfig());
                entry.logs().set(tp.partition(), log);
            }
        }
    }

    public Optional<TopicInfo> topic(String name) {
        Entry entry = name == null ? null : byName.get(name);
        return entry == null ? Optional.empty() : Optional.of(entry.info());
    }

    public Optional<TopicInfo> topic(UUID id) {
        Entry entry = id == null ? null : byId.get(id);
        return entry == null ? Optional.empty() : Optional.of(entry.info());
    }

    /** Every topic, in no particular order. */
    public Collection<TopicInfo> topics() {
        List<TopicInfo> topics = new ArrayList<>(byName.size());
        for (Entry entry : byName.values()) {
            topics.add(entry.info());
        }
        return topics;
    }

    /**
     * The existing topic, or a topic auto-created with {@code num.partitions} partitions when
     * {@code auto.create.topics.enable} and {@code allowAutoCreate} both allow it and the name is legal.
     * Otherwise UNKNOWN_TOPIC_OR_PARTITION, or INVALID_TOPIC_EXCEPTION for an illegal or colliding name
     * (Kafka's Metadata reports an illegal name as such even when it would not auto-create).
     */
    public Lookup lookupOrCreate(String name, boolean allowAutoCreate) {
        Entry entry = name == null ? null : byName.get(name);
        if (entry != null) {
            return new Lookup(Errors.NONE, entry.info());
        }
        if (!TopicNames.isValid(name)) {
            return new Lookup(Errors.INVALID_TOPIC_EXCEPTION, null);
        }
        if (!allowAutoCreate || !config.autoCreateTopicsEnable()) {
            return new Lookup(Errors.UNKNOWN_TOPIC_OR_PARTITION, null);
        }
        Result result = create(name, config.numPartitions(), Map.of(), false);
        if (result.isOk()) {
            LOG.debug("Auto-created topic {} with {} partition(s)", name, result.topic().partitions());
            return new Lookup(Errors.NONE, result.topic());
        }
        if (result.error() == Errors.TOPIC_ALREADY_EXISTS) {
            // another request created it between our look-up and our create
            return topic(name).map(t -> new Lookup(Errors.NONE, t))
                    .orElseGet(() -> new Lookup(Errors.UNKNOWN_TOPIC_OR_PARTITION, null));
        }
        return new Lookup(result.error(), null);
    }

    /**
     * The partition's log, opened (or created empty) on first use; empty if the topic or the partition does not
     * exist.
     */
    public Optional<Log> log(String topic, int partition) {
        Entry entry = topic == null ? null : byName.get(topic);
        if (entry == null || partition < 0 || partition >= entry.info().partitions()) {
            return Optional.empty();
        }
        Log log = entry.logs().get(partition);
        if (log != null) {
            return Optional.of(log);
        }
        synchronized (lock) {
            Entry current = byName.get(topic);
            if (current == null || partition >= current.info().partitions()) {
                return Optional.empty();
            }
            log = current.logs().get(partition);
            if (log == null) {
                log = logManager.getOrCreateLog(new TopicPartition(topic, partition), current.logConfig());
                applyConfig(log, current.logConfig());
                current.logs().set(partition, log);
            }
            return Optional.of(log);
        }
    }

    /**
     * Whether an append to the partition waits on nothing slower than the page cache: the partition exists, its log
     * is open and loaded already (opening or loading one reads, and after a crash recovers, its files) and the
     * topic's {@code flush.messages} does not make appends fsync. Creating a topic is slow too (its catalog entry is
     * made durable), so an unknown topic answers false.
     */
    public boolean appendsWithoutWaiting(String topic, int partition) {
        Entry entry = topic == null ? null : byName.get(topic);
        if (entry == null || partition < 0 || partition >= entry.info().partitions()) {
            return false;
        }
        Log log = entry.logs().get(partition);
        return log != null && log.isLoaded() && entry.logConfig().flushMessages() == Long.MAX_VALUE;
    }

    /**
     * Effective settings of a topic: the broker's defaults overlaid with the topic's overrides. For a topic that
     * does not exist (for instance, deleted while a request was in flight), the broker's defaults.
     */
    public TopicSettings settings(String topic) {
        Entry entry = topic == null ? null : byName.get(topic);
        return entry == null ? TopicConfigs.resolve(config, Map.of()) : entry.settings();
    }

    /**
     * Creates a topic, persisting it before returning; its logs are created on first use.
     *
     * @param partitions   the partition count, already defaulted by the caller (-1 is not accepted here)
     * @param configs      topic config overrides, validated here
     * @param validateOnly check everything, change nothing
     * @return NONE with the new topic; INVALID_TOPIC_EXCEPTION, TOPIC_ALREADY_EXISTS, INVALID_PARTITIONS,
     *         INVALID_CONFIG or POLICY_VIOLATION (too many partitions) with a message
     */
    public Result create(String name, int partitions, Map<String, String> configs, boolean validateOnly) {
        String invalid = TopicNames.invalidReason(name);
        if (invalid != null) {
            return Result.failed(Errors.INVALID_TOPIC_EXCEPTION, invalid);
        }
        if (partitions <= 0) {
            return Result.failed(Errors.INVALID_PARTITIONS,
                    "Number of partitions was set to an invalid non-positive value.");
        }
        if (partitions > MAX_PARTITIONS) {
            return Result.failed(Errors.POLICY_VIOLATION, "Unable to perform excessively large batch operation.");
        }
        Map<String, String> overrides;
        try {
            overrides = Map.copyOf(TopicConfigs.validate(configs));
        } catch (ConfigException e) {
            return Result.failed(Errors.INVALID_CONFIG, e.getMessage());
        }
        synchronized (lock) {
            if (byName.containsKey(name)) {
                return Result.failed(Errors.TOPIC_ALREADY_EXISTS, "Topic '" + name + "' already exists.");
            }
            String collision = collidingTopic(name);
            if (collision != null) {
                return Result.failed(Errors.INVALID_TOPIC_EXCEPTION,
                        "Topic '" + name + "' collides with existing topic: " + collision);
            }
            String overLimit = overPartitionLimit(name, partitions);
            if (overLimit != null) {
                return Result.failed(Errors.POLICY_VIOLATION, overLimit);
            }
            TopicInfo info = new TopicInfo(name, newTopicId(), partitions, overrides);
            if (validateOnly) {
                return Result.ok(info);
            }
            // a crash during an earlier delete of a same-named topic may have left logs behind: never resurrect them
            for (int p = 0; p < partitions; p++) {
                TopicPartition tp = new TopicPartition(name, p);
                if (logManager.log(tp).isPresent()) {
                    logManager.deleteLog(tp);
                }
            }
            catalog.put(new TopicDefinition(name, info.id(), partitions, overrides));
            Entry entry = newEntry(info, new AtomicReferenceArray<>(partitions));
            byName.put(name, entry);
            byId.put(info.id(), entry);
            LOG.info("Created topic {} (id {}) with {} partition(s) and overrides {}", name, info.id(), partitions,
                    overrides);
            return Result.ok(info);
        }
    }

    /**
     * Deletes a topic: its logs and files first, then its catalog entry, so that a crash in between leaves an empty
     * topic rather than data that reappears.
     *
     * @return NONE, UNKNOWN_TOPIC_OR_PARTITION, or TOPIC_DELETION_DISABLED when delete.topic.enable is false
     */
    public Result delete(String name) {
        if (!config.deleteTopicEnable()) {
            return Result.failed(Errors.TOPIC_DELETION_DISABLED, "Topic deletion is disabled.");
        }
        synchronized (lock) {
            Entry entry = name == null ? null : byName.get(name);
            if (entry == null) {
                return Result.failed(Errors.UNKNOWN_TOPIC_OR_PARTITION, null);
            }
            byName.remove(name);
            byId.remove(entry.info().id());
            for (int p = 0; p < entry.info().partitions(); p++) {
                TopicPartition tp = new TopicPartition(name, p);
                if (entry.logs().get(p) != null || logManager.log(tp).isPresent()) {
                    logManager.deleteLog(tp);
                }
            }
            catalog.remove(name);
            LOG.info("Deleted topic {} (id {})", name, entry.info().id());
            return Result.ok(entry.info());
        }
    }

    /**
     * Raises a topic's partition count; new partitions start empty.
     *
     * @return NONE with the resized topic, UNKNOWN_TOPIC_OR_PARTITION, INVALID_PARTITIONS when {@code newCount} is
     *         not an increase, or POLICY_VIOLATION beyond {@link #MAX_PARTITIONS}
     */
    public Result createPartitions(String name, int newCount, boolean validateOnly) {
        synchronized (lock) {
            Entry entry = name == null ? null : byName.get(name);
            if (entry == null) {
                return Result.failed(Errors.UNKNOWN_TOPIC_OR_PARTITION, null);
            }
            int current = entry.info().partitions();
            if (newCount == current) {
                return Result.failed(Errors.INVALID_PARTITIONS, "Topic already has " + current + " partition(s).");
            }
            if (newCount < current) {
                return Result.failed(Errors.INVALID_PARTITIONS, "The topic " + name + " currently has " + current
                        + " partition(s); " + newCount + " would not be an increase.");
            }
            if (newCount > MAX_PARTITIONS) {
                return Result.failed(Errors.POLICY_VIOLATION, "Unable to perform excessively large batch operation.");
            }
            String overLimit = overPartitionLimit(name, newCount - current);
            if (overLimit != null) {
                return Result.failed(Errors.POLICY_VIOLATION, overLimit);
            }
            TopicInfo resized = new TopicInfo(name, entry.info().id(), newCount, entry.info().configs());
            if (validateOnly) {
                return Result.ok(resized);
            }
            catalog.put(new TopicDefinition(name, resized.id(), newCount, resized.configs()));
            AtomicReferenceArray<Log> logs = new AtomicReferenceArray<>(newCount);
            for (int p = 0; p < current; p++) {
                logs.set(p, entry.logs().get(p));
            }
            replace(new Entry(resized, entry.settings(), entry.logConfig(), logs));
            LOG.info("Increased the partitions of topic {} from {} to {}", name, current, newCount);
            return Result.ok(resized);
        }
    }

    /**
     * Replaces a topic's config overrides as a whole (the caller computed them from SET/DELETE/APPEND/SUBTRACT),
     * persists them and applies the new settings to every open log of the topic.
     *
     * @return NONE with the updated topic, UNKNOWN_TOPIC_OR_PARTITION, or INVALID_CONFIG with the validation message
     */
    public Result alterConfigs(String name, Map<String, String> overrides, boolean validateOnly) {
        Map<String, String> validated;
        try {
            validated = Map.copyOf(TopicConfigs.validate(overrides));
        } catch (ConfigException e) {
            return Result.failed(Errors.INVALID_CONFIG, e.getMessage());
        }
        synchronized (lock) {
            Entry entry = name == null ? null : byName.get(name);
            if (entry == null) {
                return Result.failed(Errors.UNKNOWN_TOPIC_OR_PARTITION, null);
            }
            TopicInfo altered = new TopicInfo(name, entry.info().id(), entry.info().partitions(), validated);
            Entry next;
            try {
                next = newEntry(altered, entry.logs());
            } catch (ConfigException e) {
                return Result.failed(Errors.INVALID_CONFIG, e.getMessage());
            }
            if (validateOnly) {
                return Result.ok(altered);
            }
            catalog.put(new TopicDefinition(name, altered.id(), altered.partitions(), validated));
            replace(next);
            for (int p = 0; p < next.logs().length(); p++) {
                Log log = next.logs().get(p);
                if (log != null) {
                    applyConfig(log, next.logConfig());
                }
            }
            LOG.info("Altered the configs of topic {}: overrides now {}", name, validated);
            return Result.ok(altered);
        }
    }

    /**
     * Maps the config module's settings onto the storage engine's per-log settings. A topic whose cleanup.policy
     * lacks {@code delete} keeps every segment: Kafka would compact it, which Ferry does not do, and applying the
     * time and size limits instead would delete records Kafka keeps.
     */
    static LogConfig toLogConfig(TopicSettings settings) {
        boolean deletes = settings.retentionDeletes();
        return new LogConfig(settings.segmentBytes(), settings.segmentMs(), deletes ? settings.retentionMs() : -1,
                deletes ? settings.retentionBytes() : -1, settings.flushMessages(), settings.flushMs(),
                settings.indexIntervalBytes(), settings.segmentIndexBytes(), settings.logAppendTime());
    }

    private Entry newEntry(TopicInfo info, AtomicReferenceArray<Log> logs) {
        TopicSettings settings = TopicConfigs.resolve(config, info.configs());
        return new Entry(info, settings, toLogConfig(settings), logs);
    }

    private void replace(Entry entry) {
        byName.put(entry.info().name(), entry);
        byId.put(entry.info().id(), entry);
    }

    /**
     * Why adding {@code added} partitions to {@code topic} would exceed the limit it counts against, or null when it
     * would not. Called under the lock, so that concurrent creations cannot both fit in the last room.
     */
    private String overPartitionLimit(String topic, int added) {
        PartitionLimits.Limit limit = partitionLimits.limitFor(topic);
        if (limit == null) {
            return null;
        }
        long held = 0;
        for (Entry entry : byName.values()) {
            if (entry.info().name().startsWith(limit.prefix())) {
                held += entry.info().partitions();
            }
        }
        if (held + added <= limit.maxPartitions()) {
            return null;
        }
        return "The partition quota of " + limit.owner() + " is " + limit.maxPartitions() + " partitions: it holds "
                + held + " and this would add " + added + ".";
    }

    private String collidingTopic(String name) {
        String key = TopicNames.collisionKey(name);
        for (String existing : byName.keySet()) {
            if (TopicNames.collisionKey(existing).equals(key)) {
                return existing;
            }
        }
        return null;
    }

    /**
     * A random id, never one Kafka reserves (zero; 0:1, the metadata topic's) nor one whose base64 form, as Kafka
     * tools print it, starts with '-' (Kafka avoids those so the id never looks like a command-line flag).
     */
    private UUID newTopicId() {
        while (true) {
            UUID id = UUID.randomUUID();
            boolean reserved = id.getMostSignificantBits() == 0 && id.getLeastSignificantBits() <= 1;
            // the first base64 character is the top six bits; '-' is 62 in the URL-safe alphabet
            boolean leadingDash = (id.getMostSignificantBits() >>> 58) == 62;
            if (!reserved && !leadingDash && !byId.containsKey(id)) {
                return id;
            }
        }
    }

    private static void applyConfig(Log log, LogConfig logConfig) {
        if (!logConfig.equals(log.config())) {
            log.updateConfig(logConfig);
        }
    }
}
