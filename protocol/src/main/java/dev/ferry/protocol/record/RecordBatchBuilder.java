package dev.ferry.protocol.record;

import static dev.ferry.protocol.record.RecordBatchDescriptor.CRC_OFFSET;
import static dev.ferry.protocol.record.RecordBatchDescriptor.LOG_OVERHEAD;
import static dev.ferry.protocol.record.RecordBatchDescriptor.MAGIC_V2;
import static dev.ferry.protocol.record.RecordBatchDescriptor.NO_PARTITION_LEADER_EPOCH;
import static dev.ferry.protocol.record.RecordBatchDescriptor.NO_PRODUCER_EPOCH;
import static dev.ferry.protocol.record.RecordBatchDescriptor.NO_PRODUCER_ID;
import static dev.ferry.protocol.record.RecordBatchDescriptor.NO_SEQUENCE;
import static dev.ferry.protocol.record.RecordBatchDescriptor.RECORDS_OFFSET;
import static dev.ferry.protocol.record.RecordBatchDescriptor.TRANSACTIONAL_FLAG_MASK;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds one uncompressed v2 record batch with create-time timestamps, as a producer would send it: base offset 0,
 * offset deltas 0, 1, 2..., the first record's timestamp as base timestamp, and a valid CRC.
 * <p>
 * For tests and tools, not for hot paths. Keeps references to the arrays it is given until the batch is written.
 * Not thread-safe.
 */
public final class RecordBatchBuilder {
    private final List<PendingRecord> records = new ArrayList<>();
    private long producerId = NO_PRODUCER_ID;
    private short producerEpoch = NO_PRODUCER_EPOCH;
    private int baseSequence = NO_SEQUENCE;
    private boolean transactional;

    /**
     * Marks the batch as coming from an idempotent producer.
     *
     * @param producerId    the producer id
     * @param producerEpoch the producer epoch
     * @param baseSequence  the sequence number of the first record
     * @return this builder
     */
    public RecordBatchBuilder producer(long producerId, short producerEpoch, int baseSequence) {
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.baseSequence = baseSequence;
        return this;
    }

    /**
     * Sets the transactional attribute bit.
     *
     * @param transactional whether the batch belongs to a transaction
     * @return this builder
     */
    public RecordBatchBuilder transactional(boolean transactional) {
        this.transactional = transactional;
        return this;
    }

    /**
     * Appends a record.
     *
     * @param timestamp the create time in milliseconds since the epoch
     * @param key       the key, or null
     * @param value     the value, or null
     * @param headers   the headers, possibly none
     * @return this builder
     */
    public RecordBatchBuilder add(long timestamp, byte[] key, byte[] value, Header... headers) {
        records.add(new PendingRecord(timestamp, key, value, List.of(headers)));
        return this;
    }

    /**
     * Returns the size the batch will have.
     *
     * @return the batch size in bytes, header included
     */
    public int sizeInBytes() {
        requireRecords();
        final long baseTimestamp = records.get(0).timestamp;
        int size = RECORDS_OFFSET;
        for (int i = 0; i < records.size(); i++) {
            final int bodySize = records.get(i).bodySize(i, baseTimestamp);
            size += Varints.sizeOfVarint(bodySize) + bodySize;
        }
        return size;
    }

    /**
     * Writes the batch into a new buffer.
     *
     * @param allocator where to allocate the buffer
     * @return a buffer holding exactly the batch; the caller owns it and must release it
     * @throws IllegalStateException if no record was added
     */
    public ByteBuf build(ByteBufAllocator allocator) {
        final int size = sizeInBytes();
        final ByteBuf out = allocator.buffer(size, size);
        try {
            writeTo(out);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /**
     * Appends the batch at the buffer's writer index, which advances past it.
     *
     * @param out the buffer to write into; not retained
     * @throws IllegalStateException if no record was added
     */
    public void writeTo(ByteBuf out) {
        final int size = sizeInBytes();
        final int start = out.writerIndex();
        final long baseTimestamp = records.get(0).timestamp;
        long maxTimestamp = baseTimestamp;
        for (PendingRecord record : records) {
            maxTimestamp = Math.max(maxTimestamp, record.timestamp);
        }
        out.ensureWritable(size);
        out.writeLong(0L);
        out.writeInt(size - LOG_OVERHEAD);
        out.writeInt(NO_PARTITION_LEADER_EPOCH);
        out.writeByte(MAGIC_V2);
        out.writeInt(0);
        out.writeShort(transactional ? TRANSACTIONAL_FLAG_MASK : 0);
        out.writeInt(records.size() - 1);
        out.writeLong(baseTimestamp);
        out.writeLong(maxTimestamp);
        out.writeLong(producerId);
        out.writeShort(producerEpoch);
        out.writeInt(baseSequence);
        out.writeInt(records.size());
        for (int i = 0; i < records.size(); i++) {
            records.get(i).writeTo(out, i, baseTimestamp);
        }
        final long crc = new RecordBatch().wrap(out, start).computeCrc();
        out.setInt(start + CRC_OFFSET, (int) crc);
    }

    private void requireRecords() {
        if (records.isEmpty()) {
            throw new IllegalStateException("A record batch needs at least one record");
        }
    }

    private static int sizeOfNullable(byte[] bytes) {
        return bytes == null ? Varints.sizeOfVarint(-1) : Varints.sizeOfVarint(bytes.length) + bytes.length;
    }

    private static void writeNullable(ByteBuf out, byte[] bytes) {
        if (bytes == null) {
            Varints.writeVarint(out, -1);
        } else {
            Varints.writeVarint(out, bytes.length);
            out.writeBytes(bytes);
        }
    }

    private record PendingRecord(long timestamp, byte[] key, byte[] value, List<Header> headers) {

        int bodySize(int offsetDelta, long baseTimestamp) {
            int size = 1 + Varints.sizeOfVarlong(timestamp - baseTimestamp) + Varints.sizeOfVarint(offsetDelta)
                    + sizeOfNullable(key) + sizeOfNullable(value) + Varints.sizeOfVarint(headers.size());
            for (Header header : headers) {
                size += sizeOfNullable(header.key().getBytes(StandardCharsets.UTF_8)) + sizeOfNullable(header.value());
            }
            return size;
        }

        void writeTo(ByteBuf out, int offsetDelta, long baseTimestamp) {
            Varints.writeVarint(out, bodySize(offsetDelta, baseTimestamp));
            out.writeByte(0);
            Varints.writeVarlong(out, timestamp - baseTimestamp);
            Varints.writeVarint(out, offsetDelta);
            writeNullable(out, key);
            writeNullable(out, value);
            Varints.writeVarint(out, headers.size());
            for (Header header : headers) {
                writeNullable(out, header.key().getBytes(StandardCharsets.UTF_8));
                writeNullable(out, header.value());
            }
        }
    }
}
