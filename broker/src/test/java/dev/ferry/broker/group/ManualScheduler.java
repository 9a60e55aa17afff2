package dev.ferry.broker.group;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/** A scheduler for group timers that runs tasks only when a test advances its clock. Not thread-safe. */
public final class ManualScheduler implements GroupTimers.Scheduler {

    private record Task(long dueMs, long sequence, Runnable task, CompletableFuture<Void> handle) {
    }

    private final List<Task> tasks = new ArrayList<>();
    private long nowMs;
    private long sequence;

    @Override
    public Future<?> schedule(Runnable task, long delayMs) {
        CompletableFuture<Void> handle = new CompletableFuture<>();
        tasks.add(new Task(nowMs + delayMs, sequence++, task, handle));
        return handle;
    }

    public long nowMs() {
        return nowMs;
    }

    /** Moves the clock forward, running every task that falls due, in due order. */
    public void advance(long ms) {
        long target = nowMs + ms;
        while (true) {
            Task next = tasks.stream().filter(t -> !t.handle().isCancelled() && t.dueMs() <= target)
                    .min(Comparator.comparingLong(Task::dueMs).thenComparingLong(Task::sequence)).orElse(null);
            if (next == null) {
                break;
            }
            tasks.remove(next);
            nowMs = Math.max(nowMs, next.dueMs());
            next.task().run();
        }
        tasks.removeIf(t -> t.handle().isCancelled());
        nowMs = target;
    }
}
