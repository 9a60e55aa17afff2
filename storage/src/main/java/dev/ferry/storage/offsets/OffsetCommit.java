package dev.ferry.storage.offsets;

import dev.ferry.storage.TopicPartition;
import java.util.Objects;

/**
 * One partition's offset in a commit request, as handed to {@link OffsetStore#commit}.
 *
 * @param partition         the committed partition
 * @param offset            the next offset the group will consume
 * @param leaderEpoch       the leader epoch of the committed offset, or -1 when the client did not send one
 * @param metadata          the client's opaque metadata string; null is stored as ""
 * @param commitTimestampMs when the broker accepted the commit
 */
public record OffsetCommit(TopicPartition partition, long offset, int leaderEpoch, String metadata,
                           long commitTimestampMs) {

    public OffsetCommit {
        Objects.requireNonNull(partition, "partition");
        metadata = Objects.requireNonNullElse(metadata, "");
    }

    /** The value this commit leaves behind for its partition. */
    public CommittedOffset committed() {
        return new CommittedOffset(offset, leaderEpoch, metadata, commitTimestampMs);
    }
}
