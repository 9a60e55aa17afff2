/**
 * The storage engine's public face: partition logs, their manager, the topic catalog, and what appends and reads
 * return.
 */
package dev.ferry.storage;
