package dev.ferry.broker.group;

import java.util.EnumSet;
import java.util.Set;

/**
 * The states of a classic group, with Kafka's names (as ListGroups and DescribeGroups show them) and the transitions
 * Kafka allows.
 */
public enum ClassicGroupState {
    /** No members; the group may still hold committed offsets. */
    EMPTY("Empty"),
    /** A rebalance has started: members are (re)joining. */
    PREPARING_REBALANCE("PreparingRebalance"),
    /** Every member has joined; the coordinator waits for the leader's assignment. */
    COMPLETING_REBALANCE("CompletingRebalance"),
    /** Members have their assignment and heartbeat. */
    STABLE("Stable"),
    /** The group has been removed. */
    DEAD("Dead");

    private final String displayName;

    ClassicGroupState(String displayName) {
        this.displayName = displayName;
    }

    /** The name Kafka's APIs use, e.g. {@code PreparingRebalance}. */
    public String displayName() {
        return displayName;
    }

    /** The states a group may come to this one from. */
    Set<ClassicGroupState> validPreviousStates() {
        return switch (this) {
            case EMPTY -> EnumSet.of(PREPARING_REBALANCE);
            case PREPARING_REBALANCE -> EnumSet.of(STABLE, COMPLETING_REBALANCE, EMPTY);
            case COMPLETING_REBALANCE -> EnumSet.of(PREPARING_REBALANCE);
            case STABLE -> EnumSet.of(COMPLETING_REBALANCE);
            case DEAD -> EnumSet.of(STABLE, PREPARING_REBALANCE, COMPLETING_REBALANCE, EMPTY, DEAD);
        };
    }
}
