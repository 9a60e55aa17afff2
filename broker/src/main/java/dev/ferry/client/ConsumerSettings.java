package dev.ferry.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Consumer} joins its group and fetches. Immutable; defaults are Kafka's ({@link #defaults()}).
 *
 * @param groupId           the consumer group, or null for a consumer without a group
 * @param offsetReset       where to start in a partition without a committed offset
 * @param sessionTimeout    how long the coordinator waits for a heartbeat before it drops the member
 * @param rebalanceTimeout  how long the coordinator waits for every member to rejoin during a rebalance
 * @param heartbeatInterval the time between heartbeats
 * @param fetchMaxWait      how long a Fetch may wait at the broker for records to arrive
 * @param fetchMaxBytes     the most bytes one Fetch response may carry
 * @param partitionMaxBytes the most bytes one Fetch response may carry per partition
 */
public record ConsumerSettings(String groupId, OffsetReset offsetReset, Duration sessionTimeout,
                               Duration rebalanceTimeout, Duration heartbeatInterval, Duration fetchMaxWait,
                               int fetchMaxBytes, int partitionMaxBytes) {

    public ConsumerSettings {
        Objects.requireNonNull(offsetReset, "offsetReset");
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        Objects.requireNonNull(rebalanceTimeout, "rebalanceTimeout");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(fetchMaxWait, "fetchMaxWait");
        if (heartbeatInterval.compareTo(sessionTimeout) >= 0) {
            throw new IllegalArgumentException("heartbeatInterval must be shorter than sessionTimeout");
        }
    }

    /**
     * Kafka's consumer defaults: auto.offset.reset=latest, session.timeout.ms=45000, max.poll.interval.ms=300000
     * (the rebalance timeout), heartbeat.interval.ms=3000, fetch.max.wait.ms=500, fetch.max.bytes=52428800,
     * max.partition.fetch.bytes=1048576.
     */
    public static ConsumerSettings defaults(String groupId) {
        return new ConsumerSettings(groupId, OffsetReset.LATEST, Duration.ofSeconds(45), Duration.ofMinutes(5),
                Duration.ofSeconds(3), Duration.ofMillis(500), 50 << 20, 1 << 20);
    }

    public ConsumerSettings withOffsetReset(OffsetReset value) {
        return new ConsumerSettings(groupId, value, sessionTimeout, rebalanceTimeout, heartbeatInterval,
                fetchMaxWait, fetchMaxBytes, partitionMaxBytes);
    }

    public ConsumerSettings withGroupTimeouts(Duration session, Duration rebalance, Duration heartbeat) {
        return new ConsumerSettings(groupId, offsetReset, session, rebalance, heartbeat, fetchMaxWait,
                fetchMaxBytes, partitionMaxBytes);
    }
}
