package dev.ferry.storage.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * How the storage learns how much room a file system has left, writes bytes that take new disk space, and claims
 * disk blocks before it writes through a memory mapping. A store through a mapping onto a page that has no block
 * behind it (a sparse file on a full file system) kills the process with SIGBUS; a {@link FileChannel} write of the
 * same bytes fails with an {@link IOException} instead. So every region of a mapped file is allocated here, by
 * channel writes, before it is written through its mapping.
 *
 * <p><b>Thread-safety:</b> implementations are safe to call from any thread.
 */
interface DiskSpace {

    /** The operating system's answer: statfs for free space, writes of zeroes for allocation. */
    DiskSpace SYSTEM = new DiskSpace() {
        private static final int ZEROES_LENGTH = 64 * 1024;

        @Override
        public long usableBytes(final Path dir) {
            return dir.toFile().getUsableSpace();
        }

        @Override
        public void write(final FileChannel channel, final ByteBuffer bytes, final long position)
                throws IOException {
            final int start = bytes.position();
            while (bytes.hasRemaining()) {
                channel.write(bytes, position + (bytes.position() - start));
            }
        }

        @Override
        public void allocate(final FileChannel channel, final long position, final long length) throws IOException {
            final ByteBuffer zeroes = ByteBuffer.allocate((int) Math.min(ZEROES_LENGTH, Math.max(0, length)));
            long written = 0;
            while (written < length) {
                zeroes.clear().limit((int) Math.min(zeroes.capacity(), length - written));
                while (zeroes.hasRemaining()) {
                    written += channel.write(zeroes, position + written);
                }
            }
        }
    };

    /**
     * Bytes an unprivileged process may still write to the file system holding {@code dir}; 0 when that cannot be
     * told (java.io reports errors that way).
     */
    long usableBytes(Path dir) throws IOException;

    /**
     * Writes all of {@code bytes}, from position to limit, at {@code position} in the file; the buffer's position
     * ends at its limit.
     *
     * @throws IOException when the file system has no room (ENOSPC) or the write fails otherwise; some of the bytes
     *                     may have been written
     */
    void write(FileChannel channel, ByteBuffer bytes, long position) throws IOException;

    /**
     * Backs {@code length} bytes of the file at {@code position} with disk blocks by writing zeroes there, growing
     * the file if it is shorter. The caller must own that region: whatever it held is overwritten.
     *
     * @throws IOException when the file system has no room (ENOSPC) or the write fails otherwise
     */
    void allocate(FileChannel channel, long position, long length) throws IOException;
}
