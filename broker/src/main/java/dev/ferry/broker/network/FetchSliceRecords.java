package dev.ferry.broker.network;

import dev.ferry.protocol.Records;
import dev.ferry.storage.FetchSlice;

/**
 * Records of a Fetch response that stay on disk: a {@link FetchSlice} the network layer sends with
 * {@code FileChannel.transferTo} instead of copying it into the response buffer, except on a TLS connection, where
 * it is copied (a file region cannot pass through encryption).
 *
 * <p><b>Ownership:</b> whoever holds this object owns the slice. A handler that puts it in a response hands it to the
 * network layer when the handler's future completes; the network layer closes the slice once its bytes are flushed or
 * the write has failed. A handler that fails after creating one must close it itself.
 */
public final class FetchSliceRecords implements Records, AutoCloseable {

    private final int length;
    private FetchSlice slice;

    public FetchSliceRecords(FetchSlice slice) {
        this.slice = slice;
        this.length = slice.length();
    }

    /** The slice, while this object still owns it; null once taken or closed. */
    public FetchSlice slice() {
        return slice;
    }

    /** Hands the slice, and the duty to close it, to the caller; later calls to {@link #close()} do nothing. */
    FetchSlice takeSlice() {
        FetchSlice taken = slice;
        slice = null;
        return taken;
    }

    @Override
    public int sizeInBytes() {
        return length;
    }

    /** Closes the slice unless it was taken or already closed; for the owner only (not thread-safe). */
    @Override
    public void close() {
        FetchSlice owned = takeSlice();
        if (owned != null) {
            owned.close();
        }
    }

    @Override
    public String toString() {
        return "FetchSliceRecords(length=" + length + ")";
    }
}
