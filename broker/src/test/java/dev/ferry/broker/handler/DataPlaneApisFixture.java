package dev.ferry.broker.handler;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.broker.fetch.FetchReader;
import dev.ferry.broker.fetch.FetchWaiters;
import dev.ferry.broker.network.FetchSliceRecords;
import dev.ferry.broker.tenant.Principal;
import dev.ferry.broker.topic.TopicManager;
import dev.ferry.broker.topic.TopicManager.Result;
import dev.ferry.config.FerryConfig;
import dev.ferry.protocol.ByteBufRecords;
import dev.ferry.protocol.Records;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.FetchResponseData;
import dev.ferry.protocol.message.FetchResponseData.FetchableTopicResponse;
import dev.ferry.protocol.message.FetchResponseData.PartitionData;
import dev.ferry.protocol.message.ProduceRequestData;
import dev.ferry.protocol.message.ProduceRequestData.PartitionProduceData;
import dev.ferry.protocol.message.ProduceRequestData.TopicProduceData;
import dev.ferry.protocol.message.ProduceResponseData;
import dev.ferry.protocol.message.ProduceResponseData.PartitionProduceResponse;
import dev.ferry.protocol.record.Record;
import dev.ferry.protocol.record.RecordBatch;
import dev.ferry.protocol.record.RecordBatchBuilder;
import dev.ferry.protocol.record.RecordReader;
import dev.ferry.storage.FetchSlice;
import dev.ferry.storage.Log;
import dev.ferry.storage.LogManager;
import dev.ferry.storage.StorageConfig;
import dev.ferry.storage.TopicPartition;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The data-plane handlers over a real storage engine in a temporary directory, for tests: topics, a scheduler for
 * long polls, record batches in pooled buffers (released on close, so the leak detector sees any the code under
 * test keeps), and helpers to build requests and read responses.
 */
public final class DataPlaneApisFixture implements AutoCloseable {

    /** Record timestamps of {@link #batch(String...)}: 1000, 1001, ... in each batch. */
    public static final long BASE_TIMESTAMP = 1_000;

    private static final long SEGMENT_CLOSE_TIMEOUT_MS = 10_000;
    private static final long POLL_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final FerryConfig config;
    private final LogManager logManager;
    private final TopicManager topics;
    private final ScheduledExecutorService scheduler;
    private final FetchWaiters waiters;
    private final List<ByteBuf> buffers = new ArrayList<>();

    public DataPlaneApisFixture(Path dir) {
        this(dir, Map.of());
    }

