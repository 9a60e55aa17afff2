package dev.ferry.broker.topic;

import dev.ferry.storage.Log;
import dev.ferry.storage.LogManager;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * Enforces each application's {@code max.stored.bytes}: what its topics (those named {@code <application>.*}) hold
 * on disk, measured over every log by {@link #measure} (the broker calls it every second, off the produce path) and
 * raised by each append in between, so that a burst between two measurements is counted too. Retention and deletes
 * lower it at the next measurement.
 *
 * <p>An application at or over its limit is refused further appends; what it stored stays, and reads go on.
 *
 * <p><b>Thread-safety:</b> safe from any thread.
 */
public final class ApplicationStorage implements StorageQuota {

    private final LogManager logManager;
    private final ToLongFunction<String> maxStoredBytes;
    private final Map<String, AtomicLong> storedBytes = new ConcurrentHashMap<>();

    /**
     * @param maxStoredBytes each application's limit; {@link Long#MAX_VALUE} for none
     */
    public ApplicationStorage(LogManager logManager, ToLongFunction<String> maxStoredBytes) {
        this.logManager = logManager;
        this.maxStoredBytes = maxStoredBytes;
    }

    @Override
    public String refusal(String application) {
        long limit = maxStoredBytes.applyAsLong(application);
        if (limit == Long.MAX_VALUE) {
            return null;
        }
        long stored = storedBytes(application);
        return stored < limit ? null : "Application " + application + " stores " + stored
                + " bytes, at or over its max.stored.bytes quota of " + limit + " bytes: nothing more is accepted"
                + " until retention or deletions free space.";
    }

    @Override
    public void appended(String application, long bytes) {
        storedBytes.computeIfAbsent(application, app -> new AtomicLong()).addAndGet(bytes);
    }

    /** What {@code application}'s topics hold, as of the last measurement plus appends since. */
    public long storedBytes(String application) {
        AtomicLong stored = storedBytes.get(application);
        return stored == null ? 0 : stored.get();
    }

    /** Measures every application's stored bytes anew from the logs. */
    public void measure() {
        Map<String, Long> measured = new HashMap<>();
        for (Log log : logManager.logs()) {
            String topic = log.topicPartition().topic();
            int separator = topic.indexOf('.');
            if (separator > 0) {
                measured.merge(topic.substring(0, separator), log.sizeInBytes(), Long::sum);
            }
        }
        storedBytes.keySet().removeIf(application -> !measured.containsKey(application));
        measured.forEach((application, bytes) ->
                storedBytes.computeIfAbsent(application, app -> new AtomicLong()).set(bytes));
    }
}
