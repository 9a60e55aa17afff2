package dev.ferry.storage.offsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetStoreKillTest {

    private static final int ACKS_BEFORE_KILL = 3_000;
    private static final int SIGKILL_EXIT_STATUS = 128 + 9;
    // Snapshots every 700 entries, so the kill may also land in the middle of one.
    private static final String SNAPSHOT_INTERVAL_ENTRIES = "700";

    @TempDir
    Path dir;

    @Test
    void shouldHoldEveryAcknowledgedCommitAfterSigkill() throws IOException, InterruptedException {
        final long lastAcknowledged = runUntilKilled(CommittingProcess.class);

        try (OffsetStore recovered = reopen()) {
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

    @Test
    void shouldHoldEveryAcknowledgedGroupStateAfterSigkill() throws IOException, InterruptedException {
        final long lastAcknowledged = runUntilKilled(GroupStateSavingProcess.class);

        try (OffsetStore recovered = reopen()) {
            final Map<String, byte[]> states = recovered.groupStates();
            assertEquals(GroupStateSavingProcess.GROUPS, states.size());
            for (long i = lastAcknowledged - GroupStateSavingProcess.GROUPS + 1; i <= lastAcknowledged; i++) {
                final String group = GroupStateSavingProcess.group(i);
                final byte[] state = states.get(group);
                final long saved = GroupStateSavingProcess.saveNumber(state);
                assertTrue(saved >= i, group + " holds state " + saved + ", acknowledged " + i);
                assertArrayEquals(GroupStateSavingProcess.state(saved), state, group);
                // Each commit was journaled before the state saved with it, so replay cannot surface one without it.
                final long offset = recovered.offset(group, GroupStateSavingProcess.PARTITION).orElseThrow().offset();
                assertTrue(offset >= saved, group + " holds offset " + offset + " below its state " + saved);
            }
            recovered.saveGroupState("g0", new byte[] {42});
            assertArrayEquals(new byte[] {42}, recovered.groupStates().get("g0"));
        }
    }

    /**
     * Runs {@code mainClass} on the store in {@link #dir} until it has acknowledged {@link #ACKS_BEFORE_KILL} changes,
     * kills it with SIGKILL and returns the last number it acknowledged.
     */
    private long runUntilKilled(final Class<?> mainClass) throws IOException, InterruptedException {
        final Process child = new ProcessBuilder(javaCommand(mainClass, dir.toString(), SNAPSHOT_INTERVAL_ENTRIES))
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
        return lastAcknowledged;
    }

    private OffsetStore reopen() {
        return OffsetStore.open(dir, new OffsetStoreConfig(false, Integer.parseInt(SNAPSHOT_INTERVAL_ENTRIES)));
    }

    private static List<String> javaCommand(final Class<?> mainClass, final String... args) {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String jvmArg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (jvmArg.startsWith("--add-") || jvmArg.startsWith("-Dchronicle.")) {
                command.add(jvmArg);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return command;
    }
}
