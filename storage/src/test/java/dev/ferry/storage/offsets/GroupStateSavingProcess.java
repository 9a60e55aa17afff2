package dev.ferry.storage.offsets;

import dev.ferry.storage.TopicPartition;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * A process that, for {@code i} = 0, 1, 2..., commits offset {@code i} to partition 0 of topic "t" of group
 * {@code "g" + i % GROUPS}, then saves {@link #state state(i)} as that group's state, and prints {@code i} once both
 * are acknowledged, until it is killed.
 */
final class GroupStateSavingProcess {

    static final int GROUPS = 5;
    static final TopicPartition PARTITION = new TopicPartition("t", 0);

    private GroupStateSavingProcess() {
    }

    public static void main(final String[] args) {
        final OffsetStoreConfig config = new OffsetStoreConfig(false, Integer.parseInt(args[1]));
        final OffsetStore store = OffsetStore.open(Path.of(args[0]), config);
        for (long i = 0; ; i++) {
            final String group = group(i);
            store.commit(group, List.of(new OffsetCommit(PARTITION, i, 0, "", i)));
            store.saveGroupState(group, state(i));
            System.out.println(i);
        }
    }

    static String group(final long i) {
        return "g" + i % GROUPS;
    }

    /** Between 4 and 10 KiB: {@code i} as a long, then bytes that depend on {@code i} and their position. */
    static byte[] state(final long i) {
        final ByteBuffer state = ByteBuffer.allocate(4096 + (int) (i % 13) * 512);
        state.putLong(i);
        while (state.hasRemaining()) {
            state.put((byte) (i + state.position()));
        }
        return state.array();
    }

    /** The {@code i} a state was made for. */
    static long saveNumber(final byte[] state) {
        return ByteBuffer.wrap(state).getLong();
    }
}
