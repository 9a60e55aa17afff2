package dev.ferry.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.message.ConsumerProtocolAssignmentData;
import dev.ferry.protocol.message.ConsumerProtocolSubscriptionData;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The consumer protocol's version-prefixed bytes must be exactly what a Kafka consumer writes and reads, through
 * kafka-clients' own {@code ConsumerProtocol}, at every version.
 */
class ConsumerProtocolTest {
    private static final short HIGHEST = ConsumerProtocolSubscriptionData.HIGHEST_SUPPORTED_VERSION;
    private static final byte[] USER_DATA = "sticky-state".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldReadSubscriptionsAKafkaConsumerWritesAtEveryVersion() {
        Subscription kafka = new Subscription(List.of("orders", "audit"), ByteBuffer.wrap(USER_DATA),
            List.of(new TopicPartition("orders", 2), new TopicPartition("audit", 1), new TopicPartition("orders", 0)),
            7, Optional.of("rack-a"));
        for (short version = 0; version <= HIGHEST; version++) {
            ConsumerProtocolSubscriptionData ours = ConsumerProtocol.readSubscription(
                bytes(org.apache.kafka.clients.consumer.internals.ConsumerProtocol.serializeSubscription(kafka,
                    version)));

            // Kafka's consumer sorts topics and owned partitions before writing them
            assertEquals(List.of("audit", "orders"), ours.topics(), "v" + version);
            assertArrayEquals(USER_DATA, ours.userData(), "v" + version);
            assertEquals(version >= 1 ? List.of(ownedPartition("audit", 1), ownedPartition("orders", 0, 2))
                : List.of(), ours.ownedPartitions(), "v" + version);
            assertEquals(version >= 2 ? 7 : -1, ours.generationId(), "v" + version);
            assertEquals(version >= 3 ? "rack-a" : null, ours.rackId(), "v" + version);
        }
    }

    @Test
    void shouldWriteSubscriptionsAKafkaConsumerWritesIdenticallyAndReads() {
        ConsumerProtocolSubscriptionData ours = new ConsumerProtocolSubscriptionData()
            .setTopics(List.of("audit", "orders"))
            .setUserData(USER_DATA)
            .setOwnedPartitions(List.of(ownedPartition("audit", 1), ownedPartition("orders", 0, 2)))
            .setGenerationId(7)
            .setRackId("rack-a");
        Subscription same = new Subscription(List.of("audit", "orders"), ByteBuffer.wrap(USER_DATA),
            List.of(new TopicPartition("audit", 1), new TopicPartition("orders", 0), new TopicPartition("orders", 2)),
            7, Optional.of("rack-a"));
        for (short version = 0; version <= HIGHEST; version++) {
            byte[] written = ConsumerProtocol.writeSubscription(ours, version);
            assertArrayEquals(bytes(org.apache.kafka.clients.consumer.internals.ConsumerProtocol.serializeSubscription(
                same, version)), written, "v" + version);

            Subscription parsed = org.apache.kafka.clients.consumer.internals.ConsumerProtocol.deserializeSubscription(
                ByteBuffer.wrap(written));
            assertEquals(List.of("audit", "orders"), parsed.topics(), "v" + version);
            assertArrayEquals(USER_DATA, bytes(parsed.userData()), "v" + version);
            assertEquals(version >= 1 ? same.ownedPartitions() : List.of(), parsed.ownedPartitions(), "v" + version);
            assertEquals(version >= 2 ? Optional.of(7) : Optional.empty(), parsed.generationId(), "v" + version);
            assertEquals(version >= 3 ? Optional.of("rack-a") : Optional.empty(), parsed.rackId(), "v" + version);
        }
    }

    @Test
    void shouldReadAssignmentsAKafkaLeaderWritesAtEveryVersion() {
        Assignment kafka = new Assignment(
            List.of(new TopicPartition("orders", 2), new TopicPartition("audit", 1), new TopicPartition("orders", 0)),
            ByteBuffer.wrap(USER_DATA));
        for (short version = 0; version <= HIGHEST; version++) {
            ConsumerProtocolAssignmentData ours = ConsumerProtocol.readAssignment(
                bytes(org.apache.kafka.clients.consumer.internals.ConsumerProtocol.serializeAssignment(kafka,
                    version)));

            // Kafka groups partitions by topic in first-seen order, keeping the partitions' order
            assertEquals(List.of(assignedPartition("orders", 2, 0), assignedPartition("audit", 1)),
                ours.assignedPartitions(), "v" + version);
            assertArrayEquals(USER_DATA, ours.userData(), "v" + version);
        }
    }

