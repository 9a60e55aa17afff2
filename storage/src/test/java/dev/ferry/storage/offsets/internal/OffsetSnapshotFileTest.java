package dev.ferry.storage.offsets.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.TopicPartition;
import dev.ferry.storage.offsets.CommittedOffset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
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
        final Path file = dir.resolve("s");

        OffsetSnapshotFile.write(file, 12_345L, table);
        final OffsetSnapshotFile.Loaded loaded = OffsetSnapshotFile.read(file).orElseThrow();

        assertEquals(12_345L, loaded.journalIndex());
        assertEquals(table.all(), loaded.table().all());
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
    void shouldKeepEmptyTableWithoutJournalIndex() throws IOException {
        final Path file = dir.resolve("s");
        OffsetSnapshotFile.write(file, OffsetSnapshotDescriptor.NO_INDEX, new OffsetTable());

        final OffsetSnapshotFile.Loaded loaded = OffsetSnapshotFile.read(file).orElseThrow();

        assertEquals(OffsetSnapshotDescriptor.NO_INDEX, loaded.journalIndex());
        assertEquals(Map.of(), loaded.table().all());
    }
}
