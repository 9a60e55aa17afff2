package dev.ferry.broker.handler;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks a manual replica assignment (CreateTopics, CreatePartitions) as Kafka's controller does, on a cluster whose
 * only broker is this one: every replica list must be exactly this node.
 */
final class ReplicaAssignments {

    private ReplicaAssignments() {
    }

    /**
     * Why {@code brokerIds} is not an acceptable replica list on this single-node cluster, in Kafka's words, or null
     * when it is.
     */
    static String invalidReason(List<Integer> brokerIds, int nodeId) {
        if (brokerIds == null || brokerIds.isEmpty()) {
            return "The manual partition assignment includes an empty replica list.";
        }
        List<Integer> sorted = new ArrayList<>(brokerIds);
        sorted.sort(Integer::compare);
        Integer previous = null;
        for (Integer brokerId : sorted) {
            if (brokerId == null || brokerId != nodeId) {
                return "The manual partition assignment includes broker " + brokerId
                        + ", but no such broker is registered.";
            }
            if (brokerId.equals(previous)) {
                return "The manual partition assignment includes the broker " + previous + " more than once.";
            }
            previous = brokerId;
        }
        return null;
    }
}
