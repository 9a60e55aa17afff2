package dev.ferry.broker.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.broker.topic.TopicManager.Lookup;
import dev.ferry.broker.topic.TopicManager.Result;
import dev.ferry.broker.topic.TopicManager.TopicInfo;
import dev.ferry.config.FerryConfig;
import dev.ferry.protocol.Errors;
import dev.ferry.storage.Log;
import dev.ferry.storage.LogManager;
import dev.ferry.storage.StorageConfig;
import dev.ferry.storage.TopicPartition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicManagerTest {

    /** The topics of application acme may hold 4 partitions together. */
    private static final PartitionLimits ACME_UP_TO_FOUR = topic -> topic.startsWith("acme.")
            ? new PartitionLimits.Limit("acme.", 4, "application acme") : null;

    @TempDir
    Path dir;

    private LogManager logManager;
    private TopicManager topics;

    @AfterEach
    void closeStorage() {
        if (logManager != null) {
            logManager.close();
        }
    }

    @Test
    void shouldPersistCreatedTopicsAcrossRestart() {
        open(Map.of());
        Result created = topics.create("orders", 4, Map.of("retention.ms", "1000"), false);
        assertTrue(created.isOk());

        reopen(Map.of());

        TopicInfo reloaded = topics.topic("orders").orElseThrow();
        assertEquals(created.topic().id(), reloaded.id());
        assertEquals(4, reloaded.partitions());
        assertEquals(Map.of("retention.ms", "1000"), reloaded.configs());
        assertEquals("orders", topics.topic(reloaded.id()).orElseThrow().name());
        assertEquals(1000, topics.settings("orders").retentionMs());
    }

    @Test
    void shouldChangeNothingWhenOnlyValidating() {
        open(Map.of());

        Result validated = topics.create("orders", 2, Map.of(), true);

        assertTrue(validated.isOk());
        assertEquals(2, validated.topic().partitions());
        assertTrue(topics.topic("orders").isEmpty());
        assertTrue(topics.topics().isEmpty());
    }

    @Test
    void shouldRefuseExistingIllegalAndCollidingNames() {
        open(Map.of());
        topics.create("a.b", 1, Map.of(), false);

        assertEquals(Errors.TOPIC_ALREADY_EXISTS, topics.create("a.b", 1, Map.of(), false).error());
        Result colliding = topics.create("a_b", 1, Map.of(), false);
        assertEquals(Errors.INVALID_TOPIC_EXCEPTION, colliding.error());
        assertEquals("Topic 'a_b' collides with existing topic: a.b", colliding.message());
        assertEquals(Errors.INVALID_TOPIC_EXCEPTION, topics.create("bad name", 1, Map.of(), false).error());
        assertEquals(Errors.INVALID_PARTITIONS, topics.create("zero", 0, Map.of(), false).error());
        assertEquals(Errors.POLICY_VIOLATION,
                topics.create("huge", TopicManager.MAX_PARTITIONS + 1, Map.of(), false).error());
    }

    @Test
    void shouldRefuseInvalidConfigsWithTheirReason() {
        open(Map.of());

        Result unknown = topics.create("orders", 1, Map.of("no.such.config", "1"), false);
        Result invalid = topics.create("orders", 1, Map.of("retention.ms", "-5"), false);

        assertEquals(Errors.INVALID_CONFIG, unknown.error());
        assertTrue(unknown.message().contains("no.such.config"), unknown.message());
        assertEquals(Errors.INVALID_CONFIG, invalid.error());
        assertTrue(invalid.message().contains("retention.ms"), invalid.message());
        assertTrue(topics.topic("orders").isEmpty());
    }

    @Test
    void shouldAutoCreateWithDefaultPartitionCountWhenAllowed() {
        open(Map.of("num.partitions", "5"));

        Lookup lookup = topics.lookupOrCreate("events", true);

        assertEquals(Errors.NONE, lookup.error());
        assertEquals(5, lookup.topic().partitions());
        assertEquals(lookup.topic(), topics.topic("events").orElseThrow());
        assertEquals(lookup.topic(), topics.lookupOrCreate("events", false).topic());
    }

    @Test
    void shouldNotAutoCreateWhenTheRequestOrTheBrokerForbidsIt() {
        open(Map.of("auto.create.topics.enable", "false"));

        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, topics.lookupOrCreate("events", true).error());
        assertEquals(Errors.INVALID_TOPIC_EXCEPTION, topics.lookupOrCreate("bad/name", true).error());
        reopen(Map.of());
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, topics.lookupOrCreate("events", false).error());
        assertNull(topics.lookupOrCreate("events", false).topic());
        assertTrue(topics.topics().isEmpty());
    }

    @Test
    void shouldOpenLogsOnlyForExistingPartitions() {
        open(Map.of());
        topics.create("orders", 2, Map.of("segment.bytes", "1048576"), false);

        Log log = topics.log("orders", 1).orElseThrow();

        assertEquals(new TopicPartition("orders", 1), log.topicPartition());
        assertEquals(1048576, log.config().segmentBytes());
        assertSame(log, topics.log("orders", 1).orElseThrow());
        assertTrue(topics.log("orders", 2).isEmpty());
        assertTrue(topics.log("orders", -1).isEmpty());
        assertTrue(topics.log("missing", 0).isEmpty());
    }

    @Test
    void shouldAppendWithoutWaitingOnlyToOpenLogsThatFsyncInTheBackground() {
        open(Map.of());
        topics.create("orders", 2, Map.of(), false);

        assertFalse(topics.appendsWithoutWaiting("orders", 0), "the log is not open yet");
        topics.log("orders", 0).orElseThrow();
        assertTrue(topics.appendsWithoutWaiting("orders", 0));
        assertFalse(topics.appendsWithoutWaiting("orders", 1), "only partition 0 was opened");
        assertFalse(topics.appendsWithoutWaiting("orders", 2));
        assertFalse(topics.appendsWithoutWaiting("orders", -1));
        assertFalse(topics.appendsWithoutWaiting("missing", 0), "an unknown topic would be created");
        assertFalse(topics.appendsWithoutWaiting(null, 0));

        assertTrue(topics.alterConfigs("orders", Map.of("flush.messages", "1000"), false).isOk());
        assertFalse(topics.appendsWithoutWaiting("orders", 0), "an append may fsync");
        assertTrue(topics.alterConfigs("orders", Map.of(), false).isOk());
        assertTrue(topics.appendsWithoutWaiting("orders", 0));
    }

    @Test
    void shouldNotAppendWithoutWaitingToALogFoundOnDiskUntilItHasLoaded() {
        open(Map.of());
        topics.create("orders", 1, Map.of(), false);
        topics.log("orders", 0).orElseThrow()
                .append(MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("v".getBytes())).buffer(), 0L);
        reopen(Map.of());

        assertFalse(topics.appendsWithoutWaiting("orders", 0), "after a crash, loading it would recover it");
        assertEquals(1, topics.log("orders", 0).orElseThrow().logEndOffset());
        assertTrue(topics.appendsWithoutWaiting("orders", 0));
    }

    @Test
    void shouldApplyAlteredConfigsToOpenLogs() {
        open(Map.of());
        topics.create("orders", 1, Map.of(), false);
        Log log = topics.log("orders", 0).orElseThrow();

        Result altered = topics.alterConfigs("orders", Map.of("retention.ms", "60000"), false);

        assertTrue(altered.isOk());
        assertEquals(60000, log.config().retentionMs());
        assertEquals(60000, topics.settings("orders").retentionMs());
        assertEquals(Map.of("retention.ms", "60000"), topics.topic("orders").orElseThrow().configs());

        assertTrue(topics.alterConfigs("orders", Map.of("retention.ms", "5"), true).isOk());
        assertEquals(60000, log.config().retentionMs(), "validate-only leaves the log alone");
        assertEquals(Errors.INVALID_CONFIG, topics.alterConfigs("orders", Map.of("retention.ms", "x"), false).error());
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, topics.alterConfigs("gone", Map.of(), false).error());
    }

    @Test
    void shouldKeepSegmentsOfATopicThatDoesNotDeleteByPolicy() {
        open(Map.of());
        topics.create("compacted", 1, Map.of("cleanup.policy", "compact", "retention.ms", "1000"), false);

        Log log = topics.log("compacted", 0).orElseThrow();

        assertEquals(-1, log.config().retentionMs());
        assertEquals(-1, log.config().retentionBytes());
    }

    @Test
    void shouldDeleteLogsAndDefinition() {
        open(Map.of());
        TopicInfo created = topics.create("orders", 2, Map.of(), false).topic();
        topics.log("orders", 0).orElseThrow();
        topics.log("orders", 1).orElseThrow();

        assertTrue(topics.delete("orders").isOk());

        assertTrue(topics.topic("orders").isEmpty());
        assertTrue(topics.topic(created.id()).isEmpty());
        assertTrue(logManager.log(new TopicPartition("orders", 0)).isEmpty());
        assertFalse(Files.exists(dir.resolve("orders-0")));
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, topics.delete("orders").error());
        reopen(Map.of());
        assertTrue(topics.topic("orders").isEmpty());
    }

    @Test
    void shouldStartEmptyWhenANameIsReused() {
        open(Map.of());
        TopicInfo first = topics.create("orders", 1, Map.of(), false).topic();
        Log old = topics.log("orders", 0).orElseThrow();
        old.append(MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("v".getBytes())).buffer(), 0L);
        assertEquals(1, old.logEndOffset());
        topics.delete("orders");

        TopicInfo again = topics.create("orders", 1, Map.of(), false).topic();

        assertEquals(0, topics.log("orders", 0).orElseThrow().logEndOffset());
        assertNotEquals(first.id(), again.id());
    }

    @Test
    void shouldRefuseDeletionWhenDisabled() {
        open(Map.of("delete.topic.enable", "false"));
        topics.create("orders", 1, Map.of(), false);

        assertEquals(Errors.TOPIC_DELETION_DISABLED, topics.delete("orders").error());
        assertTrue(topics.topic("orders").isPresent());
    }

    @Test
    void shouldOnlyIncreasePartitions() {
        open(Map.of());
        topics.create("orders", 2, Map.of(), false);
        Log first = topics.log("orders", 0).orElseThrow();

        assertEquals(Errors.INVALID_PARTITIONS, topics.createPartitions("orders", 2, false).error());
        assertEquals(Errors.INVALID_PARTITIONS, topics.createPartitions("orders", 1, false).error());
        assertEquals(3, topics.createPartitions("orders", 3, true).topic().partitions());
        assertEquals(2, topics.topic("orders").orElseThrow().partitions(), "validate-only changes nothing");

        assertTrue(topics.createPartitions("orders", 5, false).isOk());

        assertEquals(5, topics.topic("orders").orElseThrow().partitions());
        assertSame(first, topics.log("orders", 0).orElseThrow(), "existing partitions keep their log");
        assertTrue(topics.log("orders", 4).isPresent());
        reopen(Map.of());
        assertEquals(5, topics.topic("orders").orElseThrow().partitions());
    }

    @Test
    void shouldListEveryTopic() {
        open(Map.of());
        topics.create("a", 1, Map.of(), false);
        topics.create("b", 2, Map.of(), false);

        assertEquals(List.of("a", "b"), topics.topics().stream().map(TopicInfo::name).sorted().toList());
    }

    @Test
    void shouldRefuseCreationPastTheLimitOfTheTopicsFamilyCountingWhatItHolds() {
        open(Map.of(), ACME_UP_TO_FOUR);
        assertTrue(topics.create("acme.a", 2, Map.of(), false).isOk());
        assertTrue(topics.create("acme.b", 2, Map.of(), false).isOk());

        Result validated = topics.create("acme.c", 1, Map.of(), true);
        Result created = topics.create("acme.c", 1, Map.of(), false);

        String message = "The partition quota of application acme is 4 partitions: it holds 4 and this would add 1.";
        assertEquals(Errors.POLICY_VIOLATION, validated.error());
        assertEquals(message, validated.message());
        assertEquals(Errors.POLICY_VIOLATION, created.error());
        assertEquals(message, created.message());
        assertNull(created.topic());
        assertTrue(topics.topic("acme.c").isEmpty());
        assertTrue(topics.create("globex.big", 9, Map.of(), false).isOk(), "another family is not limited");
        assertTrue(topics.create("acmeish", 9, Map.of(), false).isOk(), "nor a name that only starts alike");
    }

    @Test
    void shouldRefusePartitionIncreasesPastTheLimitAndAllowReachingIt() {
        open(Map.of(), ACME_UP_TO_FOUR);
        topics.create("acme.a", 1, Map.of(), false);
        topics.create("acme.b", 1, Map.of(), false);

        Result past = topics.createPartitions("acme.a", 4, false);
        Result validatedPast = topics.createPartitions("acme.a", 4, true);

        assertEquals(Errors.POLICY_VIOLATION, past.error());
        assertEquals("The partition quota of application acme is 4 partitions: it holds 2 and this would add 3.",
                past.message());
        assertEquals(Errors.POLICY_VIOLATION, validatedPast.error());
        assertEquals(1, topics.topic("acme.a").orElseThrow().partitions());
        assertTrue(topics.createPartitions("acme.a", 3, false).isOk());
        assertEquals(3, topics.topic("acme.a").orElseThrow().partitions());
    }

    @Test
    void shouldRefuseAutoCreationPastTheLimit() {
        open(Map.of("num.partitions", "3"), ACME_UP_TO_FOUR);

        Lookup first = topics.lookupOrCreate("acme.first", true);
        Lookup second = topics.lookupOrCreate("acme.second", true);

        assertEquals(Errors.NONE, first.error());
        assertEquals(Errors.POLICY_VIOLATION, second.error());
        assertNull(second.topic());
        assertTrue(topics.topic("acme.second").isEmpty());
    }

    @Test
    void shouldCountTopicsLoadedAtStartAndFreeRoomOnDeletion() {
        open(Map.of(), ACME_UP_TO_FOUR);
        topics.create("acme.a", 3, Map.of(), false);
        logManager.close();
        open(Map.of(), ACME_UP_TO_FOUR);

        assertEquals(Errors.POLICY_VIOLATION, topics.create("acme.b", 2, Map.of(), false).error());
        assertTrue(topics.delete("acme.a").isOk());
        assertTrue(topics.create("acme.b", 4, Map.of(), false).isOk());
    }

    private void open(Map<String, String> settings) {
        open(settings, PartitionLimits.NONE);
    }

    private void open(Map<String, String> settings, PartitionLimits limits) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("log.dirs", dir.toString());
        FerryConfig config = FerryConfig.of(all);
        logManager = LogManager.open(new StorageConfig(List.of(dir), 64, 60_000, 1_000));
        topics = new TopicManager(config, logManager, limits);
    }

    private void reopen(Map<String, String> settings) {
        logManager.close();
        open(settings);
    }
}
