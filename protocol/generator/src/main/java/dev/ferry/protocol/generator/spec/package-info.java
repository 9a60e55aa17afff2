/**
 * The model of a Kafka message spec: messages, structs, fields, their types and version ranges.
 */
package dev.ferry.protocol.generator.spec;
