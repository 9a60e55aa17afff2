/**
 * Durable committed offsets and membership state of consumer groups: a journal of changes with periodic compact
 * snapshots.
 */
package dev.ferry.storage.offsets;