    @Test
    void shouldWriteAssignmentsAKafkaLeaderWritesIdenticallyAndConsumersRead() {
        ConsumerProtocolAssignmentData ours = new ConsumerProtocolAssignmentData()
            .setAssignedPartitions(List.of(assignedPartition("orders", 2, 0), assignedPartition("audit", 1)))
            .setUserData(null);
        Assignment same = new Assignment(
            List.of(new TopicPartition("orders", 2), new TopicPartition("orders", 0), new TopicPartition("audit", 1)),
            null);
        for (short version = 0; version <= HIGHEST; version++) {
            byte[] written = ConsumerProtocol.writeAssignment(ours, version);
            assertArrayEquals(bytes(org.apache.kafka.clients.consumer.internals.ConsumerProtocol.serializeAssignment(
                same, version)), written, "v" + version);

            Assignment parsed = org.apache.kafka.clients.consumer.internals.ConsumerProtocol.deserializeAssignment(
                ByteBuffer.wrap(written));
            assertEquals(same.partitions(), parsed.partitions(), "v" + version);
            assertNull(parsed.userData(), "v" + version);
        }
    }

    @Test
    void shouldReadANewerVersionAtTheHighestKnownVersionIgnoringAppendedFields() {
        Subscription kafka = new Subscription(List.of("orders"), null, List.of(new TopicPartition("orders", 3)), 4,
            Optional.of("rack-b"));
        byte[] known = bytes(org.apache.kafka.clients.consumer.internals.ConsumerProtocol.serializeSubscription(kafka,
            HIGHEST));
        // a future version: a higher prefix and a field appended after the ones this version knows
        byte[] future = Arrays.copyOf(known, known.length + Integer.BYTES);
        future[0] = 0;
        future[1] = (byte) (HIGHEST + 2);
        future[known.length + Integer.BYTES - 1] = 42;

        ConsumerProtocolSubscriptionData ours = ConsumerProtocol.readSubscription(future);

        assertEquals(ConsumerProtocol.readSubscription(known), ours);
        assertEquals("rack-b", ours.rackId());
        Subscription kafkaParsed = org.apache.kafka.clients.consumer.internals.ConsumerProtocol.deserializeSubscription(
            ByteBuffer.wrap(future));
        assertEquals(kafkaParsed.topics(), ours.topics());
        assertEquals(Optional.of(ours.generationId()), kafkaParsed.generationId());
        assertEquals(Optional.of(ours.rackId()), kafkaParsed.rackId());

        byte[] assignment = ConsumerProtocol.writeAssignment(
            new ConsumerProtocolAssignmentData().setAssignedPartitions(List.of(assignedPartition("orders", 3))),
            HIGHEST);
        byte[] futureAssignment = Arrays.copyOf(assignment, assignment.length + 1);
        futureAssignment[1] = Byte.MAX_VALUE;
        assertEquals(ConsumerProtocol.readAssignment(assignment), ConsumerProtocol.readAssignment(futureAssignment));
    }

    @Test
    void shouldWriteTheHighestKnownVersionWhenAskedForANewerOne() {
        ConsumerProtocolSubscriptionData subscription = new ConsumerProtocolSubscriptionData()
            .setTopics(List.of("orders")).setGenerationId(3).setRackId("rack-c");

        byte[] written = ConsumerProtocol.writeSubscription(subscription, (short) (HIGHEST + 5));

        assertArrayEquals(ConsumerProtocol.writeSubscription(subscription, HIGHEST), written);
        assertEquals(HIGHEST, ByteBuffer.wrap(written).getShort());
        ConsumerProtocolAssignmentData assignment = new ConsumerProtocolAssignmentData().setUserData(USER_DATA);
        assertArrayEquals(ConsumerProtocol.writeAssignment(assignment, HIGHEST),
            ConsumerProtocol.writeAssignment(assignment, Short.MAX_VALUE));
    }

