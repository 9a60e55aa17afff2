package dev.ferry.broker.group.consumer;

import java.util.Map;

/**
 * A server-side assignor: computes a consumer group's target assignment from its members' subscriptions.
 *
 * <p>Implementations are pure functions of their input, deterministic (the same spec always yields the same
 * assignment, whatever the iteration order of its maps) and stateless, so one instance serves every group from any
 * thread.
 */
public interface ServerAssignor {

    /** The name members ask for in ConsumerGroupHeartbeat's {@code ServerAssignor}, e.g. {@code uniform}. */
    String name();

    /**
     * Assigns every partition of the subscribed topics to exactly one member subscribed to its topic.
     *
     * @return the target assignment of every member of the spec, empty assignments included
     */
    Map<String, Assignment> assign(AssignmentSpec spec);
}
