/**
 * Decompression of the records section of v2 batches written with Kafka's codecs (gzip, snappy, lz4, zstd), with a
 * cap on the decompressed size, and reading the records of any batch, compressed or not.
 */
package dev.ferry.protocol.record.compression;
