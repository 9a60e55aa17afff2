/**
 * The offsets store's implementation: the Chronicle Queue journal, its entry and snapshot formats, and the in-memory
 * table they rebuild.
 */
package dev.ferry.storage.offsets.internal;
