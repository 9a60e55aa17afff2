package dev.ferry.broker.fetch;

import dev.ferry.protocol.message.FetchResponseData;
import dev.ferry.storage.TopicPartition;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A Fetch that did not find min_bytes and waits, without holding a thread, for appends to bring enough or for
 * max_wait_ms to pass — Kafka's DelayedFetch.
 *
 * <p>It keeps the freshest result it has read. Each {@link #tryComplete() wake-up} reads all partitions again: a
 * result with at least min_bytes, or with an error, completes the fetch; a smaller one replaces the kept result
 * (whose slices are closed). At the timeout the kept result is sent as it is: since every append to a watched
 * partition has triggered a new read, it already holds everything that arrived, and the timer thread never touches
 * the disk.
 *
 * <p><b>Thread-safety:</b> wake-ups and the timeout may come from any threads at once. One re-read runs at a time; a
 * wake-up arriving during a read does not wait but makes the reading thread read once more (Kafka's
 * maybeTryComplete), so no append is missed and no producer blocks on another's read. The future is completed
 * exactly once, and every slice read is either sent in the response or closed.
 */
public final class DelayedFetch {

    private final Supplier<FetchResult> reader;
    private final int minBytes;
    private final List<TopicPartition> partitions;
    private final CompletableFuture<FetchResponseData> future = new CompletableFuture<>();
    private final AtomicBoolean completed = new AtomicBoolean();
    private final ReentrantLock reading = new ReentrantLock();
    private final AtomicBoolean readPending = new AtomicBoolean();
    private FetchResult latest;
    private volatile ScheduledFuture<?> timeout;

    /**
     * @param first    the result that fell short of min_bytes; this fetch takes ownership of it
     * @param minBytes the bytes that complete the fetch early
     * @param reader   reads all the request's partitions again, returning a result the caller owns
     */
    public DelayedFetch(FetchResult first, int minBytes, Supplier<FetchResult> reader) {
        this.latest = first;
        this.minBytes = minBytes;
        this.reader = reader;
        this.partitions = first.readPartitions();
    }

    /** Completes with the response once the fetch is satisfied or times out. */
    public CompletableFuture<FetchResponseData> future() {
        return future;
    }

    /** The partitions whose appends may satisfy this fetch. */
    List<TopicPartition> partitions() {
        return partitions;
    }

    boolean isCompleted() {
        return completed.get();
    }

    /** True when a watched log has grown since the kept result was read. */
    synchronized boolean isStale() {
        return latest != null && latest.isStale();
    }

    /**
     * Reads again and completes the fetch if it now has min_bytes or an error.
     *
     * @return true when the fetch is completed, by this call or earlier
     */
    boolean tryComplete() {
        boolean retry;
        do {
            if (reading.tryLock()) {
                try {
                    readPending.set(false);
                    if (!completed.get()) {
                        readOnce();
                    }
                } finally {
                    reading.unlock();
                }
                retry = readPending.get();
            } else {
                // the thread reading now will read once more; try ourselves only if it may have finished already
                retry = !readPending.getAndSet(true);
            }
        } while (retry && !completed.get());
        return completed.get();
    }

    /**
     * Completes the fetch with the kept result, if nothing completed it before.
     *
     * @return true when this call completed it
     */
    boolean expire() {
        if (!completed.compareAndSet(false, true)) {
            return false;
        }
        FetchResult result = takeLatest();
        future.complete(result.response());
        return true;
    }

    /**
     * Fails the fetch with {@code cause}, closing the kept result, if nothing completed it before.
     *
     * @return true when this call completed it
     */
    boolean fail(Throwable cause) {
        if (!completed.compareAndSet(false, true)) {
            return false;
        }
        takeLatest().close();
        future.completeExceptionally(cause);
        return true;
    }

    void setTimeout(ScheduledFuture<?> timeout) {
        this.timeout = timeout;
        if (completed.get()) {
            timeout.cancel(false);
        }
    }

    void cancelTimeout() {
        ScheduledFuture<?> scheduled = timeout;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }

    private void readOnce() {
        FetchResult next;
        try {
            next = reader.get();
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        if (next.hasError() || next.bytes() >= minBytes) {
            if (completed.compareAndSet(false, true)) {
                takeLatest().close();
                future.complete(next.response());
            } else {
                next.close();
            }
            return;
        }
        FetchResult replaced;
        synchronized (this) {
            if (completed.get()) {
                replaced = next;
            } else {
                replaced = latest;
                latest = next;
            }
        }
        replaced.close();
    }

    private synchronized FetchResult takeLatest() {
        FetchResult result = latest;
        latest = null;
        return result;
    }
}
