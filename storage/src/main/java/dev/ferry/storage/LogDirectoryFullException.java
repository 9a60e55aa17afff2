package dev.ferry.storage;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An append refused because the file system holding the log directory has no room for it. Nothing of the refused
 * batches was kept and nothing already in the log was touched; the same append succeeds once space returns (freed by
 * an operator or by retention), without a restart. Reads of the log keep working meanwhile.
 *
 * <p>An {@link UncheckedIOException}, as {@link Log} documents for failed disk operations, so callers that answer
 * those with KAFKA_STORAGE_ERROR (which clients retry) answer this one the same way.
 */
public final class LogDirectoryFullException extends UncheckedIOException {

    public LogDirectoryFullException(final String message, final IOException cause) {
        super(message, cause);
    }
}
