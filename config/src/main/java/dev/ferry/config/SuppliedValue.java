package dev.ferry.config;

/**
 * One key and value as the operator wrote it, before parsing.
 *
 * @param key    the key, e.g. {@code log.dirs} (already translated from an environment variable's name)
 * @param text   the value as written; {@code null} only when a caller passed a null override
 * @param origin where it was written
 */
record SuppliedValue(String key, String text, Origin origin) {
}
