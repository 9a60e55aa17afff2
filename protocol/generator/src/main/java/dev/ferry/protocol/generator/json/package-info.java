/**
 * A minimal JSON reader for Kafka's message specs, which are JSON with {@code //} comment lines.
 */
package dev.ferry.protocol.generator.json;
