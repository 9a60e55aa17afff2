package dev.ferry.broker.group.consumer;

import static dev.ferry.broker.group.consumer.ConsumerGroupsTest.GROUP;
import static dev.ferry.broker.group.consumer.ConsumerGroupsTest.assigned;
import static dev.ferry.broker.group.consumer.ConsumerGroupsTest.heartbeat;
import static dev.ferry.broker.group.consumer.ConsumerGroupsTest.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ferry.broker.group.GroupTimers;
import dev.ferry.broker.group.ManualScheduler;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ConsumerGroupHeartbeatRequestData;
import dev.ferry.protocol.message.ConsumerGroupHeartbeatResponseData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Simulated consumers joining, heartbeating, leaving and crashing in random order while topics grow: no partition is
 * ever owned by two of them, and once they only heartbeat the group settles with every partition owned.
 */
class ConsumerGroupsSimulationTest {

    private static final List<String> TOPICS = List.of("orders", "payments");

    @TempDir
    Path dir;

    /** A consumer as the Java client behaves: it owns exactly the last assignment it was given. */
    private static final class Client {
        final String memberId;
        int epoch = -1;
        Assignment owned = Assignment.EMPTY;

        Client(String memberId) {
            this.memberId = memberId;
        }

        boolean joined() {
            return epoch > 0;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"uniform", "range"})
    void shouldNeverGiveAPartitionToTwoConsumers(String assignor) {
        try (TopicsForTest topics = new TopicsForTest(dir)) {
            topics.create("orders", 6);
            topics.create("payments", 3);
            ManualScheduler scheduler = new ManualScheduler();
            Object lock = new Object();
            ConsumerGroups groups = new ConsumerGroups(new ConsumerGroupSettings(10_000, 1_000, 100,
                    List.of("uniform", "range")), topics.topics, new GroupTimers(scheduler, lock), lock,
                    new NoClassicGroups(), scheduler::nowMs);
            Random random = new Random(assignor.hashCode());
            List<Client> clients = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                clients.add(new Client("member-" + i));
            }
            int partitions = 9;
            for (int step = 0; step < 2_000; step++) {
                Client client = clients.get(random.nextInt(clients.size()));
                int action = random.nextInt(100);
                if (action < 3 && client.joined()) {
                    client.owned = Assignment.EMPTY;
                    client.epoch = -1;
                    send(groups, heartbeat(client.memberId, -1, null), client, assignor);
                } else if (action < 4) {
                    // a crash: the consumer stops consuming, and comes back later as a new join
                    client.owned = Assignment.EMPTY;
                    client.epoch = -1;
                } else if (action < 5 && partitions < 30) {
                    topics.grow("orders", ++partitions - 3);
                } else if (action < 15) {
                    scheduler.advance(1_000);
                } else {
                    send(groups, client.joined() ? heartbeat(client.memberId, client.epoch, client.owned)
                            : join(client.memberId, TOPICS.toArray(String[]::new)), client, assignor);
                }
                assertDisjoint(clients);
            }

            // everyone heartbeats every second: members of crashed consumers expire, their consumers rejoin
            for (int round = 0; round < 20; round++) {
                for (Client client : clients) {
                    send(groups, client.joined() ? heartbeat(client.memberId, client.epoch, client.owned)
                            : join(client.memberId, TOPICS.toArray(String[]::new)), client, assignor);
                    assertDisjoint(clients);
                }
                scheduler.advance(round < 15 ? 1_000 : 0);
            }
            assertEquals(Optional.of("Stable"), groups.state(GROUP));
            int owned = clients.stream().mapToInt(c -> c.owned.size()).sum();
            assertEquals(partitions, owned, "every partition is owned once the group is stable");
        }
    }

    private static void send(ConsumerGroups groups, ConsumerGroupHeartbeatRequestData request, Client client,
                             String assignor) {
        if (request.memberEpoch() == 0) {
            request.setServerAssignor(assignor);
        }
        ConsumerGroupHeartbeatResponseData response = groups.heartbeat(request, "sim", "/10.0.0.1", (short) 1);
        Errors error = Errors.forCode(response.errorCode());
        if (request.memberEpoch() < 0) {
            return;
        }
        if (error == Errors.FENCED_MEMBER_EPOCH || error == Errors.UNKNOWN_MEMBER_ID) {
            // the Java client gives up its partitions and rejoins
            client.owned = Assignment.EMPTY;
            client.epoch = -1;
            return;
        }
        assertEquals(Errors.NONE, error, response.errorMessage());
        client.epoch = response.memberEpoch();
        Assignment assignment = assigned(response);
        if (assignment != null) {
            client.owned = assignment;
        }
    }

    private static void assertDisjoint(List<Client> clients) {
        for (int i = 0; i < clients.size(); i++) {
            for (int j = i + 1; j < clients.size(); j++) {
                assertFalse(clients.get(i).owned.intersects(clients.get(j).owned),
                        clients.get(i).memberId + " and " + clients.get(j).memberId + " own the same partition");
            }
        }
    }

    private static final class NoClassicGroups implements ClassicGroupGuard {
        @Override
        public boolean isClassicGroupInUse(String groupId) {
            return false;
        }

        @Override
        public void removeEmptyClassicGroup(String groupId) {
        }
    }
}
