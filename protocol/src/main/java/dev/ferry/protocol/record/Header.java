package dev.ferry.protocol.record;

import java.util.Arrays;
import java.util.Objects;

/**
 * A record header: a non-null string key and a nullable byte value. Immutable as long as the caller leaves the value
 * array alone; the array is not copied.
 */
public final class Header {
    private final String key;
    private final byte[] value;

    /**
     * Creates a header.
     *
     * @param key   the key, written as UTF-8
     * @param value the value, or null
     */
    public Header(String key, byte[] value) {
        this.key = Objects.requireNonNull(key, "header key");
        this.value = value;
    }

    public String key() {
        return key;
    }

    public byte[] value() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Header header && key.equals(header.key) && Arrays.equals(value, header.value);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "Header(" + key + ", " + (value == null ? "null" : value.length + " bytes") + ")";
    }
}
