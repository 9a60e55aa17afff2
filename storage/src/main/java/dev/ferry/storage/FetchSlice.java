package dev.ferry.storage;

import java.nio.channels.FileChannel;

/**
 * A run of whole record batches in one segment file, to be sent with {@code FileChannel.transferTo}.
 *
 * <p>While a slice is open it holds a reference on its segment, so neither retention nor the open-file
 * bound closes the channel under a send in progress. <b>Close it exactly once</b>, when the bytes have
 * been written (or the send has failed); an empty slice holds nothing and may be closed or not.
 */
public interface FetchSlice extends AutoCloseable {

    /** The segment file; do not change its position or close it. Null for an empty slice. */
    FileChannel channel();

    long position();

    /** Bytes in the slice, 0 when there is nothing to read at that offset. */
    int length();

    /** Drops the slice's segment reference. */
    @Override
    void close();
}
