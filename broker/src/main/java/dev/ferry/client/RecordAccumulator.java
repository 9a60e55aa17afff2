package dev.ferry.client;

import static dev.ferry.protocol.record.RecordBatchDescriptor.RECORDS_OFFSET;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The producer's queues: one queue of batches per partition, filled by {@link #append} and drained by the sender.
 *
 * <p>A partition's head batch is ready when it is full (or followed by another), when its linger has passed, when a
 * flush or close asks for everything, or when its retry backoff has passed. At most one batch per partition is in
 * flight, and a failed batch goes back to the head of its queue, so records reach each partition in the order they
 * were appended, retries included. Appends block while the unsent bytes exceed the buffer memory.
 *
 * <p><b>Thread-safe:</b> any thread appends and flushes; one sender thread drains, requeues and completes.
 */
final class RecordAccumulator {

    private final ProducerSettings settings;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<TopicPartition, ArrayDeque<ProducerBatch>> queues = new LinkedHashMap<>();
    private final Set<TopicPartition> inFlight = new HashSet<>();
    private long bufferedBytes;
    private int incompleteBatches;
    private int flushesInProgress;
    private boolean closing;

    RecordAccumulator(ProducerSettings settings) {
        this.settings = settings;
    }

    /**
     * Adds a record to the last batch of its partition's queue, or to a new batch, waiting up to {@code maxBlock}
     * for buffer memory.
     *
     * @throws ClientTimeoutException when the buffer stays full for {@code maxBlock}
     * @throws IllegalStateException  when the producer is closing
     */
    CompletableFuture<RecordMetadata> append(TopicPartition partition, ProducerRecord record, long timestamp,
                                             Duration maxBlock) {
        int size = record.estimatedSize();
        lock.lock();
        try {
            long remaining = maxBlock.toNanos();
            while (!closing && bufferedBytes > 0 && bufferedBytes + size > settings.bufferMemory()) {
                if (remaining <= 0) {
                    throw new ClientTimeoutException("the producer's buffer stayed full for " + maxBlock.toMillis()
                            + " ms");
                }
                remaining = awaitNanos(remaining);
            }
            if (closing) {
                throw new IllegalStateException("The producer is closed");
            }
            ArrayDeque<ProducerBatch> queue = queues.computeIfAbsent(partition, p -> new ArrayDeque<>());
            ProducerBatch last = queue.peekLast();
            CompletableFuture<RecordMetadata> future = last == null ? null
                    : last.tryAppend(record, timestamp, size, settings.batchSize());
            if (future == null) {
                ProducerBatch batch = new ProducerBatch(partition, System.nanoTime());
                future = batch.tryAppend(record, timestamp, size, settings.batchSize());
                queue.addLast(batch);
                incompleteBatches++;
            }
            bufferedBytes += size;
            changed.signalAll();
            return future;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until some batches are ready and takes them out of their queues, at most one per partition and about
     * {@code maxRequestSize} bytes in all; their partitions count as in flight until requeued or completed.
     *
     * @return the ready batches, or null once the accumulator is closing and every batch is complete
     */
    List<ProducerBatch> awaitReady() {
        lock.lock();
        try {
            while (true) {
                long now = System.nanoTime();
                List<ProducerBatch> ready = new ArrayList<>();
                long wait = Long.MAX_VALUE;
                int bytes = 0;
                for (Map.Entry<TopicPartition, ArrayDeque<ProducerBatch>> entry : queues.entrySet()) {
                    ArrayDeque<ProducerBatch> queue = entry.getValue();
                    ProducerBatch head = queue.peekFirst();
                    if (head == null || inFlight.contains(entry.getKey())) {
                        continue;
                    }
                    long readyAt = readyAtNanos(head, queue.size());
                    if (readyAt - now > 0) {
                        wait = Math.min(wait, readyAt - now);
                        continue;
                    }
                    if (!ready.isEmpty() && bytes + head.sizeInBytes() > settings.maxRequestSize()) {
                        wait = 0;
                        continue;
                    }
                    queue.pollFirst();
                    head.seal();
                    inFlight.add(entry.getKey());
                    ready.add(head);
                    bytes += head.sizeInBytes();
                }
                if (!ready.isEmpty()) {
                    return ready;
                }
                if (closing && incompleteBatches == 0) {
                    return null;
                }
                if (wait == Long.MAX_VALUE) {
                    changed.awaitUninterruptibly();
                } else if (wait > 0) {
                    awaitNanos(wait);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** When the head batch of a queue of {@code queueSize} batches may go. */
    private long readyAtNanos(ProducerBatch head, int queueSize) {
        if (head.attempts() > 0) {
            return head.retryAtNanos();
        }
        if (queueSize > 1 || head.sizeInBytes() >= settings.batchSize() || flushesInProgress > 0 || closing) {
            return head.createdNanos();
        }
        return head.createdNanos() + settings.linger().toNanos();
    }

    /** Puts a batch whose attempt failed back at the head of its queue, to be tried again from {@code atNanos}. */
    void requeue(ProducerBatch batch, long atNanos) {
        lock.lock();
        try {
            batch.retryAt(atNanos);
            queues.computeIfAbsent(batch.partition(), p -> new ArrayDeque<>()).addFirst(batch);
            inFlight.remove(batch.partition());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Forgets a batch the sender has completed or failed, freeing its buffer memory. */
    void completed(ProducerBatch batch) {
        lock.lock();
        try {
            inFlight.remove(batch.partition());
            // appends counted the records' bytes only, not the batch header
            bufferedBytes -= batch.sizeInBytes() - RECORDS_OFFSET;
            incompleteBatches--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes every batch ready at once and waits until each batch appended so far has completed.
     *
     * @return whether they completed within {@code timeout}
     */
    boolean flush(Duration timeout) {
        lock.lock();
        try {
            flushesInProgress++;
            changed.signalAll();
            long remaining = timeout.toNanos();
            while (incompleteBatches > 0) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = awaitNanos(remaining);
            }
            return true;
        } finally {
            flushesInProgress--;
            lock.unlock();
        }
    }

    /** Refuses further appends and makes every batch ready; the sender stops once all have completed. */
    void close() {
        lock.lock();
        try {
            closing = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes every batch still queued (none in flight), for failing them when the producer gives up; the caller
     * reports each as {@link #completed}.
     */
    List<ProducerBatch> abandonQueued() {
        lock.lock();
        try {
            List<ProducerBatch> abandoned = new ArrayList<>();
            for (ArrayDeque<ProducerBatch> queue : queues.values()) {
                abandoned.addAll(queue);
                queue.clear();
            }
            return abandoned;
        } finally {
            lock.unlock();
        }
    }

    private long awaitNanos(long nanos) {
        try {
            return changed.awaitNanos(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }
}
