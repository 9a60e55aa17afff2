package dev.ferry.storage.offsets.internal;

/**
 * Layout of an offsets snapshot file: the whole offset table as of one journal index, followed by a CRC32 of every
 * byte before it. Integers are big-endian; strings are an int32 byte length followed by UTF-8 bytes.
 *
 * <pre>
 *   0        4         8                16           20
 *  +--------+---------+----------------+------------+---------------------------+---------+
 *  | magic  | version | journalIndex   | groupCount | groups                    | crc32   |
 *  +--------+---------+----------------+------------+---------------------------+---------+
 *
 *  group:   name:string | count:int32, then count times
 *           topic:string | partition:int32 | offset:int64 | leaderEpoch:int32 | metadata:string
 *           | commitTimestampMs:int64
 * </pre>
 *
 * {@code journalIndex} is the index of the last journal entry the snapshot includes, or {@link #NO_INDEX} when it
 * includes none.
 */
final class OffsetSnapshotDescriptor {

    static final int MAGIC = 0x4F464653;
    static final int VERSION = 1;
    static final long NO_INDEX = -1L;
    static final int HEADER_LENGTH = 20;
    static final int TRAILER_LENGTH = 4;

    private OffsetSnapshotDescriptor() {
    }
}
