package dev.ferry.protocol.record;

/**
 * The compression codecs a v2 batch can declare, with the ids Kafka writes in the attributes.
 */
public enum CompressionType {
    NONE(RecordBatchDescriptor.COMPRESSION_NONE),
    GZIP(RecordBatchDescriptor.COMPRESSION_GZIP),
    SNAPPY(RecordBatchDescriptor.COMPRESSION_SNAPPY),
    LZ4(RecordBatchDescriptor.COMPRESSION_LZ4),
    ZSTD(RecordBatchDescriptor.COMPRESSION_ZSTD);

    /** The constants are declared in id order, so an id indexes this array. */
    private static final CompressionType[] BY_ID = values();

    private final int id;

    CompressionType(int id) {
        this.id = id;
    }

    /**
     * Returns the codec id stored in the batch attributes.
     *
     * @return the id, 0 to 4
     */
    public int id() {
        return id;
    }

    /**
     * Finds the codec with an id.
     *
     * @param id a codec id from batch attributes
     * @return the codec
     * @throws IllegalArgumentException if no codec has that id
     */
    public static CompressionType forId(int id) {
        if (id < 0 || id >= BY_ID.length) {
            throw new IllegalArgumentException("Unknown compression codec id " + id);
        }
        return BY_ID[id];
    }
}
