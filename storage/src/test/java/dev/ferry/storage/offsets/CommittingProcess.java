package dev.ferry.storage.offsets;

import dev.ferry.storage.TopicPartition;
import java.nio.file.Path;
import java.util.List;

/**
 * A process that commits offsets one after another and prints the number of each acknowledged commit, until it is
 * killed. Offset {@code i} goes to partition {@code i % PARTITIONS} of topic "t" of group "g".
 */
final class CommittingProcess {

    static final int PARTITIONS = 50;

    private CommittingProcess() {
    }

    public static void main(final String[] args) {
        final OffsetStoreConfig config = new OffsetStoreConfig(false, Integer.parseInt(args[1]));
        final OffsetStore store = OffsetStore.open(Path.of(args[0]), config);
        for (long i = 0; ; i++) {
            store.commit("g", List.of(new OffsetCommit(new TopicPartition("t", (int) (i % PARTITIONS)), i, 0, "", i)));
            System.out.println(i);
        }
    }
}
