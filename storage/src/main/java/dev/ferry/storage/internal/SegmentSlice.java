package dev.ferry.storage.internal;

import dev.ferry.storage.FetchSlice;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * A non-empty run of whole batches in one segment. Holds one reference on the segment from creation until
 * {@link #close()}, which keeps the segment's channel open under retention and the open-file bound.
 *
 * <p><b>Thread-safety:</b> safe to close from any thread; closing twice drops the reference once.
 */
final class SegmentSlice implements FetchSlice {

    private static final AtomicIntegerFieldUpdater<SegmentSlice> CLOSED =
            AtomicIntegerFieldUpdater.newUpdater(SegmentSlice.class, "closed");

    private final LogSegment segment;
    private final FileChannel channel;
    private final long position;
    private final int length;
    private volatile int closed;

    /** Takes over a reference the caller holds on {@code segment}. */
    SegmentSlice(final LogSegment segment, final long position, final int length) {
        this.segment = segment;
        this.channel = segment.channel();
        this.position = position;
        this.length = length;
    }

    @Override
    public FileChannel channel() {
        return channel;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public void close() {
        if (CLOSED.compareAndSet(this, 0, 1)) {
            segment.release();
        }
    }

    @Override
    public String toString() {
        return "SegmentSlice(" + segment + ", position=" + position + ", length=" + length + ")";
    }
}
