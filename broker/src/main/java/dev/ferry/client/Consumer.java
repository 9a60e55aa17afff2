package dev.ferry.client;

import dev.ferry.client.ClusterMetadata.TopicInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads records from topics, either as a member of a consumer group (classic protocol, range assignment, offsets
 * committed by the caller) or, without a group, from every partition of the topics.
 *
 * <p>Each {@link #poll} keeps the membership current (joining or rejoining when the group rebalances), starts newly
 * assigned partitions at their committed offset (or where {@link ConsumerSettings#offsetReset()} says when there is
 * none), and fetches once. Records are returned in offset order per partition, each once unless the group
 * rebalances before its offset is committed (at-least-once).
 *
 * <pre>{@code
 * try (Consumer consumer = Consumer.subscribe(cluster, ConsumerSettings.defaults("billing"), List.of("orders"))) {
 *     while (running) {
 *         List<ConsumerRecord> records = consumer.poll(Duration.ofMillis(500));
 *         process(records);
 *         consumer.commit(Consumer.nextOffsets(records));
 *     }
 * }
 * }</pre>
 *
 * <p><b>Not thread-safe:</b> one thread polls, commits and closes; only {@link #wakeup()} may be called from another.
 */
public final class Consumer implements AutoCloseable {

    private final KafkaCluster cluster;
    private final ConsumerSettings settings;
    private final List<String> topics;
    private final TopicMetadataCache metadata;
    private final Fetcher fetcher;
    private final ClassicGroupMember member;
    private final Map<TopicPartition, Long> positions = new LinkedHashMap<>();
    private Set<TopicPartition> assignment = Set.of();
    private boolean active;
    private int generation;
    private long activeSinceNanos;
    private volatile boolean wokenUp;

    private Consumer(KafkaCluster cluster, ConsumerSettings settings, List<String> topics, boolean inGroup) {
        this.cluster = cluster;
        this.settings = settings;
        this.topics = List.copyOf(topics);
        this.metadata = new TopicMetadataCache(cluster, true, cluster.settings().requestTimeout());
        // look the topics up before joining: a missing topic fails here, not as an empty assignment
        for (String topic : topics) {
            metadata.topic(topic);
        }
        this.fetcher = new Fetcher(cluster, metadata, settings);
        this.member = inGroup ? new ClassicGroupMember(cluster, settings, topics, metadata) : null;
    }

    /**
     * A member of the group {@link ConsumerSettings#groupId()} subscribed to {@code topics}.
     *
     * @throws KafkaErrorException when a topic does not exist (and the broker does not create it) or may not be read
     */
    public static Consumer subscribe(KafkaCluster cluster, ConsumerSettings settings, List<String> topics) {
        if (settings.groupId() == null || settings.groupId().isEmpty()) {
            throw new IllegalArgumentException("A group member needs a group id");
        }
        return new Consumer(cluster, settings, topics, true);
    }

    /**
     * A consumer without a group that reads every partition of {@code topics}, from
     * {@link ConsumerSettings#offsetReset()}, and commits nothing.
     */
    public static Consumer assignAll(KafkaCluster cluster, ConsumerSettings settings, List<String> topics) {
        return new Consumer(cluster, settings, topics, false);
    }

    /**
     * Returns the records fetched in one round, waiting up to about {@code timeout} for some to arrive. Joining or
     * rejoining the group happens inside and may take longer, until the rebalance completes.
     *
     * @throws WakeupException     when {@link #wakeup()} was called
     * @throws KafkaErrorException when the group or a topic refuses this consumer
     */
    public List<ConsumerRecord> poll(Duration timeout) {
        checkWakeup();
        Set<TopicPartition> current = member != null ? member.ensureActive() : allPartitions();
        int currentGeneration = member != null ? member.generation() : 0;
        boolean rebalanced = !active || currentGeneration != generation || !current.equals(assignment);
        if (!current.equals(assignment)) {
            positions.keySet().retainAll(current);
            assignment = current;
        }
        Set<TopicPartition> missing = new TreeSet<>(current);
        missing.removeAll(positions.keySet());
        if (!missing.isEmpty()) {
            initPositions(missing);
        }
        if (rebalanced) {
            activeSinceNanos = System.nanoTime();
            generation = currentGeneration;
        }
        active = true;
        checkWakeup();
        if (current.isEmpty()) {
            // a member without partitions waits for the next rebalance
            Pause.sleep(timeout.compareTo(settings.fetchMaxWait()) < 0 ? timeout : settings.fetchMaxWait());
            return List.of();
        }
        Duration wait = timeout.compareTo(settings.fetchMaxWait()) < 0 ? timeout : settings.fetchMaxWait();
        Fetcher.Round round = fetcher.fetch(new LinkedHashMap<>(positions), wait);
        positions.putAll(round.nextPositions());
        if (!round.outOfRange().isEmpty()) {
            resetPositions(round.outOfRange());
        }
        return round.records();
    }

    private Set<TopicPartition> allPartitions() {
        if (assignment.isEmpty()) {
            Set<TopicPartition> all = new TreeSet<>();
            for (String topic : topics) {
                TopicInfo info = metadata.topic(topic);
                for (int p = 0; p < info.partitionCount(); p++) {
                    all.add(new TopicPartition(topic, p));
                }
            }
            return Set.copyOf(all);
        }
        return assignment;
    }

    private void initPositions(Set<TopicPartition> partitions) {
        Map<TopicPartition, Long> committed = member != null ? member.committed(partitions) : Map.of();
        positions.putAll(committed);
        Set<TopicPartition> reset = new HashSet<>(partitions);
        reset.removeAll(committed.keySet());
        if (!reset.isEmpty()) {
            resetPositions(reset);
        }
    }

    private void resetPositions(Set<TopicPartition> partitions) {
        positions.putAll(PartitionOffsets.list(cluster, partitions, settings.offsetReset().listOffsetsTimestamp()));
    }

    /**
     * Whether the consumer has its partitions and a position in each, so that an empty poll means nothing new has
     * arrived rather than that the consumer is still joining.
     */
    public boolean isActive() {
        return active && (member == null || member.heartbeatTarget() != null);
    }

    /**
     * When the consumer last got its partitions ({@link System#nanoTime()}): its first poll, or the last rebalance.
     * Nothing can have arrived for it before then.
     */
    public long activeSinceNanos() {
        return activeSinceNanos;
    }

    /**
     * The position of each partition read: the offset of the next record a poll would return. Every record before
     * it has been returned by a poll.
     */
    public Map<TopicPartition, Long> positions() {
        return Map.copyOf(positions);
    }

    /** The partitions this consumer reads, as of the last poll. */
    public Set<TopicPartition> assignment() {
        return assignment;
    }

    /**
     * Commits {@code offsets} for the group: for each partition, the offset of the next record to read (the last
     * processed record's offset plus one). Does nothing without a group.
     *
     * @return whether the commit succeeded; false when the group rebalanced first, so the records after the previous
     *         commit will be read again by whoever gets the partitions
     */
    public boolean commit(Map<TopicPartition, Long> offsets) {
        return member == null || member.commit(offsets);
    }

    /** The offsets to commit after processing {@code records}: per partition, the last offset plus one. */
    public static Map<TopicPartition, Long> nextOffsets(List<ConsumerRecord> records) {
        Map<TopicPartition, Long> next = new HashMap<>();
        for (ConsumerRecord record : records) {
            next.merge(record.partition(), record.offset() + 1, Math::max);
        }
        return next;
    }

    /** Makes a blocked or the next {@link #poll} throw {@link WakeupException}; any thread may call it. */
    public void wakeup() {
        wokenUp = true;
        if (member != null) {
            member.wakeup();
        }
    }

    private void checkWakeup() {
        if (wokenUp) {
            throw new WakeupException();
        }
    }

    /** Leaves the group (if a member). The cluster's connections are the caller's to close. */
    @Override
    public void close() {
        if (member != null) {
            member.close();
        }
    }

    /** The topics read. */
    public List<String> topics() {
        return new ArrayList<>(topics);
    }
}
