package dev.ferry.broker.group.consumer;

import java.util.Collection;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One member of a consumer group: what it told the coordinator in its heartbeats, and where it stands in
 * reconciliation ({@link CurrentAssignment}).
 *
 * <p><b>Not thread-safe:</b> read and changed only under the coordinator's lock, by {@link ConsumerGroups}.
 */
final class ConsumerGroupMember {

    private final String memberId;
    private String instanceId;
    private String rackId;
    private int rebalanceTimeoutMs = -1;
    private String clientId = "";
    private String clientHost = "";
    private SortedSet<String> subscribedTopicNames = Collections.emptySortedSet();
    private Pattern subscribedTopicRegex;
    private String serverAssignor;
    private CurrentAssignment current = CurrentAssignment.JOINING;
    private long lastHeartbeatMs;

    ConsumerGroupMember(String memberId) {
        this.memberId = memberId;
    }

    /**
     * A copy of this member under another member id, at epoch 0 but with its partitions: how a static member that
     * rejoins takes over its previous incarnation.
     */
    ConsumerGroupMember copyAs(String newMemberId) {
        ConsumerGroupMember copy = new ConsumerGroupMember(newMemberId);
        copy.instanceId = instanceId;
        copy.rackId = rackId;
        copy.rebalanceTimeoutMs = rebalanceTimeoutMs;
        copy.clientId = clientId;
        copy.clientHost = clientHost;
        copy.subscribedTopicNames = subscribedTopicNames;
        copy.subscribedTopicRegex = subscribedTopicRegex;
        copy.serverAssignor = serverAssignor;
        copy.current = new CurrentAssignment(current.state(), 0, 0, current.assigned(), current.pendingRevocation());
        copy.lastHeartbeatMs = lastHeartbeatMs;
        return copy;
    }

    String memberId() {
        return memberId;
    }

    /** The {@code group.instance.id} of a static member; null for a dynamic one. */
    String instanceId() {
        return instanceId;
    }

    String rackId() {
        return rackId;
    }

    int rebalanceTimeoutMs() {
        return rebalanceTimeoutMs;
    }

    String clientId() {
        return clientId;
    }

    String clientHost() {
        return clientHost;
    }

    /** The topic names subscribed to by name, sorted. */
    SortedSet<String> subscribedTopicNames() {
        return subscribedTopicNames;
    }

    /** The regular expression subscribed to, or null. */
    String subscribedTopicRegex() {
        return subscribedTopicRegex == null ? null : subscribedTopicRegex.pattern();
    }

    /** The compiled regular expression subscribed to, or null. */
    Pattern subscribedTopicPattern() {
        return subscribedTopicRegex;
    }

    /** The server assignor this member asked for, or null. */
    String serverAssignor() {
        return serverAssignor;
    }

    CurrentAssignment current() {
        return current;
    }

    int memberEpoch() {
        return current.memberEpoch();
    }

    long lastHeartbeatMs() {
        return lastHeartbeatMs;
    }

    /** Whether this member subscribes to {@code topic}, by name or through its regular expression. */
    boolean subscribes(String topic) {
        return subscribedTopicNames.contains(topic)
                || subscribedTopicRegex != null && subscribedTopicRegex.matcher(topic).matches();
    }

    /** Whether a heartbeat with these subscription fields (null: unchanged) would change the subscription. */
    boolean wouldChangeSubscription(Collection<String> names, String regex) {
        boolean namesChange = names != null && !subscribedTopicNames.equals(new TreeSet<>(names));
        boolean regexChanges = regex != null && !regex.equals(subscribedTopicRegex() == null ? ""
                : subscribedTopicRegex());
        return namesChange || regexChanges;
    }

    /**
     * Applies a heartbeat's fields; null (or -1 for the timeout) leaves a field as it was, as in Kafka.
     *
     * @param regex an already validated regular expression; empty clears it
     */
    void update(String newInstanceId, String newRackId, int newRebalanceTimeoutMs, String newServerAssignor,
                Collection<String> names, String regex, String newClientId, String newClientHost, long nowMs) {
        if (newInstanceId != null) {
            instanceId = newInstanceId;
        }
        if (newRackId != null) {
            rackId = newRackId;
        }
        if (newRebalanceTimeoutMs != -1) {
            rebalanceTimeoutMs = newRebalanceTimeoutMs;
        }
        if (newServerAssignor != null) {
            serverAssignor = newServerAssignor;
        }
        if (names != null) {
            subscribedTopicNames = Collections.unmodifiableSortedSet(new TreeSet<>(names));
        }
        if (regex != null && !regex.equals(subscribedTopicRegex())) {
            subscribedTopicRegex = regex.isEmpty() ? null : Pattern.compile(regex);
        }
        clientId = newClientId;
        clientHost = newClientHost;
        lastHeartbeatMs = nowMs;
    }

    void setCurrent(CurrentAssignment newCurrent) {
        current = newCurrent;
    }
}
