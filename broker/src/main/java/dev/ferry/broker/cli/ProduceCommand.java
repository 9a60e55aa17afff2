package dev.ferry.broker.cli;

import dev.ferry.client.Acks;
import dev.ferry.client.ClientSettings;
import dev.ferry.client.KafkaClientException;
import dev.ferry.client.KafkaCluster;
import dev.ferry.client.KafkaErrorException;
import dev.ferry.client.Producer;
import dev.ferry.client.ProducerRecord;
import dev.ferry.client.ProducerSettings;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.record.Header;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code ferry produce}: sends each line of standard input to a topic as one message, batched, and exits with status
 * 0 once the input ends and every message is acknowledged. The first message that cannot be delivered stops the
 * command with one line on standard error and status 1; the lines read before it are still sent.
 */
@Command(name = "produce", mixinStandardHelpOptions = true, versionProvider = FerryVersion.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Send each line of standard input to a topic as one message.",
            "Exits once standard input ends and every message is acknowledged."})
public final class ProduceCommand extends ClientCommand {

    /** How long Ctrl-C waits for the messages already read to be acknowledged. */
    private static final Duration SHUTDOWN_FLUSH = Duration.ofSeconds(10);

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The topic to send to.")
    private String topic;

    @Option(names = "--partition", paramLabel = "N",
            description = "Send every message to this partition (default: by key, or spread without one).")
    private Integer partition;

    @Option(names = "--key-separator", paramLabel = "SEP",
            description = "Split each line at the first SEP into key and value (default: no key).")
    private String keySeparator;

    @Option(names = "--header", paramLabel = "KEY=VALUE", description = "A header for every message; repeatable.")
    private List<String> headers = new ArrayList<>();

    @Option(names = "--acks", paramLabel = "ACKS", defaultValue = "all", converter = AcksConverter.class,
            description = "Acknowledgements to wait for: 0, 1 or all (default: ${DEFAULT-VALUE}).")
    private Acks acks;

    private final InputStream input;

    /** Reads standard input. */
    public ProduceCommand() {
        this(System.in);
    }

    /** Reads {@code input} instead of standard input; for tests and embedding. */
    public ProduceCommand(InputStream input) {
        this.input = input;
    }

    @Override
    int run(ClientSettings settings) throws IOException {
        List<Header> fixedHeaders = parseHeaders();
        if (keySeparator != null && keySeparator.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--key-separator must not be empty");
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (KafkaCluster cluster = new KafkaCluster(settings)) {
            Producer producer = new Producer(cluster, ProducerSettings.defaults().withAcks(acks));
            try {
                // fail on an unreachable cluster or a missing topic before the user types anything
                checkPartition(producer.partitionCount(topic));
            } catch (RuntimeException e) {
                producer.close();
                throw e;
            }
            // on Ctrl-C, deliver what was read before the JVM goes
            Thread flushOnExit = new Thread(() -> producer.flush(SHUTDOWN_FLUSH), "ferry-produce-shutdown");
            Runtime.getRuntime().addShutdownHook(flushOnExit);
            try {
                BufferedReader lines = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
                String line;
                long number = 0;
                while (failure.get() == null && (line = lines.readLine()) != null) {
                    number++;
                    producer.send(record(line, number, fixedHeaders)).whenComplete((metadata, error) -> {
                        if (error != null) {
                            failure.compareAndSet(null, error);
                        }
                    });
                }
                producer.flush();
            } finally {
                producer.close();
                ShutdownHooks.remove(flushOnExit);
            }
        }
        Throwable error = failure.get();
        if (error instanceof CompletionException && error.getCause() != null) {
            error = error.getCause();
        }
        if (error instanceof KafkaClientException clientError) {
            throw clientError;
        }
        if (error != null) {
            throw new KafkaClientException("cannot send: " + error, error);
        }
        return 0;
    }

    private void checkPartition(int partitionCount) {
        if (partition != null && (partition < 0 || partition >= partitionCount)) {
            throw new KafkaErrorException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "partition " + partition + " of topic '"
                    + topic + "' does not exist (it has " + partitionCount
                    + (partitionCount == 1 ? " partition)" : " partitions)"));
        }
    }

    private ProducerRecord record(String line, long number, List<Header> fixedHeaders) {
        byte[] key = null;
        String value = line;
        if (keySeparator != null) {
            int at = line.indexOf(keySeparator);
            if (at < 0) {
                throw new KafkaClientException("line " + number + " has no key separator '" + keySeparator + "'");
            }
            key = line.substring(0, at).getBytes(StandardCharsets.UTF_8);
            value = line.substring(at + keySeparator.length());
        }
        return new ProducerRecord(topic, partition, key, value.getBytes(StandardCharsets.UTF_8), fixedHeaders, null);
    }

    private List<Header> parseHeaders() {
        List<Header> parsed = new ArrayList<>();
        for (String header : headers) {
            int equals = header.indexOf('=');
            if (equals <= 0) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--header': '" + header
                        + "' is not KEY=VALUE");
            }
            parsed.add(new Header(header.substring(0, equals),
                    header.substring(equals + 1).getBytes(StandardCharsets.UTF_8)));
        }
        return parsed;
    }
}