    /** @param settings broker settings on top of the defaults */
    public DataPlaneApisFixture(Path dir, Map<String, String> settings) {
        Path data = dir.resolve("data");
        Map<String, String> all = new HashMap<>(settings);
        all.putIfAbsent("log.dirs", data.toString());
        config = FerryConfig.of(all);
        logManager = LogManager.open(new StorageConfig(List.of(data), 64, TimeUnit.HOURS.toMillis(1),
                TimeUnit.HOURS.toMillis(1)));
        topics = new TopicManager(config, logManager);
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "test-fetch-timeouts");
            thread.setDaemon(true);
            return thread;
        });
        waiters = new FetchWaiters(scheduler);
    }

    public FerryConfig config() {
        return config;
    }

    public LogManager logManager() {
        return logManager;
    }

    public TopicManager topics() {
        return topics;
    }

    public FetchWaiters waiters() {
        return waiters;
    }

    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    public ProduceHandler produceHandler() {
        return new ProduceHandler(topics, waiters);
    }

    public FetchHandler fetchHandler() {
        return new FetchHandler(new FetchReader(topics), waiters, config.fetchMaxBytes());
    }

    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    public void createTopic(String name, int partitions, Map<String, String> configs) {
        Result result = topics.create(name, partitions, configs, false);
        assertTrue(result.isOk(), () -> "could not create " + name + ": " + result.error() + " " + result.message());
    }

    public Log log(String topic, int partition) {
        return topics.log(topic, partition).orElseThrow();
    }

    /**
     * Deletes a partition's log in storage while the topic stays known, as when a topic deletion races a request
     * that has already looked the log up.
     */
    public void deleteLogUnderneath(String topic, int partition) {
        logManager.deleteLog(new TopicPartition(topic, partition));
    }

    /**
     * Waits until no segment has its files open, failing after {@link #SEGMENT_CLOSE_TIMEOUT_MS}; the last release
     * of a deleted segment may close its files on a storage thread.
     */
    public void awaitNoOpenSegments() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SEGMENT_CLOSE_TIMEOUT_MS);
        while (logManager.openSegmentCount() != 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(logManager.openSegmentCount() + " segments still open: a reference leaked");
            }
            LockSupport.parkNanos(POLL_INTERVAL_NANOS);
        }
    }

    /** A batch of one record per value, timestamps from {@link #BASE_TIMESTAMP}; released when the fixture closes. */
    public ByteBuf batch(String... values) {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        for (int i = 0; i < values.length; i++) {
            builder.add(BASE_TIMESTAMP + i, null, values[i].getBytes(StandardCharsets.UTF_8));
        }
        return batch(builder);
    }

    /** The builder's batch in a pooled buffer, released when the fixture closes. */
    public ByteBuf batch(RecordBatchBuilder builder) {
        return track(builder.build(PooledByteBufAllocator.DEFAULT));
    }

    /** Keeps {@code buffer} until the fixture closes, then releases it. */
    public ByteBuf track(ByteBuf buffer) {
        buffers.add(buffer);
        return buffer;
    }

    public static RequestContext context(ApiMessageType api, int version) {
        return new RequestContext(api.apiKey(), (short) version, 1, "test-client",
                new InetSocketAddress("127.0.0.1", 50_000), "PLAINTEXT", System.nanoTime());
    }

    /** A request acting for {@code principal}, as on a broker with {@code auth.mode=tenant}. */
    public static RequestContext context(ApiMessageType api, int version, Principal principal) {
        return context(api, version).withPrincipal(principal);
    }

    /** A produce request of one batch to one partition, by topic name, acks -1. */
    public static ProduceRequestData produceRequest(String topic, int partition, ByteBuf batch) {
        return new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000)
                .setTopicData(new ArrayList<>(List.of(new TopicProduceData().setName(topic)
                        .setPartitionData(new ArrayList<>(List.of(new PartitionProduceData().setIndex(partition)
                                .setRecords(new ByteBufRecords(batch))))))));
    }

    /** Produces one batch at version 11 and returns the partition's answer. */
    public PartitionProduceResponse produce(String topic, int partition, ByteBuf batch) {
        ProduceResponseData response = join(produceHandler().handle(context(ApiMessageType.PRODUCE, 11),
                produceRequest(topic, partition, batch)));
        return response.responses().get(0).partitionResponses().get(0);
    }

    public static <T> T join(CompletableFuture<T> future) {
        return future.join();
    }

    /** The bytes of response records, whether still on disk or in memory. */
    public static byte[] bytes(Records records) {
        if (records instanceof FetchSliceRecords sliceRecords) {
            return bytes(sliceRecords.slice());
        }
        if (records instanceof ByteBufRecords bufRecords) {
            return ByteBufUtil.getBytes(bufRecords.buffer());
        }
        throw new IllegalArgumentException(String.valueOf(records));
    }

    static byte[] bytes(FetchSlice slice) {
        ByteBuffer buffer = ByteBuffer.allocate(slice.length());
        try {
            while (buffer.hasRemaining()) {
                int read = slice.channel().read(buffer, slice.position() + buffer.position());
                if (read < 0) {
                    throw new IllegalStateException("slice runs past the end of its file");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.array();
    }

    /** Every record in the records, in order, from their batches. */
    public static List<Record> records(Records records) {
        ByteBuf buffer = Unpooled.wrappedBuffer(bytes(records));
        List<Record> result = new ArrayList<>();
        RecordBatch batch = new RecordBatch();
        int position = 0;
        while (position < buffer.writerIndex()) {
            batch.wrap(buffer, position);
            result.addAll(RecordReader.readAll(batch));
            position += batch.sizeInBytes();
        }
        return result;
    }

    /** The values of the records as text. */
    public static List<String> values(Records records) {
        List<String> values = new ArrayList<>();
        for (Record record : records(records)) {
            values.add(new String(record.value(), StandardCharsets.UTF_8));
        }
        return values;
    }

    /** The offsets of the records. */
    public static List<Long> offsets(Records records) {
        List<Long> offsets = new ArrayList<>();
        for (Record record : records(records)) {
            offsets.add(record.offset());
        }
        return offsets;
    }

    /** The partition's answer in a fetch response of one topic. */
    public static PartitionData partition(FetchResponseData response, int index) {
        for (FetchableTopicResponse topic : response.responses()) {
            for (PartitionData partition : topic.partitions()) {
                if (partition.partitionIndex() == index) {
                    return partition;
                }
            }
        }
        throw new AssertionError("no partition " + index + " in " + response);
    }

    /** Closes the slices of a fetch response, as the network layer does once it has sent them. */
    public static void release(FetchResponseData response) {
        for (FetchableTopicResponse topic : response.responses()) {
            for (PartitionData partition : topic.partitions()) {
                if (partition.records() instanceof FetchSliceRecords sliceRecords) {
                    sliceRecords.close();
                }
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        for (ByteBuf buffer : buffers) {
            buffer.release();
        }
        logManager.close();
    }
}
