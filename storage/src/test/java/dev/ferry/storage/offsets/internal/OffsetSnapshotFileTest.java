package dev.ferry.storage.offsets.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.TopicPartition;
import dev.ferry.storage.offsets.CommittedOffset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetSnapshotFileTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadBackWhatItWrote() throws IOException {
        final OffsetTable table = new OffsetTable();
        table.put("billing", new TopicPartition("orders", 0), new CommittedOffset(10, 2, "ä-meta", 1_000));
        table.put("billing", new TopicPartition("orders", 1), new CommittedOffset(11, -1, "", 1_001));
        table.put("audit", new TopicPartition("pay", 3), new CommittedOffset(0, 0, "x", 0));
        table.putState("billing", new byte[] {1, 2, 3});
        table.putState("state-only-ü", new byte[0]);
        final Path file = dir.resolve("s");

        OffsetSnapshotFile.write(file, 12_345L, table);
        final OffsetSnapshotFile.Loaded loaded = OffsetSnapshotFile.read(file).orElseThrow();

        assertEquals(12_345L, loaded.journalIndex());
        assertEquals(table.all(), loaded.table().all());
        assertEquals(Set.of("billing", "state-only-ü"), loaded.table().states().keySet());
        assertArrayEquals(new byte[] {1, 2, 3}, loaded.table().states().get("billing"));
        assertArrayEquals(new byte[0], loaded.table().states().get("state-only-ü"));
        assertEquals(3, loaded.table().stateBytes());
        assertFalse(Files.exists(dir.resolve("s.tmp")));
    }

    @Test
    void shouldReportAbsentFileAsNoSnapshot() throws IOException {
        assertEquals(Optional.empty(), OffsetSnapshotFile.read(dir.resolve("missing")));
    }

    @Test
    void shouldRejectEveryTruncationOfValidSnapshot() throws IOException {
        final OffsetTable table = new OffsetTable();
        table.put("g", new TopicPartition("t", 0), new CommittedOffset(1, 1, "m", 1));
        table.putState("g", new byte[] {9, 8});
        final Path file = dir.resolve("s");
        OffsetSnapshotFile.write(file, 7L, table);
        final byte[] whole = Files.readAllBytes(file);

        for (int length = 0; length < whole.length; length++) {
            Files.write(file, Arrays.copyOf(whole, length));
            assertEquals(Optional.empty(), OffsetSnapshotFile.read(file), "length " + length);
        }
    }

    @Test
    void shouldRejectSnapshotOfAnotherVersionEvenWithValidChecksum() throws IOException {
        final Path file = dir.resolve("s");
        OffsetSnapshotFile.write(file, 7L, new OffsetTable());
        final byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).putInt(4, OffsetSnapshotDescriptor.VERSION + 1);
        final CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer.wrap(bytes).putInt(bytes.length - 4, (int) crc.getValue());
        Files.write(file, bytes);

        assertTrue(OffsetSnapshotFile.read(file).isEmpty());
    }

    @Test
    void shouldReadSnapshotWrittenBeforeGroupsHadStates() throws IOException {
        // Version 1 as it was written: header, one group with one offset, checksum; no state section.
        final ByteBuffer v1 = ByteBuffer.allocate(256);
        v1.putInt(OffsetSnapshotDescriptor.MAGIC).putInt(OffsetSnapshotDescriptor.VERSION_WITHOUT_STATES).putLong(41L);
        v1.putInt(1);
        putString(v1, "billing");
        v1.putInt(1);
        putString(v1, "orders");
        v1.putInt(2).putLong(10).putInt(3);
        putString(v1, "meta");
        v1.putLong(1_000);
        final CRC32 crc = new CRC32();
        crc.update(v1.array(), 0, v1.position());
        v1.putInt((int) crc.getValue());
        final Path file = dir.resolve("s");
        Files.write(file, Arrays.copyOf(v1.array(), v1.position()));

        final OffsetSnapshotFile.Loaded loaded = OffsetSnapshotFile.read(file).orElseThrow();

        assertEquals(41L, loaded.journalIndex());
        assertEquals(Map.of("billing", Map.of(new TopicPartition("orders", 2),
                new CommittedOffset(10, 3, "meta", 1_000))), loaded.table().all());
        assertEquals(Map.of(), loaded.table().states());
    }

    @Test
    void shouldKeepEmptyTableWithoutJournalIndex() throws IOException {
        final Path file = dir.resolve("s");
        OffsetSnapshotFile.write(file, OffsetSnapshotDescriptor.NO_INDEX, new OffsetTable());

        final OffsetSnapshotFile.Loaded loaded = OffsetSnapshotFile.read(file).orElseThrow();

        assertEquals(OffsetSnapshotDescriptor.NO_INDEX, loaded.journalIndex());
        assertEquals(Map.of(), loaded.table().all());
        assertEquals(Map.of(), loaded.table().states());
    }

    private static void putString(final ByteBuffer buffer, final String value) {
        final byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        buffer.putInt(utf8.length).put(utf8);
    }
}
