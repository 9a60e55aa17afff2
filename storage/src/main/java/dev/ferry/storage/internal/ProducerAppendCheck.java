package dev.ferry.storage.internal;

import static dev.ferry.storage.internal.BatchHeaderDescriptor.NO_PRODUCER_EPOCH;

import dev.ferry.storage.AppendResult.Status;
import java.util.Arrays;

/**
 * Checks the idempotent-producer batches of one append against the {@link ProducerStateTable} before anything is
 * written, the way Kafka 4.x's {@code ProducerAppendInfo} does for client appends:
 * <ul>
 * <li>an exact retry (same epoch, same first and last sequence) of one of the producer's last five batches is a
 *     duplicate: the whole append is answered with that batch's original offsets;</li>
 * <li>an epoch older than the producer's is {@link Status#INVALID_PRODUCER_EPOCH};</li>
 * <li>a newer epoch must start at sequence 0, unless the log knows no epoch for the producer;</li>
 * <li>within the epoch the first sequence must follow the last one (wrapping after {@link Integer#MAX_VALUE}),
 *     unless the log knows nothing of the producer (new to it, or expired): then any sequence is
 *     accepted, as Kafka 4.x does, so storage never answers {@link Status#UNKNOWN_PRODUCER_ID}. The Java client
 *     would answer that error by bumping its epoch and sending the batch again, so accepting it is the same outcome
 *     without the round trip. A restart does not make producers unknown: their state survives in producer
 *     snapshots until they expire.</li>
 * </ul>
 * Batches of one append are checked in order, each against the state the earlier ones would leave; the state is
 * committed only after the write succeeded.
 *
 * <p><b>Not thread-safe:</b> one instance per log, used under its append lock. Reuses its pending entries, so a
 * steady stream of appends allocates nothing here.
 */
final class ProducerAppendCheck {

    private ProducerEntry[] pending = new ProducerEntry[2];
    private int pendingCount;
    private long duplicateFirstOffset;
    private long duplicateLastOffset;
    private long duplicateTimestamp;

    void reset() {
        pendingCount = 0;
    }

    /**
     * Checks one batch and, when it passes, adds it to the pending state.
     *
     * @return {@link Status#OK}, {@link Status#DUPLICATE} (see {@link #duplicateFirstOffset()} and friends),
     * {@link Status#OUT_OF_ORDER_SEQUENCE} or {@link Status#INVALID_PRODUCER_EPOCH}
     */
    Status check(final ProducerStateTable table, final long producerId, final short epoch, final int firstSequence,
                 final int lastSequence, final long firstOffset, final long lastOffset, final long timestamp) {
        final ProducerEntry committed = table.entry(producerId);
        if (committed != null) {
            final int slot = committed.findDuplicate(epoch, firstSequence, lastSequence);
            if (slot >= 0) {
                duplicateFirstOffset = committed.firstOffset(slot);
                duplicateLastOffset = committed.lastOffset(slot);
                duplicateTimestamp = committed.timestamp(slot);
                return Status.DUPLICATE;
            }
        }
        final ProducerEntry updated = pendingFor(producerId, committed);
        final short currentEpoch = updated.epoch();
        if (epoch < currentEpoch) {
            return Status.INVALID_PRODUCER_EPOCH;
        }
        if (epoch != currentEpoch) {
            if (firstSequence != 0 && currentEpoch != NO_PRODUCER_EPOCH) {
                return Status.OUT_OF_ORDER_SEQUENCE;
            }
        } else {
            final boolean producerKnown = committed != null && committed.epoch() != NO_PRODUCER_EPOCH;
            if (producerKnown && !inSequence(updated.lastSequence(), firstSequence)) {
                return Status.OUT_OF_ORDER_SEQUENCE;
            }
        }
        updated.addBatch(epoch, firstSequence, lastSequence, firstOffset, lastOffset, timestamp);
        return Status.OK;
    }

    /** Makes the pending state of every checked producer the committed state, as appended at {@code nowMs}. */
    void commit(final ProducerStateTable table, final long nowMs) {
        for (int i = 0; i < pendingCount; i++) {
            table.commit(pending[i], nowMs);
        }
        pendingCount = 0;
    }

    long duplicateFirstOffset() {
        return duplicateFirstOffset;
    }

    long duplicateLastOffset() {
        return duplicateLastOffset;
    }

    /** The duplicate batch's max timestamp, which Kafka reports as the log append time of a duplicate. */
    long duplicateTimestamp() {
        return duplicateTimestamp;
    }

    private static boolean inSequence(final int lastSequence, final int nextSequence) {
        return nextSequence == lastSequence + 1L || (nextSequence == 0 && lastSequence == Integer.MAX_VALUE);
    }

    private ProducerEntry pendingFor(final long producerId, final ProducerEntry committed) {
        for (int i = 0; i < pendingCount; i++) {
            if (pending[i].producerId() == producerId) {
                return pending[i];
            }
        }
        if (pendingCount == pending.length) {
            pending = Arrays.copyOf(pending, pending.length * 2);
        }
        ProducerEntry entry = pending[pendingCount];
        if (entry == null) {
            entry = new ProducerEntry(producerId);
            pending[pendingCount] = entry;
        }
        if (committed != null) {
            entry.copyFrom(committed);
        } else {
            entry.clear(producerId);
        }
        pendingCount++;
        return entry;
    }
}
