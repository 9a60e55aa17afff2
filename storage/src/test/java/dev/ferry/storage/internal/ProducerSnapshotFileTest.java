package dev.ferry.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProducerSnapshotFileTest {

    private static final long OFFSET = 1_234;

    @TempDir
    Path dir;

    /** Producer 7 with seven batches of two records (only the last five retained), producer 9 with one. */
    private static ProducerStateTable table() {
        final ProducerStateTable table = new ProducerStateTable();
        for (int i = 0; i < 7; i++) {
            table.replay(7, (short) 3, 2 * i, 2 * i + 1, 100 + 2 * i, 101 + 2 * i, 5_000 + i, 40_000 + i);
        }
        table.replay(9, (short) 0, 0, 9, 200, 209, 6_000, 50_000);
        return table;
    }

    private static String describe(final List<ProducerEntry> entries) {
        return entries.stream().sorted((a, b) -> Long.compare(a.producerId(), b.producerId()))
                .map(entry -> entry + " last append " + entry.lastAppendMs()).toList().toString();
    }

    @Test
    void shouldReadBackEveryProducerWithItsEpochWindowAndLastAppendTime() throws IOException {
        final ProducerStateTable table = table();
        final Path file = ProducerSnapshotFile.path(dir, OFFSET);
        Files.write(file, ProducerSnapshotFile.encode(table, OFFSET));

        final List<ProducerEntry> read = ProducerSnapshotFile.read(file, OFFSET).orElseThrow();

        assertEquals(describe(List.copyOf(table.entries())), describe(read));
        final ProducerEntry seven = read.stream().filter(entry -> entry.producerId() == 7).findFirst().orElseThrow();
        assertEquals(ProducerEntry.BATCHES_RETAINED, seven.batchCount());
        assertEquals(4, seven.firstSequence(seven.slot(0)), "the oldest retained batch is the third one written");
        assertEquals(13, seven.lastSequence());
        assertEquals(40_006, seven.lastAppendMs());
        assertEquals("producer 7 epoch 3 batches [seq 4-5 at 104-105 ts 5002, seq 6-7 at 106-107 ts 5003, "
                + "seq 8-9 at 108-109 ts 5004, seq 10-11 at 110-111 ts 5005, seq 12-13 at 112-113 ts 5006]",
                seven.toString());
    }

    @Test
    void shouldLayOutTheFileAsTheDescriptorSays() {
        final ProducerStateTable table = new ProducerStateTable();
        table.replay(9, (short) 2, 5, 6, 200, 201, 6_000, 50_000);

        final ByteBuffer bytes = ByteBuffer.wrap(ProducerSnapshotFile.encode(table, OFFSET));

        assertEquals(ProducerSnapshotDescriptor.HEADER_LENGTH + ProducerSnapshotDescriptor.entryLength(1),
                bytes.remaining());
        assertEquals(ProducerSnapshotDescriptor.MAGIC, bytes.getInt(0));
        assertEquals(ProducerSnapshotDescriptor.VERSION, bytes.getInt(4));
        assertEquals(1, bytes.getInt(12));
        assertEquals(OFFSET, bytes.getLong(16));
        assertEquals(9, bytes.getLong(24));
        assertEquals(50_000, bytes.getLong(32));
        assertEquals(2, bytes.getShort(40));
        assertEquals(1, bytes.getShort(42));
        assertEquals(5, bytes.getInt(44));
        assertEquals(6, bytes.getInt(48));
        assertEquals(200, bytes.getLong(52));
        assertEquals(201, bytes.getLong(60));
        assertEquals(6_000, bytes.getLong(68));
        assertEquals("00000000000000001234.snapshot", ProducerSnapshotFile.path(dir, OFFSET).getFileName().toString());
        assertEquals(OFFSET, ProducerSnapshotFile.offsetOf("00000000000000001234.snapshot"));
        assertEquals(-1, ProducerSnapshotFile.offsetOf("00000000000000001234.log"));
    }

    @Test
    void shouldRejectAFileWhoseCrcDoesNotMatchAnyByte() {
        final byte[] good = ProducerSnapshotFile.encode(table(), OFFSET);
        for (int i = 0; i < good.length; i++) {
            final byte[] damaged = good.clone();
            damaged[i] ^= 0x10;
            assertEquals(Optional.empty(), ProducerSnapshotFile.decode(damaged, OFFSET), "byte " + i);
        }
        assertTrue(ProducerSnapshotFile.decode(good, OFFSET).isPresent());
    }

    @Test
    void shouldRejectATruncatedFileOrOneOfAnotherOffset() {
        final byte[] good = ProducerSnapshotFile.encode(table(), OFFSET);
        for (int length = 0; length < good.length; length++) {
            assertEquals(Optional.empty(), ProducerSnapshotFile.decode(Arrays.copyOf(good, length), OFFSET),
                    "length " + length);
        }
        assertEquals(Optional.empty(), ProducerSnapshotFile.decode(good, OFFSET + 1), "named for another offset");
    }

    @Test
    void shouldReadAnAbsentFileAsNoSnapshot() throws IOException {
        assertEquals(Optional.empty(), ProducerSnapshotFile.read(ProducerSnapshotFile.path(dir, OFFSET), OFFSET));
    }

    @Test
    void shouldWriteAnEmptyTableAsAValidSnapshotOfNoProducers() {
        final byte[] empty = ProducerSnapshotFile.encode(new ProducerStateTable(), 0);
        assertEquals(ProducerSnapshotDescriptor.HEADER_LENGTH, empty.length);
        assertEquals(List.of(), ProducerSnapshotFile.decode(empty, 0).orElseThrow());
    }
}
