package dev.ferry.storage.internal;

import dev.ferry.storage.FetchSlice;
import java.nio.channels.FileChannel;

/** The slice returned when there is nothing to read: no file, no reference held, closing does nothing. */
enum EmptyFetchSlice implements FetchSlice {
    INSTANCE;

    /** Null: an empty slice names no file. */
    @Override
    public FileChannel channel() {
        return null;
    }

    @Override
    public long position() {
        return 0;
    }

    @Override
    public int length() {
        return 0;
    }

    @Override
    public void close() {
    }
}
