package dev.ferry.storage.internal;

import java.util.Collection;
import java.util.Iterator;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The idempotent-producer state of one partition log, keyed by producer id. Loaded from the newest valid producer
 * snapshot and the batch headers after it when the log loads ({@link LogLoader}), changed by each append, copied
 * into a snapshot now and then ({@link ProducerSnapshotFile}), and trimmed of producers that stopped writing
 * ({@link #removeExpired}).
 *
 * <p><b>Not thread-safe:</b> touched only under the owning log's append lock (or while it loads).
 */
final class ProducerStateTable {

    private final Long2ObjectHashMap<ProducerEntry> entries = new Long2ObjectHashMap<>();

    /** The producer's entry, or null when the log does not know it. */
    ProducerEntry entry(final long producerId) {
        return entries.get(producerId);
    }

    int size() {
        return entries.size();
    }

    /** Every entry, in no particular order; a live view, valid until the table next changes. */
    Collection<ProducerEntry> entries() {
        return entries.values();
    }

    /**
     * Replays a batch read back from the log, without checks.
     *
     * @param appendMs when the producer counts as having last appended: the log does not record append times, so
     *                 the loader passes its own clock
     */
    void replay(final long producerId, final short epoch, final int firstSequence, final int lastSequence,
                final long firstOffset, final long lastOffset, final long timestamp, final long appendMs) {
        final ProducerEntry entry = entryFor(producerId);
        entry.addBatch(epoch, firstSequence, lastSequence, firstOffset, lastOffset, timestamp);
        entry.lastAppendMs(Math.max(entry.lastAppendMs(), appendMs));
    }

    /** Makes a checked, written append's state the producer's state, as of {@code nowMs}. */
    void commit(final ProducerEntry updated, final long nowMs) {
        final ProducerEntry entry = entryFor(updated.producerId());
        entry.copyFrom(updated);
        entry.lastAppendMs(nowMs);
    }

    /** Adds an entry read from a snapshot, replacing any entry of the same producer. */
    void put(final ProducerEntry entry) {
        entries.put(entry.producerId(), entry);
    }

    /**
     * Forgets every producer that has not appended for {@code expirationMs} (Kafka's
     * {@code producer.id.expiration.ms}): a later batch of it is then taken as from a producer the log does not
     * know.
     *
     * @return how many producers were forgotten
     */
    int removeExpired(final long nowMs, final long expirationMs) {
        int removed = 0;
        final Iterator<ProducerEntry> iterator = entries.values().iterator();
        while (iterator.hasNext()) {
            if (nowMs - iterator.next().lastAppendMs() >= expirationMs) {
                iterator.remove();
                removed++;
            }
        }
        return removed;
    }

    void clear() {
        entries.clear();
    }

    private ProducerEntry entryFor(final long producerId) {
        ProducerEntry entry = entries.get(producerId);
        if (entry == null) {
            entry = new ProducerEntry(producerId);
            entries.put(producerId, entry);
        }
        return entry;
    }
}
