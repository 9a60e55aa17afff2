package dev.ferry.client;

/** Where a consumer starts in a partition without a committed offset, as Kafka's {@code auto.offset.reset}. */
public enum OffsetReset {
    /** The oldest record still stored. */
    EARLIEST(-2L),
    /** The next record to arrive. */
    LATEST(-1L);

    private final long listOffsetsTimestamp;

    OffsetReset(long listOffsetsTimestamp) {
        this.listOffsetsTimestamp = listOffsetsTimestamp;
    }

    /** The ListOffsets timestamp that asks for this position. */
    long listOffsetsTimestamp() {
        return listOffsetsTimestamp;
    }
}
