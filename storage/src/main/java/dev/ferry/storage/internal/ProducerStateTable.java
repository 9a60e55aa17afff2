package dev.ferry.storage.internal;

import org.agrona.collections.Long2ObjectHashMap;

/**
 * The idempotent-producer state of one partition log, keyed by producer id. Rebuilt from the log's batch headers
 * when the log loads; kept apart from the log so a persisted snapshot can later replace the rebuild.
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

    /** Replays a batch read back from the log, without checks. */
    void replay(final long producerId, final short epoch, final int firstSequence, final int lastSequence,
                final long firstOffset, final long lastOffset, final long timestamp) {
        entryFor(producerId).addBatch(epoch, firstSequence, lastSequence, firstOffset, lastOffset, timestamp);
    }

    /** Makes a checked, written append's state the producer's state. */
    void commit(final ProducerEntry updated) {
        entryFor(updated.producerId()).copyFrom(updated);
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
