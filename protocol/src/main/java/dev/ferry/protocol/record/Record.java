package dev.ferry.protocol.record;

import java.util.List;

/**
 * One record read from a batch by {@link RecordReader}, with its offset and timestamp resolved against the batch
 * header. Holds copies of the bytes, so it outlives the buffer it came from, decompressed records included.
 * Immutable as long as the caller leaves the arrays alone.
 */
public final class Record {
    private final long offset;
    private final int offsetDelta;
    private final long timestamp;
    private final long timestampDelta;
    private final byte[] key;
    private final byte[] value;
    private final List<Header> headers;

    Record(long offset, int offsetDelta, long timestamp, long timestampDelta, byte[] key, byte[] value,
           List<Header> headers) {
        this.offset = offset;
        this.offsetDelta = offsetDelta;
        this.timestamp = timestamp;
        this.timestampDelta = timestampDelta;
        this.key = key;
        this.value = value;
        this.headers = List.copyOf(headers);
    }

    /**
     * Returns the record's offset: the batch base offset plus its offset delta.
     *
     * @return the offset
     */
    public long offset() {
        return offset;
    }

    public int offsetDelta() {
        return offsetDelta;
    }

    /**
     * Returns the record's timestamp: the batch base timestamp plus its delta, or the batch max timestamp when the
     * batch carries log append time.
     *
     * @return the timestamp in milliseconds since the epoch
     */
    public long timestamp() {
        return timestamp;
    }

    public long timestampDelta() {
        return timestampDelta;
    }

    /**
     * Returns the key.
     *
     * @return the key bytes, or null
     */
    public byte[] key() {
        return key;
    }

    /**
     * Returns the value.
     *
     * @return the value bytes, or null for a tombstone
     */
    public byte[] value() {
        return value;
    }

    /**
     * Returns the headers in the order they were written.
     *
     * @return an unmodifiable list, empty when there are none
     */
    public List<Header> headers() {
        return headers;
    }
}
