/**
 * The Kafka wire protocol: the message contracts, the primitive wire types they are made of, and the record data
 * they carry; the message classes themselves are generated into {@code dev.ferry.protocol.message}.
 */
package dev.ferry.protocol;
