package dev.ferry.protocol.record;

import static dev.ferry.protocol.record.RecordBatchDescriptor.ATTRIBUTES_OFFSET;
import static dev.ferry.protocol.record.RecordBatchDescriptor.BASE_OFFSET_OFFSET;
import static dev.ferry.protocol.record.RecordBatchDescriptor.BASE_SEQUENCE_OFFSET;
import static dev.ferry.protocol.record.RecordBatchDescriptor.BASE_TIMESTAMP_OFFSET;
import static dev.ferry.protocol.record.RecordBatchDescriptor.BATCH_LENGTH_OFFSET;
import static dev.ferry.protocol.record.RecordBatchDescriptor.COMPRESSION_CODEC_MASK;
import static dev.ferry.protocol.record.RecordBatchDescriptor.CONTROL_FLAG_MASK;
import static dev.ferry.protocol.record.RecordBatchDescriptor.CRC_OFFSET;
import static dev.ferry.protocol.record.RecordBatchDescriptor.DELETE_HORIZON_FLAG_MASK;
import static dev.ferry.protocol.record.RecordBatchDescriptor.LAST_OFFSET_DELTA_OFFSET;
import static dev.ferry.protocol.record.RecordBatchDescriptor.LOG_OVERHEAD;
import static dev.ferry.protocol.record.RecordBatchDescriptor.MAGIC_OFFSET;
import static dev.ferry.protocol.record.RecordBatchDescriptor.MAX_TIMESTAMP_OFFSET;
import static dev.ferry.protocol.record.RecordBatchDescriptor.MIN_BATCH_LENGTH_FIELD;
import static dev.ferry.protocol.record.RecordBatchDescriptor.NO_PRODUCER_ID;
import static dev.ferry.protocol.record.RecordBatchDescriptor.NO_SEQUENCE;
import static dev.ferry.protocol.record.RecordBatchDescriptor.PARTITION_LEADER_EPOCH_OFFSET;
import static dev.ferry.protocol.record.RecordBatchDescriptor.PRODUCER_EPOCH_OFFSET;
import static dev.ferry.protocol.record.RecordBatchDescriptor.PRODUCER_ID_OFFSET;
import static dev.ferry.protocol.record.RecordBatchDescriptor.RECORDS_COUNT_OFFSET;
import static dev.ferry.protocol.record.RecordBatchDescriptor.TIMESTAMP_TYPE_MASK;
import static dev.ferry.protocol.record.RecordBatchDescriptor.TRANSACTIONAL_FLAG_MASK;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * A mutable flyweight over one v2 record batch in a {@link ByteBuf}, laid out as {@link RecordBatchDescriptor} draws.
 * <p>
 * Reads and writes use absolute indexes: the buffer's reader and writer indexes never move, and nothing is
 * allocated, so one instance can be {@link #wrap wrapped} over batch after batch. The flyweight neither retains nor
 * releases the buffer; the caller keeps it alive while the flyweight is in use. Accessors trust the batch to lie
 * within the buffer: check untrusted bytes with {@link RecordBatchValidator} first. Accessors without further
 * description return the header field of the same name as stored.
 * <p>
 * Not thread-safe; the buffer must not be used concurrently while {@link #computeCrc()} runs, because the CRC may be
 * computed through the buffer's shared internal NIO view.
 */
public final class RecordBatch {
    private final CRC32C crc = new CRC32C();
    private ByteBuf buffer;
    private int offset;

    /**
     * Points this flyweight at a batch.
     *
     * @param buffer the buffer holding the batch; not retained
     * @param offset the absolute index of the batch's first byte
     * @return this flyweight
     */
    public RecordBatch wrap(ByteBuf buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Returns the buffer this flyweight reads.
     *
     * @return the wrapped buffer
     */
    public ByteBuf buffer() {
        return buffer;
    }

    /**
     * Returns the absolute index of the batch in its buffer.
     *
     * @return the batch's first byte
     */
    public int offset() {
        return offset;
    }

    public long baseOffset() {
        return buffer.getLong(offset + BASE_OFFSET_OFFSET);
    }

    /**
     * Returns the length field: the bytes that follow it, which is the batch size less {@value
     * RecordBatchDescriptor#LOG_OVERHEAD}.
     *
     * @return the declared length
     */
    public int batchLength() {
        return buffer.getInt(offset + BATCH_LENGTH_OFFSET);
    }

    /**
     * Returns the whole batch size, header included; meaningful once the length field is known to be sane.
     *
     * @return the size in bytes
     */
    public int sizeInBytes() {
        return LOG_OVERHEAD + batchLength();
    }

    public int partitionLeaderEpoch() {
        return buffer.getInt(offset + PARTITION_LEADER_EPOCH_OFFSET);
    }

    public byte magic() {
        return buffer.getByte(offset + MAGIC_OFFSET);
    }

    /**
     * Returns the CRC-32C stored in the batch.
     *
     * @return the stored CRC as an unsigned 32-bit value
     */
    public long crc() {
        return buffer.getUnsignedInt(offset + CRC_OFFSET);
    }

    public short attributes() {
        return buffer.getShort(offset + ATTRIBUTES_OFFSET);
    }

    /**
     * Returns the raw codec id, which may be one Kafka does not define (5 to 7).
     *
     * @return the codec bits of the attributes
     */
    public int compressionId() {
        return attributes() & COMPRESSION_CODEC_MASK;
    }

    /**
     * Returns the compression codec.
     *
     * @return the codec
     * @throws IllegalArgumentException if the codec id is unknown; the validator refuses such batches
     */
    public CompressionType compressionType() {
        return CompressionType.forId(compressionId());
    }

    public TimestampType timestampType() {
        return (attributes() & TIMESTAMP_TYPE_MASK) == 0 ? TimestampType.CREATE_TIME : TimestampType.LOG_APPEND_TIME;
    }

    public boolean isTransactional() {
        return (attributes() & TRANSACTIONAL_FLAG_MASK) != 0;
    }

    public boolean isControl() {
        return (attributes() & CONTROL_FLAG_MASK) != 0;
    }

    public boolean hasDeleteHorizon() {
        return (attributes() & DELETE_HORIZON_FLAG_MASK) != 0;
    }

    public int lastOffsetDelta() {
        return buffer.getInt(offset + LAST_OFFSET_DELTA_OFFSET);
    }

    public long lastOffset() {
        return baseOffset() + lastOffsetDelta();
    }

    public long baseTimestamp() {
        return buffer.getLong(offset + BASE_TIMESTAMP_OFFSET);
    }

    public long maxTimestamp() {
        return buffer.getLong(offset + MAX_TIMESTAMP_OFFSET);
    }

    public long producerId() {
        return buffer.getLong(offset + PRODUCER_ID_OFFSET);
    }

    /**
     * Tells whether the batch comes from an idempotent or transactional producer.
     *
     * @return true if the producer id is set
     */
    public boolean hasProducerId() {
        return producerId() != NO_PRODUCER_ID;
    }

    public short producerEpoch() {
        return buffer.getShort(offset + PRODUCER_EPOCH_OFFSET);
    }

    public int baseSequence() {
        return buffer.getInt(offset + BASE_SEQUENCE_OFFSET);
    }

    /**
     * Returns the sequence number of the last record. Sequences wrap from {@link Integer#MAX_VALUE} to 0, as
     * producers number them.
     *
     * @return the last sequence, or {@link RecordBatchDescriptor#NO_SEQUENCE} for a batch without sequence
     */
    public int lastSequence() {
        final int baseSequence = baseSequence();
        if (baseSequence == NO_SEQUENCE) {
            return NO_SEQUENCE;
        }
        final int delta = lastOffsetDelta();
        if (baseSequence > Integer.MAX_VALUE - delta) {
            return delta - (Integer.MAX_VALUE - baseSequence) - 1;
        }
        return baseSequence + delta;
    }

    public int recordCount() {
        return buffer.getInt(offset + RECORDS_COUNT_OFFSET);
    }

    /**
     * Computes the CRC-32C of the batch from its attributes to its end, without copying the bytes.
     *
     * @return the CRC as an unsigned 32-bit value
     * @throws IndexOutOfBoundsException if the declared length runs past the buffer's capacity
     */
    public long computeCrc() {
        final int start = offset + ATTRIBUTES_OFFSET;
        final int length = sizeInBytes() - ATTRIBUTES_OFFSET;
        crc.reset();
        if (buffer.hasArray()) {
            crc.update(buffer.array(), buffer.arrayOffset() + start, length);
        } else if (buffer.nioBufferCount() == 1) {
            crc.update(buffer.internalNioBuffer(start, length));
        } else {
            for (ByteBuffer part : buffer.nioBuffers(start, length)) {
                crc.update(part);
            }
        }
        return crc.getValue();
    }

    /**
     * Tells whether the batch is at least a full header and its stored CRC matches its content.
     *
     * @return true if the CRC is valid
     */
    public boolean isCrcValid() {
        return batchLength() >= MIN_BATCH_LENGTH_FIELD && crc() == computeCrc();
    }

    /**
     * Sets the base offset, which the CRC does not cover. The buffer must be writable.
     *
     * @param baseOffset the offset of the first record in the log
     */
    public void setBaseOffset(long baseOffset) {
        buffer.setLong(offset + BASE_OFFSET_OFFSET, baseOffset);
    }

    /**
     * Sets the partition leader epoch, which the CRC does not cover. The buffer must be writable.
     *
     * @param epoch the leader epoch at append
     */
    public void setPartitionLeaderEpoch(int epoch) {
        buffer.setInt(offset + PARTITION_LEADER_EPOCH_OFFSET, epoch);
    }

    /**
     * Rewrites the max timestamp and the timestamp-type bit, then the CRC, as a broker does for topics that use log
     * append time. Leaves the batch untouched when both already hold the given values. The buffer must be writable.
     *
     * @param type         the timestamp type to record in the attributes
     * @param maxTimestamp the new max timestamp, the append time for {@link TimestampType#LOG_APPEND_TIME}
     */
    public void setMaxTimestampAndType(TimestampType type, long maxTimestamp) {
        if (timestampType() == type && maxTimestamp() == maxTimestamp) {
            return;
        }
        final int attributes = attributes();
        final int updated = type == TimestampType.LOG_APPEND_TIME
                ? attributes | TIMESTAMP_TYPE_MASK
                : attributes & ~TIMESTAMP_TYPE_MASK;
        buffer.setShort(offset + ATTRIBUTES_OFFSET, updated);
        buffer.setLong(offset + MAX_TIMESTAMP_OFFSET, maxTimestamp);
        buffer.setInt(offset + CRC_OFFSET, (int) computeCrc());
    }
}
