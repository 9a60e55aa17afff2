package dev.ferry.storage;

/** A record timestamp and the offset it belongs to. */
public record TimestampOffset(long timestampMs, long offset) {
}
