package dev.ferry.storage.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/** Builds valid Kafka v2 record batches (header, uncompressed records, CRC-32C) for storage tests. */
final class TestBatches {

    private TestBatches() {
    }

    static Builder batch() {
        return new Builder();
    }

    /** A batch of {@code count} records with values "value-0".. and timestamps {@code timestamp}, +1, +2.... */
    static ByteBuffer records(final int count, final long timestamp) {
        final Builder builder = batch();
        for (int i = 0; i < count; i++) {
            builder.record(timestamp + i, "value-" + i);
        }
        return builder.build();
    }

    /** One batch of about {@code bytes} bytes: a single record whose value pads it. */
    static ByteBuffer sized(final int bytes, final long timestamp) {
        final int valueLength = Math.max(1, bytes - 61 - 12);
        return batch().record(timestamp, "x".repeat(valueLength)).build();
    }

    static ByteBuffer concat(final ByteBuffer... batches) {
        int total = 0;
        for (ByteBuffer batch : batches) {
            total += batch.remaining();
        }
        final ByteBuffer joined = ByteBuffer.allocate(total);
        for (ByteBuffer batch : batches) {
            joined.put(batch.duplicate());
        }
        return joined.flip();
    }

    static boolean crcIsValid(final ByteBuffer batch, final int position) {
        final int total = batch.getInt(position + 8) + 12;
        final ByteBuffer body = batch.duplicate().position(position + 21).limit(position + total);
        final CRC32C crc = new CRC32C();
        crc.update(body);
        return (int) crc.getValue() == batch.getInt(position + 17);
    }

    static final class Builder {
        private final List<Long> timestamps = new ArrayList<>();
        private final List<byte[]> values = new ArrayList<>();
        private long producerId = -1;
        private short epoch = -1;
        private int baseSequence = -1;
        private int compression;
        private boolean direct;

        Builder record(final long timestamp, final String value) {
            timestamps.add(timestamp);
            values.add(value.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        Builder producer(final long id, final int producerEpoch, final int sequence) {
            producerId = id;
            epoch = (short) producerEpoch;
            baseSequence = sequence;
            return this;
        }

        /** Marks the batch compressed with {@code codec}; the records stay as built, storage never decodes them. */
        Builder compression(final int codec) {
            compression = codec;
            return this;
        }

        Builder direct() {
            direct = true;
            return this;
        }

        ByteBuffer build() {
            if (timestamps.isEmpty()) {
                throw new IllegalStateException("a batch needs at least one record");
            }
            final long baseTimestamp = timestamps.get(0);
            long maxTimestamp = Long.MIN_VALUE;
            final ByteArrayOutputStream records = new ByteArrayOutputStream();
            for (int i = 0; i < timestamps.size(); i++) {
                maxTimestamp = Math.max(maxTimestamp, timestamps.get(i));
                final ByteArrayOutputStream body = new ByteArrayOutputStream();
                body.write(0);
                writeVarlong(body, timestamps.get(i) - baseTimestamp);
                writeVarlong(body, i);
                writeVarlong(body, -1);
                writeVarlong(body, values.get(i).length);
                body.writeBytes(values.get(i));
                writeVarlong(body, 0);
                writeVarlong(records, body.size());
                records.writeBytes(body.toByteArray());
            }
            final int total = 61 + records.size();
            final ByteBuffer batch = (direct ? ByteBuffer.allocateDirect(total) : ByteBuffer.allocate(total))
                    .order(ByteOrder.BIG_ENDIAN);
            batch.putLong(0L);
            batch.putInt(total - 12);
            batch.putInt(-1);
            batch.put((byte) 2);
            batch.putInt(0);
            batch.putShort((short) compression);
            batch.putInt(timestamps.size() - 1);
            batch.putLong(baseTimestamp);
            batch.putLong(maxTimestamp);
            batch.putLong(producerId);
            batch.putShort(epoch);
            batch.putInt(baseSequence);
            batch.putInt(timestamps.size());
            batch.put(records.toByteArray());
            batch.flip();
            final CRC32C crc = new CRC32C();
            crc.update(batch.duplicate().position(21));
            batch.putInt(17, (int) crc.getValue());
            return batch;
        }

        private static void writeVarlong(final ByteArrayOutputStream out, final long value) {
            long zigzag = (value << 1) ^ (value >> 63);
            while ((zigzag & ~0x7FL) != 0) {
                out.write((int) ((zigzag & 0x7F) | 0x80));
                zigzag >>>= 7;
            }
            out.write((int) zigzag);
        }
    }
}
