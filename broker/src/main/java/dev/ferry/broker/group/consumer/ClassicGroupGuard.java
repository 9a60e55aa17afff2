package dev.ferry.broker.group.consumer;

/**
 * What consumer groups need to know of the classic groups that share their id space. Called holding the
 * coordinator's lock.
 */
public interface ClassicGroupGuard {

    /** Whether a classic group that has members (or is rebalancing) holds this id. */
    boolean isClassicGroupInUse(String groupId);

    /** Forgets an empty classic group of this id, if any, so that the id can become a consumer group. */
    void removeEmptyClassicGroup(String groupId);

    /**
     * Whether any classic group, even an empty one, holds this id; ConsumerGroupDescribe then answers that the id is
     * "not a consumer group" rather than "not found", as Kafka does. Defaults to {@link #isClassicGroupInUse}.
     */
    default boolean isClassicGroup(String groupId) {
        return isClassicGroupInUse(groupId);
    }
}
