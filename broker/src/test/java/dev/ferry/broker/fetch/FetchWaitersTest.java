package dev.ferry.broker.fetch;

import static dev.ferry.broker.handler.DataPlaneApisFixture.release;
import static dev.ferry.broker.handler.DataPlaneApisFixture.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.broker.handler.DataPlaneApisFixture;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.FetchRequestData;
import dev.ferry.protocol.message.FetchRequestData.FetchPartition;
import dev.ferry.protocol.message.FetchRequestData.FetchTopic;
import dev.ferry.protocol.message.FetchResponseData;
import dev.ferry.storage.TopicPartition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FetchWaitersTest {

    private static final String TOPIC = "clicks";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final short VERSION = 12;

    @TempDir
    Path dir;

    @Test
    void shouldCompleteAWaitingFetchOnAnAppendAndForgetIt() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            DelayedFetch fetch = delayedFetch(fixture, 1);
            fixture.waiters().await(fetch, TimeUnit.MINUTES.toMillis(5));
            assertEquals(1, fixture.waiters().waitingOn(PARTITION));

            fixture.produce(TOPIC, 0, fixture.batch("hello"));

            assertTrue(fetch.future().isDone());
            assertEquals(0, fixture.waiters().waitingOn(PARTITION));
            FetchResponseData response = fetch.future().join();
            try {
                assertEquals(List.of("hello"),
                        values(response.responses().get(0).partitions().get(0).records()));
            } finally {
                release(response);
            }
        }
    }

    @Test
    void shouldExpireAtMaxWaitAndForgetTheFetch() throws Exception {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            DelayedFetch fetch = delayedFetch(fixture, 1);

            fixture.waiters().await(fetch, 5);
            FetchResponseData response = fetch.future().get(30, TimeUnit.SECONDS);
            // the timer thread forgets the fetch right after completing it: wait for that task to finish
            fixture.scheduler().submit(() -> { }).get(30, TimeUnit.SECONDS);

            assertEquals(0, fixture.waiters().waitingOn(PARTITION));
            assertEquals(0, response.responses().get(0).partitions().get(0).records().sizeInBytes());
            release(response);
        }
    }

    @Test
    void shouldReadAgainWhenTheLogGrewBeforeTheFetchWasRegistered() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            DelayedFetch fetch = delayedFetch(fixture, 1);
            // appended straight to the log: nobody is woken
            fixture.log(TOPIC, 0).append(fixture.batch("sneaky").nioBuffer(), System.currentTimeMillis());

            fixture.waiters().await(fetch, TimeUnit.MINUTES.toMillis(5));

            assertTrue(fetch.future().isDone());
            assertEquals(0, fixture.waiters().waitingOn(PARTITION));
            FetchResponseData response = fetch.future().join();
            try {
                assertEquals(List.of("sneaky"), values(response.responses().get(0).partitions().get(0).records()));
            } finally {
                release(response);
            }
        }
    }

    @Test
    void shouldCompleteAtOnceWhenTheSchedulerIsStopping() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            ScheduledExecutorService stopped = Executors.newSingleThreadScheduledExecutor();
            stopped.shutdown();
            FetchWaiters waiters = new FetchWaiters(stopped);
            FetchResult first = new FetchReader(fixture.topics()).read(request(), VERSION, 1 << 20);
            DelayedFetch fetch = new DelayedFetch(first, 1, () -> {
                throw new AssertionError("no read expected");
            });

            waiters.await(fetch, TimeUnit.MINUTES.toMillis(5));

            assertTrue(fetch.future().isDone());
            assertSame(first.response(), fetch.future().join());
            assertEquals(0, waiters.waitingOn(PARTITION));
            first.close();
        }
    }

    @Test
    void shouldLeaveOtherPartitionsWaitersAlone() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            fixture.createTopic("other", 1);
            DelayedFetch fetch = delayedFetch(fixture, 1);
            fixture.waiters().await(fetch, TimeUnit.MINUTES.toMillis(5));

            fixture.produce("other", 0, fixture.batch("elsewhere"));

            assertFalse(fetch.future().isDone());
            assertEquals(1, fixture.waiters().waitingOn(PARTITION));
            fixture.produce(TOPIC, 0, fixture.batch("here"));
            assertTrue(fetch.future().isDone());
            release(fetch.future().join());
        }
    }

    @Test
    void shouldReleaseEverySegmentWhenTheLogIsDeletedBeforeTheFetchIsRegistered() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            fixture.createTopic(TOPIC, 1);
            fixture.produce(TOPIC, 0, fixture.batch("kept"));
            // the first read holds a slice of the segment but falls short of min_bytes
            DelayedFetch fetch = delayedFetch(fixture, 1 << 20);
            assertTrue(fixture.topics().delete(TOPIC).isOk());
            assertEquals(1, fixture.logManager().openSegmentCount(), "the kept slice holds the deleted segment");

            fixture.waiters().await(fetch, TimeUnit.MINUTES.toMillis(5));

            assertTrue(fetch.future().isDone(), "reading the deleted partition again answers at once");
            assertEquals(0, fixture.waiters().waitingOn(PARTITION));
            FetchResponseData response = fetch.future().join();
            release(response);
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(),
                    response.responses().get(0).partitions().get(0).errorCode());
            fixture.awaitNoOpenSegments();
        }
    }

    private static DelayedFetch delayedFetch(DataPlaneApisFixture fixture, int minBytes) {
        FetchReader reader = new FetchReader(fixture.topics());
        FetchRequestData request = request();
        FetchResult first = reader.read(request, VERSION, 1 << 20);
        return new DelayedFetch(first, minBytes, () -> reader.read(request, VERSION, 1 << 20));
    }

    private static FetchRequestData request() {
        return new FetchRequestData().setMaxWaitMs(60_000).setMinBytes(1).setMaxBytes(1 << 20).setSessionEpoch(-1)
                .setTopics(new ArrayList<>(List.of(new FetchTopic().setTopic(TOPIC)
                        .setPartitions(new ArrayList<>(List.of(new FetchPartition().setPartition(0)
                                .setFetchOffset(0).setPartitionMaxBytes(1 << 20)))))));
    }
}
