package dev.ferry.storage.offsets;

import java.util.Objects;

/**
 * What a group last committed for one partition.
 *
 * @param offset            the next offset the group will consume
 * @param leaderEpoch       the leader epoch of the committed offset, or -1 when the client did not send one
 * @param metadata          the client's opaque metadata string; never null (an absent one is stored as "")
 * @param commitTimestampMs when the broker accepted the commit
 */
public record CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestampMs) {

    public CommittedOffset {
        metadata = Objects.requireNonNullElse(metadata, "");
    }
}
