package dev.ferry.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Puts the bytes of a records field on the wire while a message is written. The broker supplies its own to send
 * log segments zero-copy; {@link #COPYING} suits records that are already in memory.
 */
@FunctionalInterface
public interface RecordsWriter {
    /**
     * Copies the readable bytes of {@link ByteBufRecords} into {@code out}, leaving the source's indexes untouched;
     * rejects any other kind of records.
     */
    RecordsWriter COPYING = (out, records) -> {
        if (!(records instanceof ByteBufRecords byteBufRecords)) {
            throw new ProtocolException("Cannot copy records of type " + records.getClass().getName());
        }
        ByteBuf source = byteBufRecords.buffer();
        out.writeBytes(source, source.readerIndex(), source.readableBytes());
    };

    /**
     * Writes exactly {@code records.sizeInBytes()} bytes after their length prefix, which the generated code has
     * already written to {@code out}.
     */
    void write(ByteBuf out, Records records);
}
