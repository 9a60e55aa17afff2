package dev.ferry.broker.network;

import dev.ferry.protocol.ByteBufRecords;
import dev.ferry.protocol.ProtocolException;
import dev.ferry.protocol.Records;
import dev.ferry.protocol.RecordsWriter;
import dev.ferry.storage.FetchSlice;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes a response whose records may live on disk into one buffer, copying each {@link FetchSliceRecords} from its
 * segment file: for connections whose bytes a handler transforms (TLS), where a file region cannot be sent as is.
 * {@link #parts()} then yields that single buffer.
 *
 * <p><b>Ownership:</b> takes ownership of the response buffer and of every {@code FetchSliceRecords} it is given;
 * each slice is closed as soon as its bytes are copied, or when copying fails. Not thread-safe; one instance per
 * response.
 */
final class RecordsCopyingWriter implements ResponseRecordsWriter {

    private final ByteBuf out;

    /** @param out the buffer the whole response is written into; this writer takes ownership of it */
    RecordsCopyingWriter(ByteBuf out) {
        this.out = out;
    }

    @Override
    public void write(ByteBuf target, Records records) {
        if (records instanceof FetchSliceRecords sliceRecords) {
            FetchSlice slice = sliceRecords.takeSlice();
            if (slice == null) {
                throw new IllegalStateException("fetched records written twice, or after being closed");
            }
            try {
                copy(slice, target);
            } finally {
                slice.close();
            }
        } else if (records instanceof ByteBufRecords) {
            RecordsWriter.COPYING.write(target, records);
        } else {
            throw new ProtocolException("cannot write records of type " + records.getClass().getName());
        }
    }

    private static void copy(FetchSlice slice, ByteBuf target) {
        long position = slice.position();
        int remaining = slice.length();
        target.ensureWritable(remaining);
        try {
            while (remaining > 0) {
                int read = target.writeBytes(slice.channel(), position, remaining);
                if (read < 0) {
                    throw new IllegalStateException("segment file ended " + remaining + " bytes before its slice");
                }
                position += read;
                remaining -= read;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read fetched records from their segment", e);
        }
    }

    @Override
    public List<Object> parts() {
        return List.of(out);
    }

    @Override
    public void discard() {
        out.release();
    }
}
