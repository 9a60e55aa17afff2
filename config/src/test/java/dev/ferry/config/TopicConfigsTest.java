package dev.ferry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicConfigsTest {

    /** The topic config names of Kafka 4.3 ({@code LogConfig.configNames()}). */
    private static final Set<String> KAFKA_TOPIC_CONFIGS = Set.of(
            "cleanup.policy", "compression.gzip.level", "compression.lz4.level", "compression.type",
            "compression.zstd.level", "delete.retention.ms", "file.delete.delay.ms", "flush.messages", "flush.ms",
            "follower.replication.throttled.replicas", "index.interval.bytes", "internal.segment.bytes",
            "leader.replication.throttled.replicas", "local.retention.bytes", "local.retention.ms",
            "max.compaction.lag.ms", "max.message.bytes", "message.timestamp.after.max.ms",
            "message.timestamp.before.max.ms", "message.timestamp.type", "min.cleanable.dirty.ratio",
            "min.compaction.lag.ms", "min.insync.replicas", "preallocate", "remote.log.copy.disable",
            "remote.log.delete.on.disable", "remote.storage.enable", "retention.bytes", "retention.ms",
            "segment.bytes", "segment.index.bytes", "segment.jitter.ms", "segment.ms",
            "unclean.leader.election.enable");

    @Test
    void shouldDefineExactlyKafkasTopicConfigs() {
        Set<String> names = TopicConfigs.all().stream().map(TopicConfigDef::name).collect(Collectors.toSet());
        assertEquals(new TreeSet<>(KAFKA_TOPIC_CONFIGS), new TreeSet<>(names));
    }

    @Test
    void shouldGiveEveryDefaultThatPassesItsOwnRule() {
        for (TopicConfigDef def : TopicConfigs.all()) {
            if (def.defaultValue() != null) {
                assertEquals(def.type().parse(def.defaultValue()), def.parse(def.defaultValue()), def.name());
            }
        }
    }

    @Test
    void shouldTakeTopicDefaultsFromBrokerSettingsOfTheSameType() {
        FerryConfig broker = FerryConfig.defaults();
        for (TopicConfigDef def : TopicConfigs.all()) {
            if (def.brokerDefaultKey() != null && broker.defines(def.brokerDefaultKey())) {
                Setting setting = BrokerConfigs.find(def.brokerDefaultKey()).orElseThrow();
                assertEquals(def.type(), setting.type(), def.name() + " vs " + setting.name());
            }
        }
    }

    @Test
    void shouldRejectAnUnknownNameInKafkasWords() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> TopicConfigs.validate(Map.of("retention.hours", "1")));
        assertEquals("Unknown topic config name: retention.hours", e.getMessage());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "segment.bytes|100|Value must be at least 1048576",
        "segment.bytes|2147483648|Not a number of type INT",
        "segment.ms|0|Value must be at least 1",
        "segment.index.bytes|3|Value must be at least 4",
        "retention.ms|-2|Value must be at least -1",
        "retention.ms|1.5|Not a number of type LONG",
        "retention.bytes|x|Not a number of type LONG",
        "flush.messages|0|Value must be at least 1",
        "flush.ms|-1|Value must be at least 0",
        "index.interval.bytes|-1|Value must be at least 0",
        "max.message.bytes|-1|Value must be at least 0",
        "message.timestamp.type|createtime|String must be one of: CreateTime, LogAppendTime",
        "cleanup.policy|Delete|String must be one of: compact, delete",
        "compression.type|GZIP|String must be one of: uncompressed, zstd, lz4, snappy, gzip, producer",
        "compression.gzip.level|0|Value must be between 1 and 9 or equal to -1",
        "compression.lz4.level|18|Value must be no more than 17",
        "compression.zstd.level|-131073|Value must be at least -131072",
        "min.insync.replicas|0|Value must be at least 1",
        "min.cleanable.dirty.ratio|1.5|Value must be no more than 1",
        "min.cleanable.dirty.ratio|NaN|Value must be at least 0",
        "local.retention.ms|-3|Value must be at least -2",
        "local.retention.bytes|-3|Value must be at least -2",
        "unclean.leader.election.enable|yes|Expected value to be either true or false",
        "preallocate|1|Expected value to be either true or false",
        "delete.retention.ms|-1|Value must be at least 0",
        "file.delete.delay.ms|-1|Value must be at least 0",
        "max.compaction.lag.ms|0|Value must be at least 1",
        "min.compaction.lag.ms|-1|Value must be at least 0",
        "message.timestamp.after.max.ms|-1|Value must be at least 0",
        "message.timestamp.before.max.ms|-1|Value must be at least 0",
        "segment.jitter.ms|-1|Value must be at least 0",
        "internal.segment.bytes|0|Value must be at least 1",
        "remote.log.copy.disable|no|Expected value to be either true or false",
        "remote.log.delete.on.disable|no|Expected value to be either true or false",
        "remote.storage.enable|on|Expected value to be either true or false"})
    void shouldRejectABadValueInKafkasWords(String name, String value, String reason) {
        ConfigException e = assertThrows(ConfigException.class, () -> TopicConfigs.validate(Map.of(name, value)));
        assertEquals("Invalid value " + value + " for configuration " + name + ": " + reason, e.getMessage());
    }

    @Test
    void shouldRejectMalformedReplicaThrottleLists() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> TopicConfigs.validate(Map.of("leader.replication.throttled.replicas", "0-1")));
        assertTrue(e.getMessage().startsWith("Invalid value 0-1 for configuration "
                + "leader.replication.throttled.replicas: must be the literal '*'"), e.getMessage());
        assertEquals(Map.of("follower.replication.throttled.replicas", "0:1,1:1"),
                TopicConfigs.validate(Map.of("follower.replication.throttled.replicas", "0:1, 1:1")));
        assertEquals(Map.of("leader.replication.throttled.replicas", "*"),
                TopicConfigs.validate(Map.of("leader.replication.throttled.replicas", "*")));
    }

    @Test
    void shouldRejectANullValue() {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("retention.ms", null);
        ConfigException e = assertThrows(ConfigException.class, () -> TopicConfigs.validate(overrides));
        assertEquals("Null value not supported for topic configs: retention.ms", e.getMessage());
    }

    @Test
    void shouldRejectTieredStorageAsABrokerWithoutItDoes() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> TopicConfigs.validate(Map.of("remote.storage.enable", "true")));
        assertEquals("Tiered Storage functionality is disabled in the broker. Topic cannot be configured with "
                + "remote log storage.", e.getMessage());
        assertEquals(Map.of("remote.storage.enable", "false"),
                TopicConfigs.validate(Map.of("remote.storage.enable", "FALSE")));
    }

    @Test
    void shouldRejectAMinimumCompactionLagAboveTheMaximum() {
        ConfigException e = assertThrows(ConfigException.class, () -> TopicConfigs.validate(
                Map.of("min.compaction.lag.ms", "200", "max.compaction.lag.ms", "100")));
        assertEquals("conflict topic config setting min.compaction.lag.ms (200) > max.compaction.lag.ms (100)",
                e.getMessage());
    }

    @Test
    void shouldReportTheFirstProblemInNameOrder() {
        Map<String, String> overrides = Map.of("segment.ms", "0", "retention.ms", "-5", "flush.ms", "-1");
        ConfigException e = assertThrows(ConfigException.class, () -> TopicConfigs.validate(overrides));
        assertTrue(e.getMessage().contains("configuration flush.ms"), e.getMessage());
    }

    @Test
    void shouldReturnValidatedOverridesInCanonicalText() {
        Map<String, String> validated = TopicConfigs.validate(Map.of(
                "retention.ms", " 1000 ",
                "cleanup.policy", "delete , compact",
                "preallocate", "TRUE",
                "min.cleanable.dirty.ratio", ".25"));
        assertEquals(Map.of("retention.ms", "1000", "cleanup.policy", "delete,compact", "preallocate", "true",
                "min.cleanable.dirty.ratio", "0.25"), validated);
        assertEquals(List.of("cleanup.policy", "min.cleanable.dirty.ratio", "preallocate", "retention.ms"),
                List.copyOf(validated.keySet()));
    }

    @Test
    void shouldAcceptAnEmptyCleanupPolicyMeaningKeepEverything() {
        FerryConfig broker = FerryConfig.defaults();
        TopicSettings settings = TopicConfigs.resolve(broker, Map.of("cleanup.policy", ""));
        assertEquals("", settings.cleanupPolicy());
        assertFalse(settings.retentionDeletes());
        assertFalse(TopicConfigs.resolve(broker, Map.of("cleanup.policy", "compact")).retentionDeletes());
        assertTrue(TopicConfigs.resolve(broker, Map.of("cleanup.policy", "compact,delete")).retentionDeletes());
    }

    @Test
    void shouldResolveBrokerDefaultsWhenTheTopicHasNoOverrides() {
        FerryConfig broker = FerryConfig.defaults();
        assertEquals(new TopicSettings(1_073_741_824L, 604_800_000L, 259_200_000L, -1L, Long.MAX_VALUE,
                        Long.MAX_VALUE, 4096, 10_485_760, false, 1_048_588, "delete"),
                TopicConfigs.resolve(broker, Map.of()));
    }

    @Test
    void shouldResolveBrokerSettingsAndTopicOverridesTogether() {
        FerryConfig broker = FerryConfig.of(Map.of("log.retention.hours", "1", "log.segment.bytes", "2097152",
                "log.message.timestamp.type", "LogAppendTime", "message.max.bytes", "5000"));
        TopicSettings settings = TopicConfigs.resolve(broker, Map.of("retention.ms", "60000",
                "flush.messages", "10", "message.timestamp.type", "CreateTime"));
        assertEquals(2_097_152L, settings.segmentBytes());
        assertEquals(60_000L, settings.retentionMs());
        assertEquals(10L, settings.flushMessages());
        assertFalse(settings.logAppendTime());
        assertEquals(5000, settings.maxMessageBytes());

        assertTrue(TopicConfigs.resolve(broker, Map.of()).logAppendTime());
        assertEquals(3_600_000L, TopicConfigs.resolve(broker, Map.of()).retentionMs());
    }

    @Test
    void shouldLetInternalSegmentBytesGoBelowTheSegmentBytesFloor() {
        TopicSettings settings = TopicConfigs.resolve(FerryConfig.defaults(),
                Map.of("internal.segment.bytes", "1024", "segment.bytes", "2097152"));
        assertEquals(1024L, settings.segmentBytes());
    }

    @Test
    void shouldRefuseToResolveInvalidOverrides() {
        assertThrows(ConfigException.class,
                () -> TopicConfigs.resolve(FerryConfig.defaults(), Map.of("segment.bytes", "1")));
    }

    @Test
    void shouldDescribeEveryPublicConfigWithItsSource() {
        FerryConfig broker = FerryConfig.load(null, Map.of("FERRY_LOG_RETENTION_BYTES", "1000000"),
                Map.of("log.segment.bytes", "2097152"));
        List<ConfigEntry> entries = TopicConfigs.describe(broker, Map.of("retention.ms", "60000"));
        Map<String, ConfigEntry> byName = entries.stream()
                .collect(Collectors.toMap(ConfigEntry::name, Function.identity()));

        assertEquals(KAFKA_TOPIC_CONFIGS.size() - 1, entries.size());
        assertFalse(byName.containsKey("internal.segment.bytes"));
        assertEquals(entries.stream().map(ConfigEntry::name).sorted().toList(),
                entries.stream().map(ConfigEntry::name).toList());

        assertEntry(byName, "retention.ms", "60000", ConfigSource.TOPIC);
        assertEntry(byName, "retention.bytes", "1000000", ConfigSource.ENVIRONMENT);
        assertEntry(byName, "segment.bytes", "2097152", ConfigSource.OVERRIDE);
        assertEntry(byName, "segment.ms", "604800000", ConfigSource.DEFAULT);
        assertEntry(byName, "cleanup.policy", "delete", ConfigSource.DEFAULT);
        assertEntry(byName, "compression.type", "producer", ConfigSource.DEFAULT);
        assertEntry(byName, "min.insync.replicas", "1", ConfigSource.DEFAULT);
        assertEntry(byName, "leader.replication.throttled.replicas", "", ConfigSource.DEFAULT);

        ConfigEntry retention = byName.get("retention.ms");
        assertFalse(retention.readOnly());
        assertFalse(retention.sensitive());
        assertEquals(ConfigType.LONG, retention.type());
        assertTrue(byName.get("compression.type").documentation().endsWith("Ferry does not act on it."));
    }

    @Test
    void shouldDescribeTheDerivedBrokerRetentionAsTheTopicDefault() {
        FerryConfig broker = FerryConfig.of(Map.of("log.retention.minutes", "10"));
        ConfigEntry retention = TopicConfigs.describe(broker, Map.of()).stream()
                .filter(entry -> entry.name().equals("retention.ms")).findFirst().orElseThrow();
        assertEquals("600000", retention.value());
        assertEquals(ConfigSource.OVERRIDE, retention.source());
    }

    @Test
    void shouldMarkWhichConfigsFerryActsOn() {
        Set<String> honoured = TopicConfigs.all().stream().filter(TopicConfigDef::honoured)
                .map(TopicConfigDef::name).collect(Collectors.toSet());
        assertEquals(Set.of("cleanup.policy", "flush.messages", "flush.ms", "index.interval.bytes",
                "internal.segment.bytes", "max.message.bytes", "message.timestamp.type", "retention.bytes",
                "retention.ms", "segment.bytes", "segment.index.bytes", "segment.ms"), honoured);
        assertEquals("log.retention.ms", TopicConfigs.find("retention.ms").orElseThrow().brokerDefaultKey());
        assertTrue(TopicConfigs.find("retention.hours").isEmpty());
    }

    private static void assertEntry(Map<String, ConfigEntry> byName, String name, String value, ConfigSource source) {
        ConfigEntry entry = byName.get(name);
        assertEquals(value, entry.value(), name);
        assertEquals(source, entry.source(), name);
    }
}
