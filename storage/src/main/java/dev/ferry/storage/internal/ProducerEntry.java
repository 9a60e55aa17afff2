package dev.ferry.storage.internal;

import static dev.ferry.storage.internal.BatchHeaderDescriptor.NO_PRODUCER_EPOCH;
import static dev.ferry.storage.internal.BatchHeaderDescriptor.NO_SEQUENCE;

/**
 * What the log remembers of one idempotent producer: its epoch, its last {@value #BATCHES_RETAINED} batches (first
 * and last sequence, first and last offset, max timestamp), exactly the window of requests the Java client may have
 * in flight, and when it last appended, for expiry.
 *
 * <p>The batches are kept in a ring; {@link #slot(int)} numbers them from the oldest retained one.
 *
 * <p><b>Not thread-safe:</b> touched only under the owning log's append lock (or while it loads).
 */
final class ProducerEntry {

    /** As Kafka: the producer keeps at most five requests in flight per partition. */
    static final int BATCHES_RETAINED = 5;

    private long producerId;
    private short epoch = NO_PRODUCER_EPOCH;
    private int count;
    private int newest = -1;
    private long lastAppendMs;
    private final int[] firstSequences = new int[BATCHES_RETAINED];
    private final int[] lastSequences = new int[BATCHES_RETAINED];
    private final long[] firstOffsets = new long[BATCHES_RETAINED];
    private final long[] lastOffsets = new long[BATCHES_RETAINED];
    private final long[] timestamps = new long[BATCHES_RETAINED];

    ProducerEntry(final long producerId) {
        this.producerId = producerId;
    }

    long producerId() {
        return producerId;
    }

    short epoch() {
        return epoch;
    }

    boolean isEmpty() {
        return count == 0;
    }

    int batchCount() {
        return count;
    }

    /** The last sequence of the newest batch, or -1 when none is retained. */
    int lastSequence() {
        return count == 0 ? NO_SEQUENCE : lastSequences[newest];
    }

    /** The broker's clock when the producer last appended (or when the log rebuilt the producer from its batches). */
    long lastAppendMs() {
        return lastAppendMs;
    }

    void lastAppendMs(final long timeMs) {
        lastAppendMs = timeMs;
    }

    /** Records a written batch; a new epoch forgets the batches of the old one. */
    void addBatch(final short batchEpoch, final int firstSequence, final int lastSequence, final long firstOffset,
                  final long lastOffset, final long timestamp) {
        if (batchEpoch != epoch) {
            epoch = batchEpoch;
            count = 0;
            newest = -1;
        }
        newest = (newest + 1) % BATCHES_RETAINED;
        firstSequences[newest] = firstSequence;
        lastSequences[newest] = lastSequence;
        firstOffsets[newest] = firstOffset;
        lastOffsets[newest] = lastOffset;
        timestamps[newest] = timestamp;
        if (count < BATCHES_RETAINED) {
            count++;
        }
    }

    /** The slot of a retained batch with exactly this epoch and sequence range, or -1. */
    int findDuplicate(final short batchEpoch, final int firstSequence, final int lastSequence) {
        if (batchEpoch != epoch) {
            return -1;
        }
        for (int i = 0; i < count; i++) {
            final int slot = Math.floorMod(newest - i, BATCHES_RETAINED);
            if (firstSequences[slot] == firstSequence && lastSequences[slot] == lastSequence) {
                return slot;
            }
        }
        return -1;
    }

    /** The slot of the {@code index}th retained batch, the oldest being 0 and the newest {@code batchCount() - 1}. */
    int slot(final int index) {
        return Math.floorMod(newest - (count - 1 - index), BATCHES_RETAINED);
    }

    int firstSequence(final int slot) {
        return firstSequences[slot];
    }

    int lastSequence(final int slot) {
        return lastSequences[slot];
    }

    long firstOffset(final int slot) {
        return firstOffsets[slot];
    }

    long lastOffset(final int slot) {
        return lastOffsets[slot];
    }

    long timestamp(final int slot) {
        return timestamps[slot];
    }

    void copyFrom(final ProducerEntry other) {
        producerId = other.producerId;
        epoch = other.epoch;
        count = other.count;
        newest = other.newest;
        lastAppendMs = other.lastAppendMs;
        System.arraycopy(other.firstSequences, 0, firstSequences, 0, BATCHES_RETAINED);
        System.arraycopy(other.lastSequences, 0, lastSequences, 0, BATCHES_RETAINED);
        System.arraycopy(other.firstOffsets, 0, firstOffsets, 0, BATCHES_RETAINED);
        System.arraycopy(other.lastOffsets, 0, lastOffsets, 0, BATCHES_RETAINED);
        System.arraycopy(other.timestamps, 0, timestamps, 0, BATCHES_RETAINED);
    }

    /** Turns a pooled entry into an empty one for {@code id}. */
    void clear(final long id) {
        producerId = id;
        epoch = NO_PRODUCER_EPOCH;
        count = 0;
        newest = -1;
        lastAppendMs = 0;
    }

    /** The producer and its retained batches, oldest first; for logs and test failure messages. */
    @Override
    public String toString() {
        final StringBuilder text = new StringBuilder("producer ").append(producerId).append(" epoch ").append(epoch)
                .append(" batches [");
        for (int i = 0; i < count; i++) {
            final int slot = slot(i);
            text.append(i == 0 ? "" : ", ").append("seq ").append(firstSequences[slot]).append('-')
                    .append(lastSequences[slot]).append(" at ").append(firstOffsets[slot]).append('-')
                    .append(lastOffsets[slot]).append(" ts ").append(timestamps[slot]);
        }
        return text.append(']').toString();
    }
}
