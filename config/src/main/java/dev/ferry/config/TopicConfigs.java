package dev.ferry.config;

import static dev.ferry.config.ConfigType.BOOLEAN;
import static dev.ferry.config.ConfigType.DOUBLE;
import static dev.ferry.config.ConfigType.INT;
import static dev.ferry.config.ConfigType.LIST;
import static dev.ferry.config.ConfigType.LONG;
import static dev.ferry.config.ConfigType.STRING;
import static dev.ferry.config.Validator.atLeast;
import static dev.ferry.config.Validator.between;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The topic-level configs of Kafka 4, exactly: the broker accepts these names and no others in CreateTopics and
 * IncrementalAlterConfigs, validates them with Kafka's rules, and describes them with their effective values.
 *
 * <p>Ferry acts on the configs that shape a partition log (see {@link TopicSettings}); the others are validated,
 * stored and described but not acted on ({@link TopicConfigDef#honoured()} is false). {@code segment.bytes} keeps
 * Kafka 4's floor of 1 MiB; Kafka's test-only {@code internal.segment.bytes} bypasses it, which Ferry's storage
 * honours down to a single batch per segment.
 *
 * <p>Stateless and thread-safe.
 */
public final class TopicConfigs {

    private static final String NOT_HONOURED = " Accepted and stored; Ferry does not act on it.";
    private static final String NO_COMPACTION = " Only used by compaction, which Ferry does not do yet.";
    private static final String SINGLE_NODE = " Ferry is a single node and does not replicate.";
    private static final String NO_TIERED_STORAGE = " Ferry has no tiered storage.";
    private static final String TIERED_STORAGE_DISABLED =
            "Tiered Storage functionality is disabled in the broker. Topic cannot be configured with remote log "
                    + "storage.";
    private static final String MAX = String.valueOf(Long.MAX_VALUE);

    private static final Map<String, TopicConfigDef> BY_NAME = index(
            honoured("cleanup.policy", "log.cleanup.policy", LIST, "delete", Validator.listOf("compact", "delete"),
                    "What happens to old segments: delete removes them past the retention limits; compact is "
                            + "accepted but not done yet, so a topic without delete keeps everything."),
            ignored("compression.gzip.level", "compression.gzip.level", INT, "-1",
                    Validator.betweenOrMinusOne(1, 9), "Level used when compression.type is gzip."),
            ignored("compression.lz4.level", "compression.lz4.level", INT, "9", between(1, 17),
                    "Level used when compression.type is lz4."),
            ignored("compression.type", "compression.type", STRING, "producer",
                    Validator.oneOf("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"),
                    "Codec the broker recompresses batches to; Ferry always keeps batches as the producer sent "
                            + "them."),
            ignored("compression.zstd.level", "compression.zstd.level", INT, "3", between(-131072, 22),
                    "Level used when compression.type is zstd."),
            ignored("delete.retention.ms", "log.cleaner.delete.retention.ms", LONG, "86400000", atLeast(0),
                    "How long tombstones are kept in a compacted topic." + NO_COMPACTION),
            ignored("file.delete.delay.ms", "log.segment.delete.delay.ms", LONG, "60000", atLeast(0),
                    "Delay before a deleted segment's files are removed from disk."),
            honoured("flush.messages", "log.flush.interval.messages", LONG, MAX, atLeast(1),
                    "Messages after which a partition is forced to disk (fsync)."),
            honoured("flush.ms", "log.flush.interval.ms", LONG, MAX, atLeast(0),
                    "Time after the last flush at which a partition is forced to disk."),
            ignored("follower.replication.throttled.replicas", null, LIST, "", Validator.throttledReplicas(),
                    "Replicas whose replication is throttled on the follower side." + SINGLE_NODE),
            honoured("index.interval.bytes", "log.index.interval.bytes", INT, "4096", atLeast(0),
                    "Bytes of log between two entries of the sparse offset and time indexes."),
            new TopicConfigDef("internal.segment.bytes", null, INT, null, atLeast(1),
                    "For tests: segment size without the 1 MiB floor of segment.bytes, which it overrides.",
                    true, true),
            ignored("leader.replication.throttled.replicas", null, LIST, "", Validator.throttledReplicas(),
                    "Replicas whose replication is throttled on the leader side." + SINGLE_NODE),
            ignored("local.retention.bytes", "log.local.retention.bytes", LONG, "-2", atLeast(-2),
                    "Local size limit of a tiered topic; -2 means retention.bytes." + NO_TIERED_STORAGE),
            ignored("local.retention.ms", "log.local.retention.ms", LONG, "-2", atLeast(-2),
                    "Local time limit of a tiered topic; -2 means retention.ms." + NO_TIERED_STORAGE),
            ignored("max.compaction.lag.ms", "log.cleaner.max.compaction.lag.ms", LONG, MAX, atLeast(1),
                    "Longest time a record stays ineligible for compaction." + NO_COMPACTION),
            honoured("max.message.bytes", "message.max.bytes", INT, "1048588", atLeast(0),
                    "Largest record batch, in bytes, accepted from a producer."),
            ignored("message.timestamp.after.max.ms", "log.message.timestamp.after.max.ms", LONG, "3600000",
                    atLeast(0), "How far in the future a CreateTime timestamp may be."),
            ignored("message.timestamp.before.max.ms", "log.message.timestamp.before.max.ms", LONG, MAX,
                    atLeast(0), "How far in the past a CreateTime timestamp may be."),
            honoured("message.timestamp.type", "log.message.timestamp.type", STRING, "CreateTime",
                    Validator.oneOf("CreateTime", "LogAppendTime"),
                    "Which timestamp records keep: the producer's CreateTime, or LogAppendTime stamped on append."),
            ignored("min.cleanable.dirty.ratio", "log.cleaner.min.cleanable.ratio", DOUBLE, "0.5",
                    Validator.ratio(), "Share of uncompacted log that triggers compaction." + NO_COMPACTION),
            ignored("min.compaction.lag.ms", "log.cleaner.min.compaction.lag.ms", LONG, "0", atLeast(0),
                    "Shortest time a record stays uncompacted." + NO_COMPACTION),
            ignored("min.insync.replicas", "min.insync.replicas", INT, "1", atLeast(1),
                    "In-sync replicas an acks=all write needs." + SINGLE_NODE),
            ignored("preallocate", "log.preallocate", BOOLEAN, "false", Validator.any(),
                    "Whether segment files are preallocated on disk."),
            ignored("remote.log.copy.disable", null, BOOLEAN, "false", Validator.any(),
                    "Makes a tiered topic's remote data read-only." + NO_TIERED_STORAGE),
            ignored("remote.log.delete.on.disable", null, BOOLEAN, "false", Validator.any(),
                    "Deletes remote data when tiered storage is turned off." + NO_TIERED_STORAGE),
            ignored("remote.storage.enable", null, BOOLEAN, "false", Validator.any(),
                    "Tiered storage for the topic; only false is accepted." + NO_TIERED_STORAGE),
            honoured("retention.bytes", "log.retention.bytes", LONG, "-1", Validator.any(),
                    "Size a partition may grow to before its oldest segments are deleted; -1 is unlimited."),
            honoured("retention.ms", "log.retention.ms", LONG, "604800000", atLeast(-1),
                    "Time a segment is kept after its newest record; -1 keeps segments forever."),
            honoured("segment.bytes", "log.segment.bytes", INT, "1073741824", atLeast(1_048_576),
                    "Size at which the active segment is closed and a new one started."),
            honoured("segment.index.bytes", "log.index.size.max.bytes", INT, "10485760", atLeast(4),
                    "Largest size of a segment's offset or time index file."),
            ignored("segment.jitter.ms", "log.roll.jitter.ms", LONG, "0", atLeast(0),
                    "Random time taken off segment.ms to spread segment rolls."),
            honoured("segment.ms", "log.roll.ms", LONG, "604800000", atLeast(1),
                    "Age of the active segment at which it is rolled even if not full."),
            ignored("unclean.leader.election.enable", "unclean.leader.election.enable", BOOLEAN, "false",
                    Validator.any(), "Whether an out-of-sync replica may become leader." + SINGLE_NODE));

    private TopicConfigs() {
    }

    /** Every topic config Kafka 4 defines, by name; the broker accepts exactly these names. */
    public static Collection<TopicConfigDef> all() {
        return BY_NAME.values();
    }

    public static Optional<TopicConfigDef> find(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /**
     * Validates topic overrides as Kafka does: names, values, and the rules across configs.
     *
     * @return the overrides with their values in canonical text ({@code TRUE} → {@code true}), sorted by name,
     *         ready to store
     * @throws ConfigException naming the first unknown config or invalid value, in Kafka's words; the broker
     *                         answers INVALID_CONFIG with its message
     */
    public static Map<String, String> validate(Map<String, String> overrides) {
        Map<String, Object> parsed = parseAll(overrides);
        Map<String, String> canonical = new TreeMap<>();
        parsed.forEach((name, value) -> canonical.put(name, BY_NAME.get(name).type().format(value)));
        return Collections.unmodifiableMap(canonical);
    }

    /**
     * The settings Ferry acts on for a topic: each override, else the broker's setting, else Kafka's default.
     *
     * @throws ConfigException if the overrides are invalid (see {@link #validate})
     */
    public static TopicSettings resolve(FerryConfig broker, Map<String, String> overrides) {
        Map<String, Object> parsed = parseAll(overrides);
        Object internalSegmentBytes = parsed.get("internal.segment.bytes");
        int segmentBytes = internalSegmentBytes != null
                ? (Integer) internalSegmentBytes : (Integer) effective("segment.bytes", broker, parsed);
        @SuppressWarnings("unchecked")
        List<String> cleanupPolicy = (List<String>) effective("cleanup.policy", broker, parsed);
        return new TopicSettings(
                segmentBytes,
                (Long) effective("segment.ms", broker, parsed),
                (Long) effective("retention.ms", broker, parsed),
                (Long) effective("retention.bytes", broker, parsed),
                (Long) effective("flush.messages", broker, parsed),
                (Long) effective("flush.ms", broker, parsed),
                (Integer) effective("index.interval.bytes", broker, parsed),
                (Integer) effective("segment.index.bytes", broker, parsed),
                "LogAppendTime".equals(effective("message.timestamp.type", broker, parsed)),
                (Integer) effective("max.message.bytes", broker, parsed),
                String.join(",", cleanupPolicy));
    }

    /**
     * Every topic config (Kafka's internal ones excepted), sorted by name, with its effective value and source:
     * {@link ConfigSource#TOPIC} when overridden, else the source of the broker setting it defaults to, else
     * {@link ConfigSource#DEFAULT}. Overrides are shown as stored and are not validated again here.
     */
    public static List<ConfigEntry> describe(FerryConfig broker, Map<String, String> overrides) {
        return BY_NAME.values().stream()
                .filter(def -> !def.internal())
                .map(def -> describe(def, broker, overrides))
                .toList();
    }

    private static ConfigEntry describe(TopicConfigDef def, FerryConfig broker, Map<String, String> overrides) {
        String value;
        ConfigSource source;
        if (overrides.containsKey(def.name())) {
            value = overrides.get(def.name());
            source = ConfigSource.TOPIC;
        } else if (brokerDefines(def, broker)) {
            value = broker.effectiveValues().get(def.brokerDefaultKey());
            source = broker.sourceOf(def.brokerDefaultKey());
        } else {
            value = def.defaultValue();
            source = ConfigSource.DEFAULT;
        }
        return new ConfigEntry(def.name(), value, source, false, false, def.type(), def.doc());
    }

    /** Parses every override in name order, so the first error reported does not depend on map order. */
    private static Map<String, Object> parseAll(Map<String, String> overrides) {
        Map<String, Object> parsed = new LinkedHashMap<>();
        for (Map.Entry<String, String> override : new TreeMap<>(overrides).entrySet()) {
            TopicConfigDef def = BY_NAME.get(override.getKey());
            if (def == null) {
                throw new ConfigException("Unknown topic config name: " + override.getKey());
            }
            parsed.put(def.name(), def.parse(override.getValue()));
        }
        if (Boolean.TRUE.equals(parsed.get("remote.storage.enable"))) {
            throw new ConfigException(TIERED_STORAGE_DISABLED);
        }
        long minCompactionLag = (Long) parsedOrDefault("min.compaction.lag.ms", parsed);
        long maxCompactionLag = (Long) parsedOrDefault("max.compaction.lag.ms", parsed);
        if (minCompactionLag > maxCompactionLag) {
            throw new ConfigException("conflict topic config setting min.compaction.lag.ms (" + minCompactionLag
                    + ") > max.compaction.lag.ms (" + maxCompactionLag + ")");
        }
        return parsed;
    }

    private static Object parsedOrDefault(String name, Map<String, Object> parsed) {
        TopicConfigDef def = BY_NAME.get(name);
        return parsed.containsKey(name) ? parsed.get(name) : def.type().parse(def.defaultValue());
    }

    private static Object effective(String name, FerryConfig broker, Map<String, Object> parsed) {
        TopicConfigDef def = BY_NAME.get(name);
        if (parsed.containsKey(name)) {
            return parsed.get(name);
        }
        if (brokerDefines(def, broker)) {
            return broker.parsedValue(def.brokerDefaultKey());
        }
        return def.type().parse(def.defaultValue());
    }

    private static boolean brokerDefines(TopicConfigDef def, FerryConfig broker) {
        return def.brokerDefaultKey() != null && broker.defines(def.brokerDefaultKey());
    }

    private static TopicConfigDef honoured(String name, String brokerDefaultKey, ConfigType type,
                                           String defaultValue, Validator validator, String doc) {
        return new TopicConfigDef(name, brokerDefaultKey, type, defaultValue, validator, doc, true, false);
    }

    private static TopicConfigDef ignored(String name, String brokerDefaultKey, ConfigType type,
                                          String defaultValue, Validator validator, String doc) {
        return new TopicConfigDef(name, brokerDefaultKey, type, defaultValue, validator, doc + NOT_HONOURED,
                false, false);
    }

    private static Map<String, TopicConfigDef> index(TopicConfigDef... defs) {
        Map<String, TopicConfigDef> byName = new TreeMap<>();
        for (TopicConfigDef def : defs) {
            if (byName.put(def.name(), def) != null) {
                throw new IllegalStateException("Topic config defined twice: " + def.name());
            }
        }
        return Collections.unmodifiableMap(byName);
    }
}
