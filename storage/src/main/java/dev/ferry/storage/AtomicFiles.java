package dev.ferry.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces small files so that a crash leaves either the old or the new content: write a temporary sibling,
 * fsync it, rename it over the target, fsync the directory. Used for the storage's checkpoints, catalog and offset
 * snapshots, and the broker's own state files (cluster id, producer id blocks).
 */
public final class AtomicFiles {

    /** The suffix of the temporary sibling; a leftover one (after a crash mid-write) is never read. */
    public static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    public static void write(final Path target, final byte[] content) throws IOException {
        final Path temp = target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            final ByteBuffer bytes = ByteBuffer.wrap(content);
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(target.getParent());
    }

    /** Makes a directory's entries (created, renamed, deleted files) durable. */
    public static void syncDirectory(final Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
