package dev.ferry.client;

import dev.ferry.client.ClusterMetadata.TopicInfo;
import dev.ferry.protocol.Errors;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Sends records to their partitions' leaders in batches, from a background thread.
 *
 * <p>{@link #send} places the record (its own partition, the key's hash, or a sticky partition for unkeyed records)
 * and queues it; the sender thread sends a partition's batch once it is full or has lingered, retries retriable
 * failures with backoff, and completes each record's future with its offset or its failure. Records of one partition
 * are stored in the order sent. Topics are looked up on first use, and created by the broker if it auto-creates
 * topics.
 *
 * <pre>{@code
 * try (KafkaCluster cluster = new KafkaCluster(ClientSettings.to(HostPort.parse("127.0.0.1:9092")));
 *      Producer producer = new Producer(cluster, ProducerSettings.defaults())) {
 *     producer.send(ProducerRecord.of("orders", bytes)).join();
 * }
 * }</pre>
 *
 * <p><b>Thread-safe:</b> any thread may send and flush. Futures complete on the sender thread, so their callbacks
 * should be quick.
 */
public final class Producer implements AutoCloseable {

    /** How long {@link #send} waits for buffer memory or a new topic's metadata, as Kafka's max.block.ms. */
    private static final Duration MAX_BLOCK = Duration.ofSeconds(60);

    private final ProducerSettings settings;
    private final TopicMetadataCache metadata;
    private final RecordAccumulator accumulator;
    private final Partitioner partitioner;
    private final Thread senderThread;
    private volatile boolean closed;

    public Producer(KafkaCluster cluster, ProducerSettings settings) {
        this.settings = settings;
        this.metadata = new TopicMetadataCache(cluster, true, MAX_BLOCK);
        this.accumulator = new RecordAccumulator(settings);
        this.partitioner = new Partitioner(settings.batchSize());
        this.senderThread = new Thread(new ProduceSender(cluster, settings, accumulator, metadata),
                "ferry-producer-sender");
        senderThread.setDaemon(true);
        senderThread.start();
    }

    /**
     * Queues a record for sending.
     *
     * @return a future completed with where the record was stored, or with the reason it could not be
     * @throws KafkaErrorException    when the topic does not exist (and is not auto-created), may not be used, or
     *                                lacks the partition asked for
     * @throws ClientTimeoutException when the buffer stays full, or the topic has no leaders, for too long
     * @throws IllegalStateException  when the producer is closed
     */
    public CompletableFuture<RecordMetadata> send(ProducerRecord record) {
        if (closed) {
            throw new IllegalStateException("The producer is closed");
        }
        TopicInfo topic = metadata.topic(record.topic());
        int partition;
        if (record.partition() != null) {
            partition = record.partition();
            if (partition < 0 || partition >= topic.partitionCount()) {
                throw new KafkaErrorException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "partition " + partition
                        + " of topic '" + record.topic() + "' does not exist (it has " + topic.partitionCount()
                        + (topic.partitionCount() == 1 ? " partition)" : " partitions)"));
            }
        } else {
            synchronized (partitioner) {
                partition = partitioner.partition(record.topic(), topic.partitionCount(), record.key(),
                        record.estimatedSize());
            }
        }
        long timestamp = record.timestamp() != null ? record.timestamp() : System.currentTimeMillis();
        return accumulator.append(new TopicPartition(record.topic(), partition), record, timestamp, MAX_BLOCK);
    }

    /**
     * The number of partitions of {@code topic}, looked up (and created, if the broker auto-creates topics) now, so
     * that a missing topic or an unreachable cluster shows before the first record is sent.
     *
     * @throws KafkaErrorException when the topic does not exist or may not be used
     */
    public int partitionCount(String topic) {
        return metadata.topic(topic).partitionCount();
    }

    /**
     * Sends every queued record at once and waits until each record sent before this call has completed,
     * successfully or not.
     *
     * @return whether they completed within {@code timeout}
     */
    public boolean flush(Duration timeout) {
        return accumulator.flush(timeout);
    }

    /** Flushes without a time limit; each record still fails after the delivery timeout. */
    public void flush() {
        accumulator.flush(Duration.ofNanos(Long.MAX_VALUE));
    }

    /** The settings the producer was made with. */
    public ProducerSettings settings() {
        return settings;
    }

    /**
     * Sends what is queued, waits up to {@code timeout} for it to complete, and stops the sender; records still
     * incomplete then fail.
     */
    public void close(Duration timeout) {
        if (closed) {
            return;
        }
        closed = true;
        accumulator.close();
        try {
            senderThread.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (senderThread.isAlive()) {
            for (ProducerBatch batch : accumulator.abandonQueued()) {
                batch.fail(new ClientTimeoutException("the producer closed before " + batch.partition()
                        + " acknowledged the records"));
                accumulator.completed(batch);
            }
        }
    }

    /** Sends what is queued and waits for it, each record bounded by the delivery timeout. */
    @Override
    public void close() {
        close(settings.deliveryTimeout().plusSeconds(5));
    }
}
