package dev.ferry.broker.producer;

import static dev.ferry.broker.producer.ProducerIdBlockDescriptor.CHECKSUMMED_LENGTH;
import static dev.ferry.broker.producer.ProducerIdBlockDescriptor.CRC_OFFSET;
import static dev.ferry.broker.producer.ProducerIdBlockDescriptor.LENGTH;
import static dev.ferry.broker.producer.ProducerIdBlockDescriptor.MAGIC;
import static dev.ferry.broker.producer.ProducerIdBlockDescriptor.MAGIC_OFFSET;
import static dev.ferry.broker.producer.ProducerIdBlockDescriptor.NEXT_BLOCK_START_OFFSET;
import static dev.ferry.broker.producer.ProducerIdBlockDescriptor.VERSION;
import static dev.ferry.broker.producer.ProducerIdBlockDescriptor.VERSION_OFFSET;

import dev.ferry.storage.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Hands out producer ids that are never reused, not even across restarts or crashes.
 *
 * <p>Ids are reserved in blocks, like Kafka's controller does: before the first id of a block is handed out, the end
 * of the block is written to {@value #FILE_NAME} in the metadata directory (to a temporary file, forced to disk, then
 * renamed over the old one, and the directory forced), so a broker that restarts continues after the last reserved
 * block. A crash wastes at most the rest of one block.
 *
 * <p><b>Thread-safety:</b> safe to call from any thread; allocation is serialised, and at most one call in
 * {@code blockSize} touches the disk.
 */
public final class ProducerIdManager {

    /** Ids reserved per write of the block file; Kafka's controller reserves 1000 at a time too. */
    public static final int DEFAULT_BLOCK_SIZE = 1000;

    /** The block file's name in the metadata directory; its layout is {@link ProducerIdBlockDescriptor}'s. */
    public static final String FILE_NAME = "producer-id-block";


    private final Path dir;
    private final Path file;
    private final int blockSize;
    private long nextId;
    private long blockEnd;

    private ProducerIdManager(Path dir, int blockSize, long persistedBlockStart) {
        this.dir = dir;
        this.file = dir.resolve(FILE_NAME);
        this.blockSize = blockSize;
        this.nextId = persistedBlockStart;
        this.blockEnd = persistedBlockStart;
    }

    /** Opens the manager over {@code metadataDir} with blocks of {@link #DEFAULT_BLOCK_SIZE} ids. */
    public static ProducerIdManager open(Path metadataDir) {
        return open(metadataDir, DEFAULT_BLOCK_SIZE);
    }

    /**
     * Opens the manager over {@code metadataDir}, creating the directory if needed.
     *
     * @throws UncheckedIOException when the block file cannot be read
     * @throws IllegalStateException when the block file is corrupt: handing out ids again from zero could repeat
     *                               ids that producers still use, so the broker must not guess
     */
    public static ProducerIdManager open(Path metadataDir, int blockSize) {
        if (blockSize <= 0) {
            throw new IllegalArgumentException("blockSize must be positive: " + blockSize);
        }
        try {
            Files.createDirectories(metadataDir);
            return new ProducerIdManager(metadataDir, blockSize, readBlockStart(metadataDir.resolve(FILE_NAME)));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the producer id block in " + metadataDir, e);
        }
    }

    /**
     * A producer id never returned before.
     *
     * @throws UncheckedIOException when a new block had to be reserved and the block file could not be written; no
     *                              id is handed out then, and the next call tries again
     */
    public synchronized long nextProducerId() {
        if (nextId == blockEnd) {
            long newEnd = Math.addExact(blockEnd, blockSize);
            writeBlockStart(newEnd);
            nextId = blockEnd;
            blockEnd = newEnd;
        }
        return nextId++;
    }

    private static long readBlockStart(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return 0;
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (bytes.length != LENGTH || buffer.getInt(MAGIC_OFFSET) != MAGIC) {
            throw new IllegalStateException(file + " is not a producer id block file");
        }
        if (buffer.getInt(VERSION_OFFSET) != VERSION) {
            throw new IllegalStateException(file + " has unknown format version " + buffer.getInt(VERSION_OFFSET));
        }
        if (buffer.getInt(CRC_OFFSET) != checksum(bytes)) {
            throw new IllegalStateException(file + " is corrupt: its checksum does not match");
        }
        long start = buffer.getLong(NEXT_BLOCK_START_OFFSET);
        if (start < 0) {
            throw new IllegalStateException(file + " holds a negative block start " + start);
        }
        return start;
    }

    private void writeBlockStart(long blockStart) {
        byte[] bytes = new byte[LENGTH];
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        buffer.putInt(MAGIC_OFFSET, MAGIC);
        buffer.putInt(VERSION_OFFSET, VERSION);
        buffer.putLong(NEXT_BLOCK_START_OFFSET, blockStart);
        buffer.putInt(CRC_OFFSET, checksum(bytes));
        try {
            AtomicFiles.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not reserve producer ids up to " + blockStart + " in " + file, e);
        }
    }

    private static int checksum(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, CHECKSUMMED_LENGTH);
        return (int) crc.getValue();
    }
}
