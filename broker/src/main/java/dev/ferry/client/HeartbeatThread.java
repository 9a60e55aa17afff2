package dev.ferry.client;

import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.HeartbeatRequestData;
import dev.ferry.protocol.message.HeartbeatResponseData;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends a classic group member's heartbeats every heartbeat interval while the member is stable, on a coordinator
 * connection of its own, and hands each answer to the member. When no heartbeat gets through for a whole session
 * timeout the member is told to find the coordinator again and rejoin.
 *
 * <p>A daemon thread; {@link #wake()} and {@link #shutdown()} may be called from any thread.
 */
final class HeartbeatThread extends Thread {

    /**
     * What one heartbeat is about.
     *
     * @param coordinator the group's coordinator
     * @param groupId     the group
     * @param memberId    the member
     * @param generation  the generation the member is stable in
     */
    record Target(Node coordinator, String groupId, String memberId, int generation) {
    }

    private final ClassicGroupMember member;
    private final KafkaCluster cluster;
    private final ConsumerSettings settings;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signal = lock.newCondition();
    private boolean stopped;
    private boolean woken;
    private volatile KafkaConnection connection;
    private Node connectedTo;
    private long lastSuccessNanos = System.nanoTime();

    HeartbeatThread(ClassicGroupMember member, KafkaCluster cluster, ConsumerSettings settings) {
        super("ferry-consumer-heartbeat");
        setDaemon(true);
        this.member = member;
        this.cluster = cluster;
        this.settings = settings;
    }

    @Override
    public void run() {
        try {
            while (awaitNextBeat()) {
                Target target = member.heartbeatTarget();
                if (target == null) {
                    lastSuccessNanos = System.nanoTime();
                    continue;
                }
                beat(target);
            }
        } finally {
            closeConnection();
        }
    }

    private void beat(Target target) {
        try {
            if (connection == null || !connection.isOpen() || !target.coordinator().equals(connectedTo)) {
                closeConnection();
                connection = cluster.openDedicated(target.coordinator());
                connectedTo = target.coordinator();
            }
            HeartbeatResponseData response = connection.send(ApiMessageType.HEARTBEAT,
                    version -> new HeartbeatRequestData().setGroupId(target.groupId())
                            .setGenerationId(target.generation()).setMemberId(target.memberId()));
            Errors error = Errors.forCode(response.errorCode());
            lastSuccessNanos = System.nanoTime();
            member.onHeartbeat(target, error);
        } catch (KafkaClientException e) {
            closeConnection();
            if (System.nanoTime() - lastSuccessNanos > settings.sessionTimeout().toNanos()) {
                member.onHeartbeatSessionLost();
                lastSuccessNanos = System.nanoTime();
            }
        }
    }

    /** Waits one heartbeat interval, or less when woken; returns false once shut down. */
    private boolean awaitNextBeat() {
        lock.lock();
        try {
            long remaining = settings.heartbeatInterval().toNanos();
            while (!stopped && !woken && remaining > 0) {
                remaining = signal.awaitNanos(remaining);
            }
            woken = false;
            return !stopped;
        } catch (InterruptedException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Heartbeats at once: the member has just joined, and the first heartbeat confirms its new generation. */
    void wake() {
        lock.lock();
        try {
            woken = true;
            signal.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops the thread and waits briefly for it to close its connection. */
    void shutdown() {
        lock.lock();
        try {
            stopped = true;
            signal.signalAll();
        } finally {
            lock.unlock();
        }
        closeConnection();
        try {
            join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeConnection() {
        KafkaConnection current = connection;
        if (current != null) {
            current.close();
        }
    }
}
