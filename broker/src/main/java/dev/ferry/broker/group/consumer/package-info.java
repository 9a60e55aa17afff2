/**
 * KIP-848 consumer groups: the ConsumerGroupHeartbeat protocol, where the broker computes each group's target
 * assignment with a server-side assignor and walks every member towards it without giving a partition to two owners.
 */
package dev.ferry.broker.group.consumer;
