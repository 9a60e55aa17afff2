package dev.ferry.client;

import dev.ferry.protocol.record.Header;
import java.util.List;
import java.util.Objects;

/**
 * A record to send. Immutable as long as the caller leaves the arrays alone.
 *
 * @param topic     the topic
 * @param partition the partition, or null to let the producer choose (by key hash, or sticky without a key)
 * @param key       the key, or null
 * @param value     the value, or null
 * @param headers   the headers, in order
 * @param timestamp the create time in milliseconds, or null for the time of sending
 */
public record ProducerRecord(String topic, Integer partition, byte[] key, byte[] value, List<Header> headers,
                             Long timestamp) {

    public ProducerRecord {
        Objects.requireNonNull(topic, "topic");
        headers = headers == null ? List.of() : List.copyOf(headers);
    }

    /** A record with just a value, for the producer to place. */
    public static ProducerRecord of(String topic, byte[] value) {
        return new ProducerRecord(topic, null, null, value, List.of(), null);
    }

    /** The bytes the record adds to a batch, roughly: its fields plus a little framing. */
    int estimatedSize() {
        int size = 21 + length(key) + length(value);
        for (Header header : headers) {
            size += 8 + header.key().length() + length(header.value());
        }
        return size;
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }
}
