package dev.ferry.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

class PartitionerTest {

    @Test
    void shouldHashKeysExactlyAsKafkasMurmur2() {
        Random random = new Random(42);
        for (int length = 0; length < 64; length++) {
            byte[] key = new byte[length];
            random.nextBytes(key);
            assertEquals(Utils.murmur2(key), Partitioner.murmur2(key), "murmur2 of " + length + " random bytes");
        }
    }

    @Test
    void shouldPutAKeyedRecordWhereKafkasProducerPutsIt() {
        for (int i = 0; i < 500; i++) {
            byte[] key = ("customer-" + i).getBytes(StandardCharsets.UTF_8);
            for (int partitions : new int[] {1, 3, 12}) {
                assertEquals(BuiltInPartitioner.partitionForKey(key, partitions), Partitioner.forKey(key, partitions),
                        "partition of key customer-" + i + " among " + partitions);
            }
        }
    }

    @Test
    void shouldStickToOnePartitionForABatchOfUnkeyedRecordsThenMove() {
        Partitioner partitioner = new Partitioner(100);
        int first = partitioner.partition("t", 4, null, 30);
        assertEquals(first, partitioner.partition("t", 4, null, 30));
        assertEquals(first, partitioner.partition("t", 4, null, 30));
        assertEquals(first, partitioner.partition("t", 4, null, 30));

        int second = partitioner.partition("t", 4, null, 30);

        assertNotEquals(first, second, "120 bytes went to partition " + first + ", past the 100 of a batch");
    }

    @Test
    void shouldReachEveryPartitionWithUnkeyedRecords() {
        Partitioner partitioner = new Partitioner(10);
        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            used.add(partitioner.partition("t", 3, null, 10));
        }
        assertEquals(Set.of(0, 1, 2), used);
    }
}
