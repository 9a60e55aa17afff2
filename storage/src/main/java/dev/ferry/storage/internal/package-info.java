/**
 * The storage engine's implementation: segment files and their indexes, recovery, producer state and background
 * duties.
 */
package dev.ferry.storage.internal;
