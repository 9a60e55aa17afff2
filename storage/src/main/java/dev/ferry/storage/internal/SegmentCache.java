package dev.ferry.storage.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bounds how many segments have their file descriptor and index mappings open, across every log of the storage.
 * Opening a segment beyond the bound closes the least recently used segment nobody holds a reference on; a
 * segment being read (an open {@link SegmentSlice}) or appended to is never closed, so when more than the bound are
 * in use at the same moment the count exceeds it until they are released.
 *
 * <p>A deleted or retired segment released by its last reader is closed on the storage's background executor, not
 * on the releasing thread, which may be a network event loop that must not block on unmapping, closing or this
 * cache's lock.
 *
 * <p><b>Thread-safety:</b> safe from any thread. Lock order: this cache's lock, then a segment's monitor; a thread
 * holding a segment's monitor never calls in here.
 */
final class SegmentCache {

    private final int maxOpenSegments;
    private final Executor closer;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<LogSegment> open = new ArrayList<>();
    private volatile int openCount;

    /** @param closer runs the final close of released segments; once it rejects work, they close on the caller */
    SegmentCache(final int maxOpenSegments, final Executor closer) {
        if (maxOpenSegments < 1) {
            throw new IllegalArgumentException("maxOpenSegments must be at least 1, was " + maxOpenSegments);
        }
        this.maxOpenSegments = maxOpenSegments;
        this.closer = closer;
    }

    int openCount() {
        return openCount;
    }

    /** Closes idle segments so that one more may open within the bound. */
    void makeRoom() {
        if (openCount < maxOpenSegments) {
            return;
        }
        lock.lock();
        try {
            evictDownTo(maxOpenSegments - 1);
        } finally {
            lock.unlock();
        }
    }

    /** Records a segment that has just opened its files, then restores the bound if a race overshot it. */
    void opened(final LogSegment segment) {
        lock.lock();
        try {
            open.add(segment);
            evictDownTo(maxOpenSegments);
            openCount = open.size();
        } finally {
            lock.unlock();
        }
    }

    /** Closes a deleted or retired segment on the closer unless somebody takes a reference on it first. */
    void closeLater(final LogSegment segment) {
        try {
            closer.execute(() -> closeIfUnused(segment));
        } catch (RejectedExecutionException shutDown) {
            closeIfUnused(segment);
        }
    }

    private void closeIfUnused(final LogSegment segment) {
        if (segment.closeIfUnused()) {
            closed(segment);
        }
    }

    /** Records a segment that closed its files on its own (deletion, log close). */
    void closed(final LogSegment segment) {
        lock.lock();
        try {
            open.remove(segment);
            openCount = open.size();
        } finally {
            lock.unlock();
        }
    }

    /** Closes segments nobody used for {@code idleNanos}; returns how many. */
    int closeIdle(final long idleNanos) {
        final long now = System.nanoTime();
        int closed = 0;
        lock.lock();
        try {
            for (int i = open.size() - 1; i >= 0; i--) {
                final LogSegment segment = open.get(i);
                if (now - segment.lastAccessNanos() >= idleNanos && segment.closeIfUnused()) {
                    open.remove(i);
                    closed++;
                }
            }
            openCount = open.size();
        } finally {
            lock.unlock();
        }
        return closed;
    }

    private void evictDownTo(final int target) {
        int attempts = open.size();
        while (open.size() > target && attempts-- > 0) {
            int victim = -1;
            long longestIdle = 0;
            final long now = System.nanoTime();
            for (int i = 0; i < open.size(); i++) {
                final LogSegment candidate = open.get(i);
                final long idleFor = now - candidate.lastAccessNanos();
                if (candidate.isUnused() && (victim < 0 || idleFor > longestIdle)) {
                    victim = i;
                    longestIdle = idleFor;
                }
            }
            if (victim < 0) {
                break;
            }
            if (open.get(victim).closeIfUnused()) {
                open.remove(victim);
            }
        }
        openCount = open.size();
    }
}
