package dev.ferry.broker.group.consumer;

import java.util.List;

/**
 * How consumer groups heartbeat and assign; the defaults are Kafka's {@code group.consumer.*} settings.
 *
 * @param sessionTimeoutMs    {@code group.consumer.session.timeout.ms}: a member that does not heartbeat for this
 *                            long is removed from its group
 * @param heartbeatIntervalMs {@code group.consumer.heartbeat.interval.ms}: told to members in every answer
 * @param maxSize             {@code group.consumer.max.size}: most members one group may have
 * @param assignors           {@code group.consumer.assignors}: the server-side assignors offered, by name; the first
 *                            is the default of a group whose members name none
 */
public record ConsumerGroupSettings(int sessionTimeoutMs, int heartbeatIntervalMs, int maxSize,
                                    List<String> assignors) {

    /** Kafka's default session timeout. */
    public static final int SESSION_TIMEOUT_MS_DEFAULT = 45_000;
    /** Kafka's default heartbeat interval. */
    public static final int HEARTBEAT_INTERVAL_MS_DEFAULT = 5_000;
    /** Kafka's default maximum group size: unbounded. */
    public static final int MAX_SIZE_DEFAULT = Integer.MAX_VALUE;
    /** Kafka's default assignors, the first being the default one. */
    public static final List<String> ASSIGNORS_DEFAULT = List.of(UniformAssignor.NAME, RangeAssignor.NAME);

    /**
     * @throws IllegalArgumentException when a duration or the size is not positive, or no assignor is named
     */
    public ConsumerGroupSettings {
        if (sessionTimeoutMs <= 0 || heartbeatIntervalMs <= 0 || maxSize <= 0) {
            throw new IllegalArgumentException("Consumer group timeouts and max size must be positive");
        }
        if (assignors == null || assignors.isEmpty()) {
            throw new IllegalArgumentException("At least one consumer group assignor must be configured");
        }
        assignors = List.copyOf(assignors);
    }

    /** Kafka's defaults. */
    public static ConsumerGroupSettings defaults() {
        return new ConsumerGroupSettings(SESSION_TIMEOUT_MS_DEFAULT, HEARTBEAT_INTERVAL_MS_DEFAULT, MAX_SIZE_DEFAULT,
                ASSIGNORS_DEFAULT);
    }
}
