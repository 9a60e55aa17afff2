package dev.ferry.storage.offsets.internal;

/**
 * Layout of one entry (one Chronicle Queue document) of the offsets journal. Strings are Chronicle's UTF-8 with a
 * stop-bit encoded length; integers are little-endian.
 *
 * <pre>
 *   0        1
 *  +--------+----------------+------------------------------------------+
 *  | type   | group (utf8)   | body, by type                            |
 *  +--------+----------------+------------------------------------------+
 *
 *  COMMIT body:          count:int32, then count times
 *                        topic:utf8 | partition:int32 | offset:int64 | leaderEpoch:int32 | metadata:utf8
 *                        | commitTimestampMs:int64
 *  DELETE_GROUP body:    empty
 *  DELETE_OFFSETS body:  count:int32, then count times topic:utf8 | partition:int32
 * </pre>
 */
final class OffsetJournalDescriptor {

    /** Offsets committed for some partitions of a group. */
    static final byte COMMIT = 1;
    /** Every offset of a group removed. */
    static final byte DELETE_GROUP = 2;
    /** Offsets of some partitions of a group removed (OffsetDelete or expiry). */
    static final byte DELETE_OFFSETS = 3;

    private OffsetJournalDescriptor() {
    }
}
