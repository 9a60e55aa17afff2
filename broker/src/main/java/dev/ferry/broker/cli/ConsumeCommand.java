package dev.ferry.broker.cli;

import dev.ferry.client.ClientSettings;
import dev.ferry.client.Consumer;
import dev.ferry.client.ConsumerRecord;
import dev.ferry.client.ConsumerSettings;
import dev.ferry.client.KafkaCluster;
import dev.ferry.client.OffsetReset;
import dev.ferry.client.TopicPartition;
import dev.ferry.client.WakeupException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code ferry consume}: prints a topic's messages as they arrive, one line each, until stopped, {@code --max-messages}
 * have been printed, or nothing new has arrived for {@code --timeout}.
 *
 * <p>With {@code --group} the command is a member of that consumer group: it reads the partitions the group gives
 * it, starting at the group's committed offsets, and commits after printing each batch; it leaves the group when it
 * ends, Ctrl-C included, so that the other members take over its partitions at once. Without a group it reads every
 * partition and commits nothing. Where there is no committed offset it starts at the end, or at the beginning with
 * {@code --from-beginning}.
 */
@Command(name = "consume", mixinStandardHelpOptions = true, versionProvider = FerryVersion.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Print a topic's messages as they arrive, one line each.",
            "With --group, reads as a member of that consumer group and commits what it printed."})
public final class ConsumeCommand extends ClientCommand {

    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    /** How long Ctrl-C waits for the command to commit and leave its group. */
    private static final long SHUTDOWN_WAIT_SECONDS = 10;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The topic to read.")
    private String topic;

    @Option(names = "--group", paramLabel = "GROUP",
            description = "Read as a member of this consumer group (default: no group, every partition).")
    private String group;

    @Option(names = "--from-beginning",
            description = "Where the group has no committed offset, start at the oldest message, not the next.")
    private boolean fromBeginning;

    @Option(names = "--max-messages", paramLabel = "N", description = "Exit after printing N messages.")
    private Long maxMessages;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Exit once nothing new has arrived for this long, e.g. 500ms, 5s, 1m "
                    + "(counted from when the consumer has its partitions).")
    private Duration timeout;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "%v",
            description = "How to print each message: 'json' for a JSON object per line, or a template with %%v "
                    + "value, %%k key, %%p partition, %%o offset, %%t timestamp, %%T topic, %%h headers, %%%% a "
                    + "percent sign, and the escapes \\t \\n \\\\ (default: %%v, the value alone).")
    private String format;

    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile Consumer consumer;

    /**
     * Stops the command as Ctrl-C does: the current batch is committed, the consumer leaves its group and the command
     * returns 0. Any thread may call it.
     */
    public void stop() {
        stopRequested = true;
        Consumer current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    @Override
    int run(ClientSettings settings) throws InterruptedException {
        RecordFormat recordFormat;
        try {
            recordFormat = RecordFormat.parse(format);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--format': "
                    + e.getMessage());
        }
        if (maxMessages != null && maxMessages < 1) {
            throw new ParameterException(spec.commandLine(), "--max-messages must be at least 1");
        }
        Thread stopOnExit = new Thread(() -> {
            stop();
            try {
                finished.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ferry-consume-shutdown");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        try (KafkaCluster cluster = new KafkaCluster(settings)) {
            ConsumerSettings consumerSettings = ConsumerSettings.defaults(group)
                    .withOffsetReset(fromBeginning ? OffsetReset.EARLIEST : OffsetReset.LATEST);
            try (Consumer reading = group == null ? Consumer.assignAll(cluster, consumerSettings, List.of(topic))
                    : Consumer.subscribe(cluster, consumerSettings, List.of(topic))) {
                consumer = reading;
                consume(reading, recordFormat, out());
            }
        } finally {
            ShutdownHooks.remove(stopOnExit);
            finished.countDown();
        }
        return 0;
    }

    private void consume(Consumer reading, RecordFormat recordFormat, PrintWriter out) {
        long printed = 0;
        Long lastArrivalNanos = null;
        Map<TopicPartition, Long> committed = new HashMap<>();
        while (!stopRequested) {
            List<ConsumerRecord> records;
            try {
                records = reading.poll(POLL_TIMEOUT);
            } catch (WakeupException e) {
                return;
            }
            long now = System.nanoTime();
            if (records.isEmpty()) {
                if (reading.isActive()) {
                    commitPositions(reading, committed);
                }
                if (timeout != null && reading.isActive()) {
                    // idle since the later of the last arrival and the consumer getting its partitions
                    long idleSince = reading.activeSinceNanos();
                    if (lastArrivalNanos != null && lastArrivalNanos - idleSince > 0) {
                        idleSince = lastArrivalNanos;
                    }
                    if (now - idleSince >= timeout.toNanos()) {
                        return;
                    }
                }
                continue;
            }
            lastArrivalNanos = now;
            Map<TopicPartition, Long> printedUpTo = new HashMap<>();
            for (ConsumerRecord record : records) {
                out.println(recordFormat.format(record));
                printedUpTo.merge(record.partition(), record.offset() + 1, Math::max);
                printed++;
                if (maxMessages != null && printed >= maxMessages) {
                    break;
                }
            }
            out.flush();
            if (reading.commit(printedUpTo)) {
                committed.putAll(printedUpTo);
            }
            if (maxMessages != null && printed >= maxMessages) {
                return;
            }
        }
    }

    /**
     * Commits the positions that moved since the last commit, once every record before them has been printed: the
     * start of a partition that had no committed offset (so that a restart does not skip what arrives in between,
     * as Kafka's auto-commit ensures), or a position moved past records that are not printed (transaction markers).
     */
    private static void commitPositions(Consumer reading, Map<TopicPartition, Long> committed) {
        Map<TopicPartition, Long> moved = new HashMap<>();
        reading.positions().forEach((partition, position) -> {
            if (!position.equals(committed.get(partition))) {
                moved.put(partition, position);
            }
        });
        if (!moved.isEmpty() && reading.commit(moved)) {
            committed.putAll(moved);
        }
    }
}
