/** One handler per Kafka API, and the registry that maps API keys to them. */
package dev.ferry.broker.handler;
