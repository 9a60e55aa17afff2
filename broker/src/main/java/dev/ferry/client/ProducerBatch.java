package dev.ferry.client;

import dev.ferry.protocol.ByteBufRecords;
import dev.ferry.protocol.record.Header;
import dev.ferry.protocol.record.RecordBatchBuilder;
import dev.ferry.protocol.record.RecordBatchDescriptor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The records waiting to go to one partition in one record batch, with the futures of their senders.
 *
 * <p>Not thread-safe: the accumulator guards appends and the queue it sits in; once drained, the sender alone touches
 * it.
 */
final class ProducerBatch {

    private final TopicPartition partition;
    private final long createdNanos;
    private final List<Entry> entries = new ArrayList<>();
    private int sizeInBytes = RecordBatchDescriptor.RECORDS_OFFSET;
    private int attempts;
    private long retryAtNanos;
    private boolean sealed;

    private record Entry(long timestamp, byte[] key, byte[] value, Header[] headers, int size,
                         CompletableFuture<RecordMetadata> future) {
    }

    ProducerBatch(TopicPartition partition, long createdNanos) {
        this.partition = partition;
        this.createdNanos = createdNanos;
    }

    /**
     * Adds a record unless the batch is sealed, or would outgrow {@code maxBytes} (a batch always takes its first
     * record, however large).
     *
     * @return the record's future, or null when it did not fit
     */
    CompletableFuture<RecordMetadata> tryAppend(ProducerRecord record, long timestamp, int size, int maxBytes) {
        if (sealed || (!entries.isEmpty() && sizeInBytes + size > maxBytes)) {
            return null;
        }
        CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
        entries.add(new Entry(timestamp, record.key(), record.value(), record.headers().toArray(new Header[0]), size,
                future));
        sizeInBytes += size;
        return future;
    }

    /** The batch's records in the wire format, in a new heap buffer the garbage collector reclaims. */
    ByteBufRecords build() {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        for (Entry entry : entries) {
            builder.add(entry.timestamp(), entry.key(), entry.value(), entry.headers());
        }
        int size = builder.sizeInBytes();
        ByteBuf buffer = Unpooled.wrappedBuffer(new byte[size]).writerIndex(0);
        builder.writeTo(buffer);
        return new ByteBufRecords(buffer);
    }

    /** Completes every record's future; offsets follow {@code baseOffset}, or are -1 when it is -1. */
    void succeed(long baseOffset) {
        for (int i = 0; i < entries.size(); i++) {
            long offset = baseOffset < 0 ? -1 : baseOffset + i;
            entries.get(i).future().complete(new RecordMetadata(partition, offset));
        }
    }

    /** Fails every record's future with {@code failure}. */
    void fail(RuntimeException failure) {
        for (Entry entry : entries) {
            entry.future().completeExceptionally(failure);
        }
    }

    TopicPartition partition() {
        return partition;
    }

    long createdNanos() {
        return createdNanos;
    }

    int sizeInBytes() {
        return sizeInBytes;
    }

    int recordCount() {
        return entries.size();
    }

    int attempts() {
        return attempts;
    }

    long retryAtNanos() {
        return retryAtNanos;
    }

    /** Takes the batch out of appending: records sent on a later attempt are exactly those of the first. */
    void seal() {
        sealed = true;
    }

    /** Records a failed attempt; the next may start at {@code atNanos}. */
    void retryAt(long atNanos) {
        attempts++;
        retryAtNanos = atNanos;
    }
}
