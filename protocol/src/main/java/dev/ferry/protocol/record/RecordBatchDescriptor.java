package dev.ferry.protocol.record;

/**
 * Byte layout of Kafka's record formats, as offsets from the start of a batch (v2) or message (v0, v1).
 * <p>
 * <b>v2 record batch</b> (the only format Kafka 4.x accepts on produce), all integers big-endian:
 * <pre>
 *  offset size field
 *       0    8 base offset               first offset of the batch; 0 as sent by producers
 *       8    4 batch length              bytes that follow this field (the batch is length + 12 bytes)
 *      12    4 partition leader epoch    set by the leader, not covered by the CRC
 *      16    1 magic                     2
 *      17    4 crc                       CRC-32C of every byte from attributes to the end of the batch
 *      21    2 attributes                see below
 *      23    4 last offset delta         last offset - base offset
 *      27    8 base timestamp            timestamp of the first record
 *      35    8 max timestamp             largest record timestamp, or the log append time
 *      43    8 producer id               -1 when not idempotent
 *      51    2 producer epoch            -1 when not idempotent
 *      53    4 base sequence             -1 when not idempotent
 *      57    4 records count
 *      61      records                   recordsCount records, compressed as a whole if the codec is not none
 * </pre>
 * Attributes, low byte of the int16 (the high byte is unused):
 * <pre>
 *     7   6   5   4   3   2   1   0
 *   +---+---+---+---+---+---+---+---+
 *   |   | H | C | T | S |   codec   |    codec: 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd
 *   +---+---+---+---+---+---+---+---+    S: log append time, T: transactional, C: control, H: delete horizon
 * </pre>
 * <b>Record</b> inside a batch, varints zig-zag encoded as in protobuf:
 * <pre>
 *   length varint | attributes int8 | timestampDelta varlong | offsetDelta varint |
 *   keyLength varint | key | valueLength varint | value | headerCount varint |
 *   headerCount x (headerKeyLength varint | headerKey | headerValueLength varint | headerValue)
 * </pre>
 * A negative key, value or header value length stands for null; {@code length} counts the bytes after itself.
 * <p>
 * <b>v0 and v1 messages</b>, recognised only to refuse them; both share the first 17 bytes with v2, so the magic
 * byte sits at the same offset in every format:
 * <pre>
 *  offset size field
 *       0    8 offset
 *       8    4 message size              bytes that follow this field
 *      12    4 crc                       CRC-32 of the bytes from magic to the end
 *      16    1 magic                     0 or 1
 *      17    1 attributes
 *      18    8 timestamp                 v1 only
 *   18/26      key length int32 | key | value length int32 | value
 * </pre>
 */
public final class RecordBatchDescriptor {
    /** Offset of the base offset, an int64. */
    public static final int BASE_OFFSET_OFFSET = 0;
    /** Offset of the batch length, an int32 counting the bytes after it. */
    public static final int BATCH_LENGTH_OFFSET = 8;
    /** Offset of the partition leader epoch, an int32. */
    public static final int PARTITION_LEADER_EPOCH_OFFSET = 12;
    /** Offset of the magic byte, the same in every message format. */
    public static final int MAGIC_OFFSET = 16;
    /** Offset of the CRC-32C, an unsigned int32. */
    public static final int CRC_OFFSET = 17;
    /** Offset of the attributes, an int16; the CRC covers the batch from here to its end. */
    public static final int ATTRIBUTES_OFFSET = 21;
    /** Offset of the last offset delta, an int32. */
    public static final int LAST_OFFSET_DELTA_OFFSET = 23;
    /** Offset of the base timestamp, an int64. */
    public static final int BASE_TIMESTAMP_OFFSET = 27;
    /** Offset of the max timestamp, an int64. */
    public static final int MAX_TIMESTAMP_OFFSET = 35;
    /** Offset of the producer id, an int64. */
    public static final int PRODUCER_ID_OFFSET = 43;
    /** Offset of the producer epoch, an int16. */
    public static final int PRODUCER_EPOCH_OFFSET = 51;
    /** Offset of the base sequence, an int32. */
    public static final int BASE_SEQUENCE_OFFSET = 53;
    /** Offset of the records count, an int32. */
    public static final int RECORDS_COUNT_OFFSET = 57;
    /** Offset of the first record, and the size of a batch holding no records. */
    public static final int RECORDS_OFFSET = 61;
    /** Size of the batch header, from base offset to records count. */
    public static final int HEADER_SIZE = RECORDS_OFFSET;

