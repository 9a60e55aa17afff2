package dev.ferry.storage.internal;

import dev.ferry.storage.AtomicFiles;
import dev.ferry.storage.TopicPartition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A per-log-directory file mapping partitions to an offset, in Kafka's checkpoint format (used for
 * {@code recovery-point-offset-checkpoint} and {@code log-start-offset-checkpoint}):
 *
 * <pre>
 * 0                       version
 * 2                       number of entries
 * orders 0 42             topic, partition, offset; one line each
 * payments 3 1000
 * </pre>
 *
 * Written atomically; a missing file reads as empty.
 */
final class OffsetCheckpointFile {

    private static final int VERSION = 0;

    private OffsetCheckpointFile() {
    }

    static Map<TopicPartition, Long> read(final Path file) throws IOException {
        final List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException missing) {
            return Map.of();
        }
        try {
            if (lines.size() < 2 || Integer.parseInt(lines.get(0).trim()) != VERSION) {
                throw new IOException("unsupported checkpoint file " + file);
            }
            final int count = Integer.parseInt(lines.get(1).trim());
            if (count != lines.size() - 2) {
                throw new IOException("checkpoint file " + file + " announces " + count + " entries but has "
                        + (lines.size() - 2));
            }
            final Map<TopicPartition, Long> offsets = new HashMap<>();
            for (int i = 2; i < lines.size(); i++) {
                final String[] fields = lines.get(i).trim().split(" ");
                if (fields.length != 3) {
                    throw new IOException("malformed line " + (i + 1) + " in checkpoint file " + file);
                }
                offsets.put(new TopicPartition(fields[0], Integer.parseInt(fields[1])), Long.parseLong(fields[2]));
            }
            return offsets;
        } catch (NumberFormatException e) {
            throw new IOException("malformed checkpoint file " + file, e);
        }
    }

    static void write(final Path file, final Map<TopicPartition, Long> offsets) throws IOException {
        final Map<String, String> sorted = new TreeMap<>();
        offsets.forEach((partition, offset) ->
                sorted.put(partition.dirName(), partition.topic() + " " + partition.partition() + " " + offset));
        final StringBuilder text = new StringBuilder().append(VERSION).append('\n').append(sorted.size()).append('\n');
        sorted.values().forEach(line -> text.append(line).append('\n'));
        AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }
}
