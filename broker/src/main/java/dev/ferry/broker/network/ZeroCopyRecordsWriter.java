package dev.ferry.broker.network;

import dev.ferry.protocol.ByteBufRecords;
import dev.ferry.protocol.ProtocolException;
import dev.ferry.protocol.Records;
import dev.ferry.protocol.RecordsWriter;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a response whose records may live on disk: bytes go into one buffer, and each {@link FetchSliceRecords}
 * becomes a cut in that buffer where a {@link FetchSliceRegion} is sent instead. {@link #parts()} then yields
 * {@code [ByteBuf, FileRegion, ByteBuf, ...]} to write in order.
 *
 * <p><b>Ownership:</b> takes ownership of every {@code FetchSliceRecords} it is given; they pass into the regions
 * {@link #parts()} returns, or are closed by {@link #discard()}. Not thread-safe; one instance per response.
 */
final class ZeroCopyRecordsWriter implements ResponseRecordsWriter {

    private final ByteBuf out;
    private final List<Integer> cuts = new ArrayList<>();
    private final List<FetchSliceRecords> regions = new ArrayList<>();

    /** @param out the buffer the whole response is written into; this writer takes ownership of it */
    ZeroCopyRecordsWriter(ByteBuf out) {
        this.out = out;
    }

    @Override
    public void write(ByteBuf target, Records records) {
        if (records instanceof FetchSliceRecords sliceRecords) {
            if (sliceRecords.sizeInBytes() == 0) {
                sliceRecords.close();
                return;
            }
            if (target != out) {
                sliceRecords.close();
                throw new IllegalStateException("records written to a buffer other than the response's");
            }
            cuts.add(out.writerIndex());
            regions.add(sliceRecords);
        } else if (records instanceof ByteBufRecords) {
            RecordsWriter.COPYING.write(target, records);
        } else {
            throw new ProtocolException("cannot write records of type " + records.getClass().getName());
        }
    }

    /**
     * The response as parts to write in order. Releases the buffer this writer was given (the returned slices hold
     * their own references); the caller owns the parts.
     */
    @Override
    public List<Object> parts() {
        if (regions.isEmpty()) {
            return List.of(out);
        }
        List<Object> parts = new ArrayList<>(2 * regions.size() + 1);
        int start = out.readerIndex();
        for (int i = 0; i < regions.size(); i++) {
            int cut = cuts.get(i);
            if (cut > start) {
                parts.add(out.retainedSlice(start, cut - start));
            }
            parts.add(new FetchSliceRegion(regions.get(i).takeSlice()));
            start = cut;
        }
        if (out.writerIndex() > start) {
            parts.add(out.retainedSlice(start, out.writerIndex() - start));
        }
        regions.clear();
        out.release();
        return parts;
    }

    /** Gives up the response: releases the buffer and closes every slice taken so far. */
    @Override
    public void discard() {
        for (FetchSliceRecords records : regions) {
            records.close();
        }
        regions.clear();
        out.release();
    }
}
