/**
 * A small blocking Kafka client on Ferry's own protocol codecs: connections with version negotiation, TLS and SASL,
 * cluster metadata, a batching producer, a consumer that is a classic consumer-group member, and admin calls. It
 * backs the {@code ferry} command-line tools and speaks to Apache Kafka as well as to Ferry.
 */
package dev.ferry.client;
