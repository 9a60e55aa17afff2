/**
 * Durable committed offsets of consumer groups: a journal of commits and deletions with periodic compact snapshots.
 */
package dev.ferry.storage.offsets;