    /** Bytes before the part a batch or message counts in its length field: base offset and length. */
    public static final int LOG_OVERHEAD = BATCH_LENGTH_OFFSET + Integer.BYTES;
    /** Bytes needed to read the magic byte of any format. */
    public static final int HEADER_SIZE_UP_TO_MAGIC = MAGIC_OFFSET + 1;
    /** Smallest length field of any format: a v0 message with a null key and value. */
    public static final int MIN_LENGTH_FIELD = 14;
    /** Smallest length field of a v2 batch: a header with no records. */
    public static final int MIN_BATCH_LENGTH_FIELD = RECORDS_OFFSET - LOG_OVERHEAD;

    /** Magic byte of the v0 message format. */
    public static final byte MAGIC_V0 = 0;
    /** Magic byte of the v1 message format. */
    public static final byte MAGIC_V1 = 1;
    /** Magic byte of the v2 record batch format. */
    public static final byte MAGIC_V2 = 2;

    /** Attribute bits holding the compression codec id. */
    public static final int COMPRESSION_CODEC_MASK = 0x07;
    /** Codec id of uncompressed records. */
    public static final int COMPRESSION_NONE = 0;
    /** Codec id of gzip. */
    public static final int COMPRESSION_GZIP = 1;
    /** Codec id of snappy. */
    public static final int COMPRESSION_SNAPPY = 2;
    /** Codec id of lz4. */
    public static final int COMPRESSION_LZ4 = 3;
    /** Codec id of zstd, the highest codec id Kafka knows. */
    public static final int COMPRESSION_ZSTD = 4;
    /** Attribute bit set when the timestamps are log append times rather than create times. */
    public static final int TIMESTAMP_TYPE_MASK = 0x08;
    /** Attribute bit set on batches written inside a transaction. */
    public static final int TRANSACTIONAL_FLAG_MASK = 0x10;
    /** Attribute bit set on control batches (transaction markers), which only brokers write. */
    public static final int CONTROL_FLAG_MASK = 0x20;
    /** Attribute bit set when the base timestamp holds the delete horizon of a compacted batch. */
    public static final int DELETE_HORIZON_FLAG_MASK = 0x40;

    /** Producer id of a batch from a producer that is neither idempotent nor transactional. */
    public static final long NO_PRODUCER_ID = -1L;
    /** Producer epoch of a batch without producer id. */
    public static final short NO_PRODUCER_EPOCH = -1;
    /** Base sequence of a batch without producer id. */
    public static final int NO_SEQUENCE = -1;
    /** Partition leader epoch as sent by producers, before a leader stamps it. */
    public static final int NO_PARTITION_LEADER_EPOCH = -1;
    /** Timestamp meaning "none". */
    public static final long NO_TIMESTAMP = -1L;

    /** Offset of the message size in v0 and v1 messages, an int32 counting the bytes after it. */
    public static final int LEGACY_MESSAGE_SIZE_OFFSET = 8;
    /** Offset of the CRC-32 in v0 and v1 messages. */
    public static final int LEGACY_CRC_OFFSET = 12;
    /** Offset of the attributes byte in v0 and v1 messages. */
    public static final int LEGACY_ATTRIBUTES_OFFSET = 17;
    /** Offset of the timestamp in v1 messages, an int64. */
    public static final int LEGACY_V1_TIMESTAMP_OFFSET = 18;

    private RecordBatchDescriptor() {
    }
}