    @Test
    void shouldDropOwnedPartitionsGenerationAndRackWhenWritingVersionZero() {
        ConsumerProtocolSubscriptionData subscription = new ConsumerProtocolSubscriptionData()
            .setTopics(List.of("orders"))
            .setOwnedPartitions(List.of(ownedPartition("orders", 1)))
            .setGenerationId(9)
            .setRackId("rack-d");

        ConsumerProtocolSubscriptionData read = ConsumerProtocol.readSubscription(
            ConsumerProtocol.writeSubscription(subscription, (short) 0));

        assertEquals(new ConsumerProtocolSubscriptionData().setTopics(List.of("orders")), read);
    }

    @Test
    void shouldRejectEveryTruncationWithAProtocolException() {
        byte[] subscription = ConsumerProtocol.writeSubscription(new ConsumerProtocolSubscriptionData()
            .setTopics(List.of("orders", "audit"))
            .setUserData(USER_DATA)
            .setOwnedPartitions(List.of(ownedPartition("orders", 0, 1)))
            .setGenerationId(2)
            .setRackId("rack-e"), HIGHEST);
        byte[] assignment = ConsumerProtocol.writeAssignment(new ConsumerProtocolAssignmentData()
            .setAssignedPartitions(List.of(assignedPartition("orders", 0, 1)))
            .setUserData(USER_DATA), HIGHEST);

        for (int length = 0; length < subscription.length; length++) {
            byte[] prefix = Arrays.copyOf(subscription, length);
            ProtocolException e = assertThrows(ProtocolException.class,
                () -> ConsumerProtocol.readSubscription(prefix), "prefix of " + length + " bytes");
            assertTrue(e.getMessage().startsWith("Malformed consumer protocol subscription"), e.getMessage());
        }
        for (int length = 0; length < assignment.length; length++) {
            byte[] prefix = Arrays.copyOf(assignment, length);
            ProtocolException e = assertThrows(ProtocolException.class,
                () -> ConsumerProtocol.readAssignment(prefix), "prefix of " + length + " bytes");
            assertTrue(e.getMessage().startsWith("Malformed consumer protocol assignment"), e.getMessage());
        }
    }

    @Test
    void shouldRejectAVersionBelowTheLowest() {
        byte[] valid = ConsumerProtocol.writeSubscription(
            new ConsumerProtocolSubscriptionData().setTopics(List.of("orders")), (short) 0);
        valid[0] = (byte) 0xff;
        valid[1] = (byte) 0xff;

        ProtocolException read = assertThrows(ProtocolException.class, () -> ConsumerProtocol.readSubscription(valid));
        assertTrue(read.getMessage().contains("Unsupported version -1"), read.getMessage());
        assertThrows(ProtocolException.class,
            () -> ConsumerProtocol.writeAssignment(new ConsumerProtocolAssignmentData(), (short) -1));
    }

    @Test
    void shouldRejectHostileLengthsWithoutAllocating() {
        // version 0, then a topics array claiming Integer.MAX_VALUE elements
        byte[] hugeArray = {0, 0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 1, 'a'};
        assertThrows(ProtocolException.class, () -> ConsumerProtocol.readSubscription(hugeArray));
        // version 0, one topic whose name is null
        byte[] nullTopic = {0, 0, 0, 0, 0, 1, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0};
        ProtocolException e = assertThrows(ProtocolException.class, () -> ConsumerProtocol.readSubscription(nullTopic));
        assertTrue(e.getMessage().contains("topics"), e.getMessage());
        // version 1, no partitions, user data claiming 16 bytes where 2 follow
        byte[] longUserData = {0, 1, 0, 0, 0, 0, 0, 0, 0, 0x10, 1, 2};
        assertThrows(ProtocolException.class, () -> ConsumerProtocol.readAssignment(longUserData));
    }

    private static ConsumerProtocolSubscriptionData.TopicPartition ownedPartition(String topic,
                                                                                   Integer... partitions) {
        return new ConsumerProtocolSubscriptionData.TopicPartition().setTopic(topic)
            .setPartitions(List.of(partitions));
    }

    private static ConsumerProtocolAssignmentData.TopicPartition assignedPartition(String topic,
                                                                                   Integer... partitions) {
        return new ConsumerProtocolAssignmentData.TopicPartition().setTopic(topic)
            .setPartitions(List.of(partitions));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
