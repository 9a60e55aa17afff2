package dev.ferry.broker.network;

import dev.ferry.storage.FetchSlice;
import io.netty.channel.DefaultFileRegion;

/**
 * A {@link FetchSlice} as a Netty file region, sent with {@code sendfile}: {@code FileChannel.transferTo} at the
 * slice's absolute position under NIO, the native {@code sendfile} under epoll (which Netty applies only to
 * {@link DefaultFileRegion}s — hence the subclass rather than a region of our own).
 *
 * <p><b>Ownership:</b> owns the slice. Releasing the region closes the slice, dropping its segment reference, and
 * never the segment's file channel, which other readers share: {@link #deallocate()} replaces the parent's, which
 * would close it.
 */
final class FetchSliceRegion extends DefaultFileRegion {

    private final FetchSlice slice;

    FetchSliceRegion(FetchSlice slice) {
        super(slice.channel(), slice.position(), slice.length());
        this.slice = slice;
    }

    @Override
    protected void deallocate() {
        slice.close();
    }
}
