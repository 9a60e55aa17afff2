/**
 * Kafka's v2 record batches: their layout, a zero-copy reader, the validation a broker applies on produce, and a
 * builder for uncompressed batches.
 */
package dev.ferry.protocol.record;
