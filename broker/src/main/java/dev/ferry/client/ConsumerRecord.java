package dev.ferry.client;

import dev.ferry.protocol.record.Header;
import java.util.List;

/**
 * A record read from a partition. Immutable as long as the caller leaves the arrays alone.
 *
 * @param partition the topic and partition
 * @param offset    its offset
 * @param timestamp its timestamp in milliseconds (create time, or log append time if the topic uses it)
 * @param key       the key, or null
 * @param value     the value, or null
 * @param headers   the headers, in order
 */
public record ConsumerRecord(TopicPartition partition, long offset, long timestamp, byte[] key, byte[] value,
                             List<Header> headers) {
}
