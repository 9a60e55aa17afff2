package dev.ferry.broker.fetch;

import dev.ferry.storage.TopicPartition;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The fetches waiting for data, by partition — Kafka's fetch purgatory. Appends {@link #wake(TopicPartition) wake}
 * the fetches watching their partition; a timer on the shared scheduler completes each one at its max_wait_ms.
 *
 * <p>{@link #wake} is called on the append path after every successful append: with nobody waiting it costs one
 * map look-up and allocates nothing. A wake-up re-reads the waiting fetch's partitions on the caller's thread, as
 * Kafka completes delayed fetches on the thread that appended.
 *
 * <p><b>Thread-safety:</b> all methods are safe to call from any thread.
 */
public final class FetchWaiters {

    private final ScheduledExecutorService scheduler;
    private final ConcurrentHashMap<TopicPartition, Set<DelayedFetch>> waiting = new ConcurrentHashMap<>();

    /** @param scheduler times out waiting fetches; its tasks here never block */
    public FetchWaiters(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * Parks {@code fetch} until an append to one of its partitions satisfies it or {@code maxWaitMs} passes. If the
     * scheduler no longer accepts tasks (the broker is stopping) the fetch completes at once with what it has.
     *
     * <p>Does not throw once the fetch is registered: a failure after that point fails the fetch's future, closing
     * the slices it kept, and forgets the fetch, so that a caller returning the future leaks nothing.
     */
    public void await(DelayedFetch fetch, long maxWaitMs) {
        for (TopicPartition partition : fetch.partitions()) {
            waiting.compute(partition, (key, fetches) -> {
                Set<DelayedFetch> watchers = fetches != null ? fetches : ConcurrentHashMap.newKeySet();
                watchers.add(fetch);
                return watchers;
            });
        }
        if (fetch.isCompleted()) {
            // an append completed it while it was being registered, possibly before the partitions after it
            unwatch(fetch);
            return;
        }
        try {
            fetch.setTimeout(scheduler.schedule(() -> expire(fetch), maxWaitMs, TimeUnit.MILLISECONDS));
            // an append between the fetch's read and its registration above woke nobody: look again
            if (fetch.isStale()) {
                tryComplete(fetch);
            }
        } catch (RejectedExecutionException e) {
            expire(fetch);
        } catch (RuntimeException e) {
            fail(fetch, e);
        }
    }

    /** Re-reads every fetch waiting on {@code partition}, completing those that now have enough. */
    public void wake(TopicPartition partition) {
        Set<DelayedFetch> fetches = waiting.get(partition);
        if (fetches == null) {
            return;
        }
        for (DelayedFetch fetch : fetches) {
            tryComplete(fetch);
        }
    }

    /** Fetches currently waiting on {@code partition}. */
    public int waitingOn(TopicPartition partition) {
        Set<DelayedFetch> fetches = waiting.get(partition);
        return fetches == null ? 0 : fetches.size();
    }

    private void tryComplete(DelayedFetch fetch) {
        if (fetch.tryComplete()) {
            fetch.cancelTimeout();
            unwatch(fetch);
        }
    }

    private void expire(DelayedFetch fetch) {
        fetch.expire();
        unwatch(fetch);
    }

    private void fail(DelayedFetch fetch, RuntimeException cause) {
        fetch.fail(cause);
        fetch.cancelTimeout();
        unwatch(fetch);
    }

    private void unwatch(DelayedFetch fetch) {
        for (TopicPartition partition : fetch.partitions()) {
            waiting.computeIfPresent(partition, (key, fetches) -> {
                fetches.remove(fetch);
                return fetches.isEmpty() ? null : fetches;
            });
        }
    }
}
