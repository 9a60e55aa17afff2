package dev.ferry.broker.group;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The group coordinator's timers (session expiry, rebalance and sync deadlines), keyed so that scheduling a key
 * again replaces its earlier timer. A task runs on the shared scheduler while holding the coordinator's lock, and
 * only if it is still the timer of its key when it gets the lock: a timer rescheduled or cancelled concurrently
 * never fires late.
 *
 * <p><b>Thread-safety:</b> {@link #schedule} and {@link #cancel} must be called holding the coordinator's lock (they
 * are, from every group operation); tasks are short and must not block.
 */
public final class GroupTimers {

    /** Where timers run: the broker's scheduler, or a manual one in tests. */
    @FunctionalInterface
    public interface Scheduler {
        /** Runs {@code task} after {@code delayMs}; the returned future cancels it. */
        Future<?> schedule(Runnable task, long delayMs);
    }

    private final Scheduler scheduler;
    private final Object lock;
    private final Map<String, Timer> timers = new HashMap<>();
    private boolean closed;

    /**
     * @param scheduler runs the tasks; shared with the rest of the broker
     * @param lock      the coordinator's lock, held while a task runs
     */
    public GroupTimers(ScheduledExecutorService scheduler, Object lock) {
        this((task, delayMs) -> scheduler.schedule(task, delayMs, TimeUnit.MILLISECONDS), lock);
    }

    /**
     * @param scheduler runs the tasks
     * @param lock      the coordinator's lock, held while a task runs
     */
    public GroupTimers(Scheduler scheduler, Object lock) {
        this.scheduler = scheduler;
        this.lock = lock;
    }

    private static final class Timer {
        Future<?> future;
    }

    /** Runs {@code task} under the coordinator's lock in {@code delayMs}, replacing any timer of {@code key}. */
    public void schedule(String key, long delayMs, Runnable task) {
        cancel(key);
        if (closed) {
            return;
        }
        Timer timer = new Timer();
        timers.put(key, timer);
        try {
            timer.future = scheduler.schedule(() -> fire(key, timer, task), Math.max(0, delayMs));
        } catch (RejectedExecutionException e) {
            // the broker is stopping: no timer matters any more
            timers.remove(key);
        }
    }

    /** Cancels the timer of {@code key}, if any. */
    public void cancel(String key) {
        Timer timer = timers.remove(key);
        if (timer != null && timer.future != null) {
            timer.future.cancel(false);
        }
    }

    /** Whether a timer of {@code key} is pending. */
    public boolean isScheduled(String key) {
        return timers.containsKey(key);
    }

    /** Cancels every timer; later schedules are ignored. */
    public void close() {
        closed = true;
        timers.values().forEach(timer -> {
            if (timer.future != null) {
                timer.future.cancel(false);
            }
        });
        timers.clear();
    }

    private void fire(String key, Timer timer, Runnable task) {
        synchronized (lock) {
            if (timers.get(key) != timer) {
                return;
            }
            timers.remove(key);
            task.run();
        }
    }
}
