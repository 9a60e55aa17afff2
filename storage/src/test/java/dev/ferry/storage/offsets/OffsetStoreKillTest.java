package dev.ferry.storage.offsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.TopicPartition;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetStoreKillTest {

    private static final int ACKS_BEFORE_KILL = 3_000;
    private static final int SIGKILL_EXIT_STATUS = 128 + 9;

    @TempDir
    Path dir;

    @Test
    void shouldHoldEveryAcknowledgedCommitAfterSigkill() throws IOException, InterruptedException {
        // Snapshots every 700 entries, so the kill may also land in the middle of one.
        final Process child = new ProcessBuilder(javaCommand(dir.toString(), "700"))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        long lastAcknowledged = -1;
        try (BufferedReader acks = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while (lastAcknowledged < ACKS_BEFORE_KILL && (line = acks.readLine()) != null) {
                lastAcknowledged = Long.parseLong(line);
            }
            // SIGKILL through the handle, which unlike Process.destroyForcibly leaves the pipe open, so that
            // acknowledgements already printed are still read.
            child.toHandle().destroyForcibly();
            while ((line = acks.readLine()) != null) {
                lastAcknowledged = Long.parseLong(line);
            }
        }
        assertEquals(SIGKILL_EXIT_STATUS, child.waitFor());
        assertTrue(lastAcknowledged >= ACKS_BEFORE_KILL, "child acknowledged only " + lastAcknowledged);

        try (OffsetStore recovered = OffsetStore.open(dir, new OffsetStoreConfig(false, 700))) {
            final long firstOfLastRound = Math.max(0, lastAcknowledged - CommittingProcess.PARTITIONS + 1);
            for (long i = firstOfLastRound; i <= lastAcknowledged; i++) {
                final TopicPartition partition = new TopicPartition("t", (int) (i % CommittingProcess.PARTITIONS));
                final long recoveredOffset = recovered.offset("g", partition).orElseThrow().offset();
                assertTrue(recoveredOffset >= i, partition + " holds " + recoveredOffset + ", acknowledged " + i);
            }
            recovered.commit("g", List.of(new OffsetCommit(new TopicPartition("t", 0), 1_000_000, 0, "after", 0)));
            assertEquals(1_000_000, recovered.offset("g", new TopicPartition("t", 0)).orElseThrow().offset());
        }
    }

    private static List<String> javaCommand(final String... args) {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String jvmArg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (jvmArg.startsWith("--add-") || jvmArg.startsWith("-Dchronicle.")) {
                command.add(jvmArg);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CommittingProcess.class.getName());
        command.addAll(List.of(args));
        return command;
    }
}
