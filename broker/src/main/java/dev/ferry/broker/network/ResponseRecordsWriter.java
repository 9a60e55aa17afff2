package dev.ferry.broker.network;

import dev.ferry.protocol.RecordsWriter;
import java.util.List;

/**
 * How {@link ResponseEncoder} writes the records of one response, and then hands over what to send. Implementations
 * own the response buffer they were given until {@link #parts()} or {@link #discard()}.
 */
interface ResponseRecordsWriter extends RecordsWriter {

    /** The response as parts to write in order; the caller owns them. Call once, instead of {@link #discard()}. */
    List<Object> parts();

    /** Gives up the response: releases the buffer and every slice still held. */
    void discard();
}
