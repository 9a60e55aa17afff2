package dev.ferry.storage.internal;

/**
 * Layout of the header of a Kafka v2 record batch, the unit the log stores. All fields are big-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+  0
 *  |                      Base Offset (int64)                      |
 *  |                                                               |
 *  +---------------------------------------------------------------+  8
 *  |          Batch Length (int32, bytes after this field)         |
 *  +---------------------------------------------------------------+ 12
 *  |                 Partition Leader Epoch (int32)                |
 *  +---------------+-----------------------------------------------+ 16
 *  |  Magic (int8) |        CRC-32C (uint32, attributes to end) ...
 *  +---------------+-----------------------------------------------+ 21
 *  |       Attributes (int16)      |   Last Offset Delta (int32) ...
 *  +-------------------------------+-------------------------------+ 27
 *  |                    Base Timestamp (int64)                     |
 *  +---------------------------------------------------------------+ 35
 *  |                     Max Timestamp (int64)                     |
 *  +---------------------------------------------------------------+ 43
 *  |                      Producer Id (int64)                      |
 *  +-------------------------------+-------------------------------+ 51
 *  |    Producer Epoch (int16)     |     Base Sequence (int32) ...
 *  +-------------------------------+-------------------------------+ 57
 *  |                     Record Count (int32)                      |
 *  +---------------------------------------------------------------+ 61
 *  |                         Records ...                           |
 * </pre>
 *
 * <p>Attributes: bits 0-2 compression codec, bit 3 timestamp type (1 = LogAppendTime), bit 4 transactional,
 * bit 5 control batch.
 */
public final class BatchHeaderDescriptor {

    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int LENGTH_OFFSET = 8;
    public static final int PARTITION_LEADER_EPOCH_OFFSET = 12;
    public static final int MAGIC_OFFSET = 16;
    public static final int CRC_OFFSET = 17;
    public static final int ATTRIBUTES_OFFSET = 21;
    public static final int LAST_OFFSET_DELTA_OFFSET = 23;
    public static final int BASE_TIMESTAMP_OFFSET = 27;
    public static final int MAX_TIMESTAMP_OFFSET = 35;
    public static final int PRODUCER_ID_OFFSET = 43;
    public static final int PRODUCER_EPOCH_OFFSET = 51;
    public static final int BASE_SEQUENCE_OFFSET = 53;
    public static final int RECORD_COUNT_OFFSET = 57;
    public static final int HEADER_LENGTH = 61;

    /** Bytes before the length field's end: a batch occupies {@code LOG_OVERHEAD + length} bytes. */
    public static final int LOG_OVERHEAD = 12;

    /** The only batch format the log stores. */
    public static final byte MAGIC_V2 = 2;

    public static final int COMPRESSION_CODEC_MASK = 0x07;
    public static final int TIMESTAMP_TYPE_MASK = 0x08;
    public static final int TRANSACTIONAL_MASK = 0x10;
    public static final int CONTROL_MASK = 0x20;

    public static final long NO_PRODUCER_ID = -1L;
    public static final short NO_PRODUCER_EPOCH = -1;
    public static final int NO_SEQUENCE = -1;
    public static final long NO_TIMESTAMP = -1L;

    private BatchHeaderDescriptor() {
    }

    /**
     * The sequence number of the last record of a batch, wrapping past {@link Integer#MAX_VALUE} to 0 as producers do.
     */
    public static int lastSequence(final int baseSequence, final int lastOffsetDelta) {
        if (baseSequence == NO_SEQUENCE) {
            return NO_SEQUENCE;
        }
        final long last = (long) baseSequence + lastOffsetDelta;
        return last > Integer.MAX_VALUE ? (int) (last - Integer.MAX_VALUE - 1) : (int) last;
    }
}
