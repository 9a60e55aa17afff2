package dev.ferry.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Producer} batches and sends. Immutable; defaults are Kafka's ({@link #defaults()}).
 *
 * @param acks            the acknowledgements each Produce request waits for
 * @param linger          how long a batch waits for more records before it is sent
 * @param batchSize       the size in bytes at which a batch is sent without waiting out the linger
 * @param deliveryTimeout how long a record may take, retries included, before it fails
 * @param bufferMemory    the bytes of unsent records beyond which {@link Producer#send} blocks
 * @param maxRequestSize  the most bytes of batches put in one Produce request
 */
public record ProducerSettings(Acks acks, Duration linger, int batchSize, Duration deliveryTimeout, long bufferMemory,
                               int maxRequestSize) {

    public ProducerSettings {
        Objects.requireNonNull(acks, "acks");
        Objects.requireNonNull(linger, "linger");
        Objects.requireNonNull(deliveryTimeout, "deliveryTimeout");
        if (batchSize < 1 || bufferMemory < batchSize || maxRequestSize < 1) {
            throw new IllegalArgumentException("batchSize, bufferMemory and maxRequestSize must be positive, and "
                    + "bufferMemory at least batchSize");
        }
    }

    /** Kafka's producer defaults: acks=all, linger.ms=5, batch.size=16384, delivery.timeout.ms=120000. */
    public static ProducerSettings defaults() {
        return new ProducerSettings(Acks.ALL, Duration.ofMillis(5), 16_384, Duration.ofMinutes(2), 32L << 20,
                1 << 20);
    }

    public ProducerSettings withAcks(Acks value) {
        return new ProducerSettings(value, linger, batchSize, deliveryTimeout, bufferMemory, maxRequestSize);
    }

    public ProducerSettings withLinger(Duration value) {
        return new ProducerSettings(acks, value, batchSize, deliveryTimeout, bufferMemory, maxRequestSize);
    }

    public ProducerSettings withBatchSize(int value) {
        return new ProducerSettings(acks, linger, value, deliveryTimeout, bufferMemory, maxRequestSize);
    }

    public ProducerSettings withDeliveryTimeout(Duration value) {
        return new ProducerSettings(acks, linger, batchSize, value, bufferMemory, maxRequestSize);
    }
}
