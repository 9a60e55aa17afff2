package dev.ferry.storage.internal;

import static dev.ferry.storage.internal.BatchHeaderDescriptor.ATTRIBUTES_OFFSET;
import static dev.ferry.storage.internal.BatchHeaderDescriptor.BASE_OFFSET_OFFSET;
import static dev.ferry.storage.internal.BatchHeaderDescriptor.BASE_SEQUENCE_OFFSET;
import static dev.ferry.storage.internal.BatchHeaderDescriptor.BASE_TIMESTAMP_OFFSET;
import static dev.ferry.storage.internal.BatchHeaderDescriptor.COMPRESSION_CODEC_MASK;
import static dev.ferry.storage.internal.BatchHeaderDescriptor.CONTROL_MASK;
import static dev.ferry.storage.internal.BatchHeaderDescriptor.CRC_OFFSET;
import static dev.ferry.storage.internal.BatchHeaderDescriptor.LAST_OFFSET_DELTA_OFFSET;
import static dev.ferry.storage.internal.BatchHeaderDescriptor.LENGTH_OFFSET;
import static dev.ferry.storage.internal.BatchHeaderDescriptor.LOG_OVERHEAD;
import static dev.ferry.storage.internal.BatchHeaderDescriptor.MAGIC_OFFSET;
import static dev.ferry.storage.internal.BatchHeaderDescriptor.MAX_TIMESTAMP_OFFSET;
import static dev.ferry.storage.internal.BatchHeaderDescriptor.PARTITION_LEADER_EPOCH_OFFSET;
import static dev.ferry.storage.internal.BatchHeaderDescriptor.PRODUCER_EPOCH_OFFSET;
import static dev.ferry.storage.internal.BatchHeaderDescriptor.PRODUCER_ID_OFFSET;
import static dev.ferry.storage.internal.BatchHeaderDescriptor.RECORD_COUNT_OFFSET;
import static dev.ferry.storage.internal.BatchHeaderDescriptor.TIMESTAMP_TYPE_MASK;

import java.nio.ByteOrder;
import org.agrona.MutableDirectBuffer;

/**
 * A reusable view of one v2 batch header (see {@link BatchHeaderDescriptor}) at an offset of a buffer.
 *
 * <p><b>Not thread-safe</b>; one instance per appending log or reading thread. It holds no bytes of its own:
 * {@link #wrap} points it at a header, which must stay valid while the view is used.
 */
public final class BatchHeaderFlyweight {

    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    private MutableDirectBuffer buffer;
    private int offset;

    public BatchHeaderFlyweight wrap(final MutableDirectBuffer buffer, final int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public int offset() {
        return offset;
    }

    public long baseOffset() {
        return buffer.getLong(offset + BASE_OFFSET_OFFSET, ORDER);
    }

    public void baseOffset(final long value) {
        buffer.putLong(offset + BASE_OFFSET_OFFSET, value, ORDER);
    }

    /** The length field: bytes after it. */
    public int length() {
        return buffer.getInt(offset + LENGTH_OFFSET, ORDER);
    }

    /** Bytes the whole batch occupies, header included; may be nonsense when the length field is corrupt. */
    public long totalLength() {
        return (long) length() + LOG_OVERHEAD;
    }

    public void partitionLeaderEpoch(final int value) {
        buffer.putInt(offset + PARTITION_LEADER_EPOCH_OFFSET, value, ORDER);
    }

    public byte magic() {
        return buffer.getByte(offset + MAGIC_OFFSET);
    }

    public int crc() {
        return buffer.getInt(offset + CRC_OFFSET, ORDER);
    }

    public void crc(final int value) {
        buffer.putInt(offset + CRC_OFFSET, value, ORDER);
    }

    public short attributes() {
        return buffer.getShort(offset + ATTRIBUTES_OFFSET, ORDER);
    }

    public void attributes(final short value) {
        buffer.putShort(offset + ATTRIBUTES_OFFSET, value, ORDER);
    }

    public boolean isCompressed() {
        return (attributes() & COMPRESSION_CODEC_MASK) != 0;
    }

    public boolean isLogAppendTime() {
        return (attributes() & TIMESTAMP_TYPE_MASK) != 0;
    }

    public boolean isControl() {
        return (attributes() & CONTROL_MASK) != 0;
    }

    public int lastOffsetDelta() {
        return buffer.getInt(offset + LAST_OFFSET_DELTA_OFFSET, ORDER);
    }

    public long lastOffset() {
        return baseOffset() + lastOffsetDelta();
    }

    public long baseTimestamp() {
        return buffer.getLong(offset + BASE_TIMESTAMP_OFFSET, ORDER);
    }

    public long maxTimestamp() {
        return buffer.getLong(offset + MAX_TIMESTAMP_OFFSET, ORDER);
    }

    public void maxTimestamp(final long value) {
        buffer.putLong(offset + MAX_TIMESTAMP_OFFSET, value, ORDER);
    }

    public long producerId() {
        return buffer.getLong(offset + PRODUCER_ID_OFFSET, ORDER);
    }

    public short producerEpoch() {
        return buffer.getShort(offset + PRODUCER_EPOCH_OFFSET, ORDER);
    }

    public int baseSequence() {
        return buffer.getInt(offset + BASE_SEQUENCE_OFFSET, ORDER);
    }

    public int lastSequence() {
        return BatchHeaderDescriptor.lastSequence(baseSequence(), lastOffsetDelta());
    }

    public int recordCount() {
        return buffer.getInt(offset + RECORD_COUNT_OFFSET, ORDER);
    }
}
