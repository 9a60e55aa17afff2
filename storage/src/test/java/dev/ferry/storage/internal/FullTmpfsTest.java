package dev.ferry.storage.internal;

import static dev.ferry.storage.internal.StorageTestSupport.asStored;
import static dev.ferry.storage.internal.StorageTestSupport.drain;
import static dev.ferry.storage.internal.StorageTestSupport.open;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.storage.AppendResult;
import dev.ferry.storage.LogConfig;
import dev.ferry.storage.LogDirectoryFullException;
import dev.ferry.storage.TopicPartition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same guarantees as {@link FullDiskTest}, on a real file system that runs out of room: a small tmpfs, whose
 * pages are only allocated when written, so a store through a mapping onto an unallocated page would SIGBUS the
 * JVM. Runs only where the test may mount one (as root); skipped elsewhere.
 */
class FullTmpfsTest {

    private static final TopicPartition PARTITION = new TopicPartition("orders", 0);
    private static final long NOW = 1_700_000_000_000L;
    private static final int BATCH_BYTES = 8 * 1024;
    /** Small segments so appends keep rolling; large sparse indexes, as in production. */
    private static final LogConfig CONFIG = new LogConfig(256 * 1024, Long.MAX_VALUE, -1, -1, Long.MAX_VALUE,
            Long.MAX_VALUE, 4096, 1024 * 1024, false);

    @TempDir
    Path tmp;

    private Path mount;
    private boolean mounted;
    private DefaultLogManager manager;
    private final List<byte[]> acknowledged = new ArrayList<>();

    @BeforeEach
    void mountSmallTmpfs() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        mount = Files.createDirectory(tmp.resolve("fs"));
        final Process process = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs",
                mount.toString()).redirectErrorStream(true).start();
        mounted = process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        assumeTrue(mounted, "mount -t tmpfs is not permitted here");
    }

    @AfterEach
    void unmount() throws Exception {
        if (manager != null) {
            manager.close();
        }
        if (mounted) {
            // lazily, so that a file some background thread still holds cannot fail the cleanup
            final Process process = new ProcessBuilder("umount", "-l", mount.toString()).redirectErrorStream(true)
                    .start();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0, "umount failed");
        }
    }

    @Test
    void shouldSurviveFullFileSystemAcrossAppendsAndRestart() throws IOException {
        manager = open(mount);
        DefaultLog log = (DefaultLog) manager.getOrCreateLog(PARTITION, CONFIG);
        for (int i = 0; i < 40; i++) {
            appendAcknowledged(log);
        }
        final Path filler = fill(mount, "filler-1");

        for (int i = 0; i < 50; i++) {
            final DefaultLog full = log;
            assertThrows(LogDirectoryFullException.class,
                    () -> full.append(TestBatches.sized(BATCH_BYTES, NOW), NOW));
        }
        assertAcknowledgedReadable(log);

        manager.close();
        // closing trims the active indexes, which frees their unused pages: take those too
        final Path moreFiller = fill(mount, "filler-2");
        manager = open(mount);
        log = (DefaultLog) manager.getOrCreateLog(PARTITION, CONFIG);
        assertAcknowledgedReadable(log);
        final DefaultLog reopened = log;
        assertThrows(LogDirectoryFullException.class,
                () -> reopened.append(TestBatches.sized(BATCH_BYTES, NOW), NOW));

        Files.delete(filler);
        Files.delete(moreFiller);
        for (int i = 0; i < 40; i++) {
            appendAcknowledged(log);
        }
        assertAcknowledgedReadable(log);
    }

    private void appendAcknowledged(final DefaultLog log) {
        final ByteBuffer batch = TestBatches.sized(BATCH_BYTES, NOW + acknowledged.size());
        final byte[] original = StorageTestSupport.bytes(batch);
        final AppendResult result = log.append(batch, NOW);
        assertEquals(acknowledged.size(), result.baseOffset());
        acknowledged.add(asStored(ByteBuffer.wrap(original), result.baseOffset()));
    }

    /** Writes a file until the file system refuses another byte. */
    private static Path fill(final Path dir, final String name) throws IOException {
        final Path filler = dir.resolve(name);
        try (FileChannel channel = FileChannel.open(filler, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            final ByteBuffer chunk = ByteBuffer.allocate(4096);
            for (int size : new int[] {4096, 1}) {
                for (int i = 0; i < 2048; i++) {
                    chunk.clear().limit(size);
                    try {
                        channel.write(chunk);
                    } catch (IOException noSpace) {
                        break;
                    }
                }
            }
        }
        assertEquals(0, dir.toFile().getUsableSpace(), "the file system should be full");
        return filler;
    }

    private void assertAcknowledgedReadable(final DefaultLog log) throws IOException {
        final ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (byte[] batch : acknowledged) {
            expected.write(batch);
        }
        final ByteArrayOutputStream actual = new ByteArrayOutputStream();
        long offset = 0;
        while (offset < log.logEndOffset()) {
            final byte[] slice = drain(log.read(offset, Integer.MAX_VALUE, true));
            actual.write(slice);
            offset += StorageTestSupport.batchOffsets(slice).size();
        }
        assertEquals(acknowledged.size(), log.logEndOffset());
        assertArrayEquals(expected.toByteArray(), actual.toByteArray());
    }
}
