package dev.ferry.storage.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProducerSnapshotsTest {

    @TempDir
    Path dir;

    private List<Long> onDisk() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> ProducerSnapshotFile.offsetOf(file.getFileName().toString()))
                    .filter(offset -> offset >= 0).sorted().toList();
        }
    }

    private static byte[] snapshotAt(final long offset) {
        return ProducerSnapshotFile.encode(new ProducerStateTable(), offset);
    }

    @Test
    void shouldKeepOnlyTheTwoNewestSnapshotsWhetherForcedToDiskOrNot() throws IOException {
        final ProducerSnapshots snapshots = new ProducerSnapshots(dir);
        for (long offset : new long[] {10, 20, 30, 40}) {
            assertTrue(snapshots.write(offset, snapshotAt(offset), offset != 40));
        }
        assertEquals(List.of(30L, 40L), onDisk());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary file is left behind");
        }
        assertEquals(List.of(40L, 30L), snapshots.offsetsNewestFirst());
        assertEquals(40, snapshots.latestOffset());
        assertArrayEquals(snapshotAt(40), Files.readAllBytes(ProducerSnapshotFile.path(dir, 40)));
    }

    @Test
    void shouldDeleteSnapshotsOfDeletedSegmentsAndRefuseLateOnes() throws IOException {
        final ProducerSnapshots snapshots = new ProducerSnapshots(dir);
        snapshots.write(10, snapshotAt(10), true);
        snapshots.write(20, snapshotAt(20), true);
        snapshots.deleteBelow(15);
        assertEquals(List.of(20L), onDisk());
        assertFalse(snapshots.write(12, snapshotAt(12), true),
                "a snapshot of a deleted segment, queued before the deletion");
        assertTrue(snapshots.write(15, snapshotAt(15), true));
        assertEquals(List.of(15L, 20L), onDisk());
    }

    @Test
    void shouldDeleteSnapshotsPastAnOffsetAndOnesFoundDamaged() throws IOException {
        final ProducerSnapshots snapshots = new ProducerSnapshots(dir);
        for (long offset : new long[] {10, 20, 30}) {
            Files.write(ProducerSnapshotFile.path(dir, offset), snapshotAt(offset));
            snapshots.found(offset);
        }
        snapshots.deleteAbove(25);
        assertEquals(List.of(10L, 20L), onDisk());
        snapshots.delete(20);
        assertEquals(List.of(10L), onDisk());
        assertEquals(10, snapshots.latestOffset());
    }

    @Test
    void shouldWriteNothingOnceClosed() throws IOException {
        final ProducerSnapshots snapshots = new ProducerSnapshots(dir);
        snapshots.close();
        assertFalse(snapshots.write(10, snapshotAt(10), true));
        assertEquals(List.of(), onDisk());
        assertEquals(-1, snapshots.latestOffset());
    }
}
