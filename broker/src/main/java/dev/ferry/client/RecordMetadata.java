package dev.ferry.client;

/**
 * Where a sent record was stored.
 *
 * @param partition the topic and partition
 * @param offset    its offset, or -1 when the producer does not wait for acknowledgements
 */
public record RecordMetadata(TopicPartition partition, long offset) {
}
