package dev.ferry.broker.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProducerIdManagerTest {

    @TempDir
    Path dir;

    @Test
    void shouldHandOutConsecutiveIdsFromZeroAcrossBlocks() {
        ProducerIdManager manager = ProducerIdManager.open(dir, 3);

        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(manager.nextProducerId());
        }

        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L), ids);
    }

    @Test
    void shouldPersistTheEndOfABlockBeforeHandingOutItsFirstId() throws IOException {
        ProducerIdManager manager = ProducerIdManager.open(dir, 10);

        manager.nextProducerId();

        assertEquals(10, persistedBlockStart());
        for (int i = 0; i < 9; i++) {
            manager.nextProducerId();
        }
        assertEquals(10, persistedBlockStart(), "the block is not exhausted yet");
        manager.nextProducerId();
        assertEquals(20, persistedBlockStart());
    }

    @Test
    void shouldNeverRepeatIdsAcrossRestarts() {
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        for (int restart = 0; restart < 4; restart++) {
            ProducerIdManager manager = ProducerIdManager.open(dir, 10);
            for (int i = 0; i < 3; i++) {
                long id = manager.nextProducerId();
                assertTrue(seen.add(id), "id " + id + " handed out twice");
            }
        }
        assertEquals(12, seen.size());
    }

    @Test
    void shouldHandOutUniqueIdsToConcurrentCallers() throws Exception {
        ProducerIdManager manager = ProducerIdManager.open(dir, 50);
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        int threads = 4;
        int perThread = 500;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        seen.add(manager.nextProducerId());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(threads * perThread, seen.size());
        assertEquals(threads * perThread - 1, seen.stream().mapToLong(Long::longValue).max().orElseThrow());
    }

    @Test
    void shouldRefuseACorruptBlockFile() throws IOException {
        ProducerIdManager.open(dir, 10).nextProducerId();
        Path file = dir.resolve(ProducerIdManager.FILE_NAME);
        byte[] bytes = Files.readAllBytes(file);
        bytes[ProducerIdBlockDescriptor.NEXT_BLOCK_START_OFFSET + 7] ^= 0x01;
        Files.write(file, bytes);

        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> ProducerIdManager.open(dir, 10));
        assertTrue(failure.getMessage().contains("checksum"), failure.getMessage());
    }

    @Test
    void shouldRefuseAFileOfAnotherFormat() throws IOException {
        Files.writeString(dir.resolve(ProducerIdManager.FILE_NAME), "next=1000\n");

        assertThrows(IllegalStateException.class, () -> ProducerIdManager.open(dir, 10));
    }

    @Test
    void shouldCreateTheMetadataDirectory() {
        Path metadata = dir.resolve("nested").resolve("metadata");

        long id = ProducerIdManager.open(metadata).nextProducerId();

        assertEquals(0, id);
        assertTrue(Files.isRegularFile(metadata.resolve(ProducerIdManager.FILE_NAME)));
    }

    private long persistedBlockStart() throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(ProducerIdManager.FILE_NAME)));
        assertEquals(ProducerIdBlockDescriptor.LENGTH, buffer.remaining());
        assertEquals(ProducerIdBlockDescriptor.MAGIC, buffer.getInt(ProducerIdBlockDescriptor.MAGIC_OFFSET));
        return buffer.getLong(ProducerIdBlockDescriptor.NEXT_BLOCK_START_OFFSET);
    }
}
