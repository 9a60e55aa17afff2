package dev.ferry.broker.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.config.FerryConfig;
import dev.ferry.storage.Log;
import dev.ferry.storage.LogManager;
import dev.ferry.storage.StorageConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplicationStorageTest {

    @TempDir
    Path dir;

    private LogManager logManager;
    private TopicManager topics;
    private final Map<String, Long> limits = new HashMap<>();
    private ApplicationStorage storage;

    @BeforeEach
    void open() {
        logManager = LogManager.open(new StorageConfig(List.of(dir), 64, 60_000, 1_000));
        topics = new TopicManager(FerryConfig.of(Map.of("log.dirs", dir.toString())), logManager);
        storage = new ApplicationStorage(logManager, application -> limits.getOrDefault(application, Long.MAX_VALUE));
    }

    @AfterEach
    void close() {
        logManager.close();
    }

    @Test
    void shouldMeasureTheLogsOfEachApplicationsTopicsByPrefix() {
        long acmeA0 = append("acme.a", 0, 10);
        long acmeA1 = append("acme.a", 1, 30);
        long acmeB = append("acme.b", 0, 50);
        long globex = append("globex.t", 0, 20);
        append("plain", 0, 40);

        storage.measure();

        assertEquals(acmeA0 + acmeA1 + acmeB, storage.storedBytes("acme"));
        assertEquals(globex, storage.storedBytes("globex"));
        assertEquals(0, storage.storedBytes("plain"), "a topic without an application prefix counts for none");
        assertEquals(0, storage.storedBytes("initech"));
    }

    @Test
    void shouldMeasureTheLogsOfARestartedBrokerWithoutLoadingThem() {
        long acmeA = append("acme.a", 0, 10);
        long acmeB = append("acme.b", 1, 20);
        logManager.close();
        open();

        storage.measure();

        assertEquals(acmeA + acmeB, storage.storedBytes("acme"));
        assertEquals(0, logManager.openSegmentCount(), "no log was loaded, so no segment file is open");
    }

    @Test
    void shouldAddAppendsToTheLastMeasurementUntilTheNextOne() {
        long measured = append("acme.a", 0, 10);
        storage.measure();

        storage.appended("acme", 100);
        storage.appended("acme", 25);
        storage.appended("initech", 7);

        assertEquals(measured + 125, storage.storedBytes("acme"));
        assertEquals(7, storage.storedBytes("initech"), "an application that had nothing starts from zero");

        storage.measure();

        assertEquals(measured, storage.storedBytes("acme"), "a measurement replaces what appends estimated");
        assertEquals(0, storage.storedBytes("initech"));
    }

    @Test
    void shouldRefuseOnlyAtOrOverTheLimit() {
        long stored = append("acme.a", 0, 10);
        storage.measure();
        limits.put("acme", stored + 2);

        assertNull(storage.refusal("acme"));
        storage.appended("acme", 1);
        assertNull(storage.refusal("acme"), "one byte below the limit");
        storage.appended("acme", 1);
        assertEquals("Application acme stores " + (stored + 2) + " bytes, at or over its max.stored.bytes quota of "
                + (stored + 2) + " bytes: nothing more is accepted until retention or deletions free space.",
                storage.refusal("acme"));
        storage.appended("acme", 1000);
        assertTrue(storage.refusal("acme").startsWith("Application acme stores " + (stored + 1002) + " bytes"),
                storage.refusal("acme"));
        assertNull(storage.refusal("globex"), "each application has its own limit");
    }

    @Test
    void shouldRefuseAnApplicationLimitedToNothingBeforeItStoresAnything() {
        limits.put("acme", 0L);

        assertEquals("Application acme stores 0 bytes, at or over its max.stored.bytes quota of 0 bytes: nothing "
                + "more is accepted until retention or deletions free space.", storage.refusal("acme"));
    }

    @Test
    void shouldNeverRefuseAnUnlimitedApplication() {
        append("acme.a", 0, 10);
        storage.measure();

        storage.appended("acme", Long.MAX_VALUE / 2);

        assertNull(storage.refusal("acme"));
    }

    @Test
    void shouldDropADeletedTopicsBytesAtTheNextMeasurement() {
        long kept = append("acme.kept", 0, 10);
        long deleted = append("acme.deleted", 0, 60);
        append("globex.only", 0, 10);
        storage.measure();
        limits.put("acme", kept + deleted);
        assertEquals(kept + deleted, storage.storedBytes("acme"));
        assertNotNull(storage.refusal("acme"));

        topics.delete("acme.deleted");
        topics.delete("globex.only");
        storage.measure();

        assertEquals(kept, storage.storedBytes("acme"));
        assertEquals(0, storage.storedBytes("globex"));
        assertNull(storage.refusal("acme"), "the space freed is available again");
    }

    /** Creates the topic if needed and appends a batch of {@code records} records to the partition; its new size. */
    private long append(String topic, int partition, int records) {
        if (topics.topic(topic).isEmpty()) {
            assertTrue(topics.create(topic, 2, Map.of(), false).isOk());
        }
        SimpleRecord[] batch = new SimpleRecord[records];
        for (int i = 0; i < records; i++) {
            batch[i] = new SimpleRecord(("value-" + i).getBytes());
        }
        Log log = topics.log(topic, partition).orElseThrow();
        log.append(MemoryRecords.withRecords(Compression.NONE, batch).buffer(), 0L);
        assertTrue(log.sizeInBytes() > 0);
        return log.sizeInBytes();
    }
}
