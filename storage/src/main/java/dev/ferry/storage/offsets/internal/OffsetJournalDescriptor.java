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
 *  COMMIT body:              count:int32, then count times
 *                            topic:utf8 | partition:int32 | offset:int64 | leaderEpoch:int32 | metadata:utf8
 *                            | commitTimestampMs:int64
 *  DELETE_GROUP body:        empty
 *  DELETE_OFFSETS body:      count:int32, then count times topic:utf8 | partition:int32
 *  SAVE_GROUP_STATE body:    length:int32 | state:length bytes
 *  DELETE_GROUP_STATE body:  empty
 * </pre>
 *
 * An entry, type included, is at most {@link OffsetJournal#MAX_ENTRY_LENGTH} bytes long. The two state types came
 * after the first three without changing them, so a journal written before groups had states reads unchanged.
 */
final class OffsetJournalDescriptor {

    /** Offsets committed for some partitions of a group. */
    static final byte COMMIT = 1;
    /** Every offset and the saved state of a group removed. */
    static final byte DELETE_GROUP = 2;
    /** Offsets of some partitions of a group removed (OffsetDelete or expiry). */
    static final byte DELETE_OFFSETS = 3;
    /** The membership state of a group saved, replacing any earlier one. */
    static final byte SAVE_GROUP_STATE = 4;
    /** The saved state of a group removed; its offsets stay. */
    static final byte DELETE_GROUP_STATE = 5;

    /** Bytes of a SAVE_GROUP_STATE entry besides the group's and the state's own: type, stop bits, state length. */
    static final int SAVE_GROUP_STATE_OVERHEAD = 1 + 10 + 4;

    private OffsetJournalDescriptor() {
    }
}
