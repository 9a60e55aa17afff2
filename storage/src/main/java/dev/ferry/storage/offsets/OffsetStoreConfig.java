package dev.ferry.storage.offsets;

/**
 * Settings of the committed-offsets store.
 *
 * @param syncOnCommit             whether {@link OffsetStore#commit} msyncs the journal before returning. Without it
 *                                 an acknowledged commit survives the broker process being killed (the journal is a
 *                                 memory-mapped file, so written bytes sit in the kernel's page cache) but not a
 *                                 power loss or kernel crash; with it, it survives those too, at the cost of a disk
 *                                 flush per commit
 * @param snapshotIntervalEntries  journal entries appended after which the store writes a compact snapshot and
 *                                 drops journal files the snapshot covers, bounding replay at start-up
 */
public record OffsetStoreConfig(boolean syncOnCommit, int snapshotIntervalEntries) {

    /** Property name of {@link #syncOnCommit()}. */
    public static final String SYNC_ON_COMMIT_PROP_NAME = "offsets.store.sync.on.commit";
    /** By default a commit survives a process kill, not a power loss, as Kafka's own acks=1 offsets topic. */
    public static final boolean SYNC_ON_COMMIT_DEFAULT = false;
    /** Property name of {@link #snapshotIntervalEntries()}. */
    public static final String SNAPSHOT_INTERVAL_ENTRIES_PROP_NAME = "offsets.store.snapshot.interval.entries";
    /** Default of {@link #snapshotIntervalEntries()}. */
    public static final int SNAPSHOT_INTERVAL_ENTRIES_DEFAULT = 100_000;

    public OffsetStoreConfig {
        if (snapshotIntervalEntries <= 0) {
            throw new IllegalArgumentException("snapshotIntervalEntries must be positive: " + snapshotIntervalEntries);
        }
    }

    /** The defaults. */
    public static OffsetStoreConfig defaults() {
        return new OffsetStoreConfig(SYNC_ON_COMMIT_DEFAULT, SNAPSHOT_INTERVAL_ENTRIES_DEFAULT);
    }
}
