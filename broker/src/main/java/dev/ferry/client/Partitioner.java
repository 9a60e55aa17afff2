package dev.ferry.client;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Chooses the partition of a record without one, as Kafka's built-in partitioner does: a keyed record goes to
 * {@code murmur2(key) mod partitions} (so keys land where Kafka's own producer puts them), and unkeyed records stick
 * to one partition until about a batch of bytes has gone there, then move to another (KIP-794), which keeps batches
 * full without starving any partition.
 *
 * <p>Not thread-safe; the producer calls it under its own lock.
 */
final class Partitioner {

    private static final int MURMUR_SEED = 0x9747b28c;
    private static final int MURMUR_M = 0x5bd1e995;
    private static final int MURMUR_R = 24;

    private final int stickyBytes;
    private final Map<String, Sticky> sticky = new HashMap<>();

    private static final class Sticky {
        private int partition = -1;
        private int bytes;
    }

    /** @param stickyBytes how many bytes of unkeyed records go to one partition before switching */
    Partitioner(int stickyBytes) {
        this.stickyBytes = stickyBytes;
    }

    /** The partition for a record of {@code recordSize} bytes with {@code key} (null for none). */
    int partition(String topic, int partitionCount, byte[] key, int recordSize) {
        if (key != null) {
            return forKey(key, partitionCount);
        }
        Sticky current = sticky.computeIfAbsent(topic, t -> new Sticky());
        if (current.partition < 0 || current.partition >= partitionCount || current.bytes >= stickyBytes) {
            current.partition = next(current.partition, partitionCount);
            current.bytes = 0;
        }
        current.bytes += recordSize;
        return current.partition;
    }

    /** Kafka's partition for a keyed record: the positive murmur2 hash of the key, modulo the partition count. */
    static int forKey(byte[] key, int partitionCount) {
        return (murmur2(key) & 0x7fffffff) % partitionCount;
    }

    private static int next(int previous, int partitionCount) {
        if (partitionCount == 1) {
            return 0;
        }
        int chosen = ThreadLocalRandom.current().nextInt(partitionCount - 1);
        // skip the previous partition, so that a switch always moves
        return previous >= 0 && chosen >= previous ? chosen + 1 : chosen;
    }

    /** MurmurHash2, 32-bit, with the seed Kafka uses; bytes are read little-endian in groups of four. */
    static int murmur2(byte[] data) {
        int length = data.length;
        int h = MURMUR_SEED ^ length;
        int whole = length & ~3;
        for (int i = 0; i < whole; i += 4) {
            int k = (data[i] & 0xff) | (data[i + 1] & 0xff) << 8 | (data[i + 2] & 0xff) << 16
                    | (data[i + 3] & 0xff) << 24;
            k *= MURMUR_M;
            k ^= k >>> MURMUR_R;
            k *= MURMUR_M;
            h *= MURMUR_M;
            h ^= k;
        }
        int tail = length & 3;
        if (tail == 3) {
            h ^= (data[whole + 2] & 0xff) << 16;
        }
        if (tail >= 2) {
            h ^= (data[whole + 1] & 0xff) << 8;
        }
        if (tail >= 1) {
            h ^= data[whole] & 0xff;
            h *= MURMUR_M;
        }
        h ^= h >>> 13;
        h *= MURMUR_M;
        h ^= h >>> 15;
        return h;
    }
}
