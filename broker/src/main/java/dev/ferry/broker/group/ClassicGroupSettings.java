package dev.ferry.broker.group;

import dev.ferry.config.FerryConfig;

/**
 * How classic groups rebalance; Kafka's settings and defaults.
 *
 * @param initialRebalanceDelayMs {@code group.initial.rebalance.delay.ms}: how long the first rebalance of an empty
 *                                group waits for more members, extended while they keep coming
 * @param minSessionTimeoutMs     {@code group.min.session.timeout.ms}
 * @param maxSessionTimeoutMs     {@code group.max.session.timeout.ms}
 * @param maxSize                 {@code group.max.size}
 * @param newMemberJoinTimeoutMs  how long a new member's first JoinGroup may stay parked (Kafka: 5 minutes), so
 *                                that members whose client gave up do not hold a rebalance for ever
 */
public record ClassicGroupSettings(int initialRebalanceDelayMs, int minSessionTimeoutMs, int maxSessionTimeoutMs,
                                   int maxSize, int newMemberJoinTimeoutMs) {

    /** Kafka's fixed timeout for a new member's first join. */
    public static final int NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60 * 1000;

    /** The settings of {@code config}. */
    public static ClassicGroupSettings from(FerryConfig config) {
        return new ClassicGroupSettings((int) config.groupInitialRebalanceDelayMs(),
                config.groupMinSessionTimeoutMs(), config.groupMaxSessionTimeoutMs(), config.groupMaxSize(),
                NEW_MEMBER_JOIN_TIMEOUT_MS);
    }
}
