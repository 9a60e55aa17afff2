package dev.ferry.storage.offsets.internal;

/**
 * Layout of an offsets snapshot file: the offsets and group states as of one journal index, followed by a CRC32 of
 * every byte before it. Integers are big-endian; strings are an int32 byte length followed by UTF-8 bytes.
 *
 * <pre>
 *   0        4         8                16           20
 *  +--------+---------+----------------+------------+--------+------------+--------+---------+
 *  | magic  | version | journalIndex   | groupCount | groups | stateCount | states | crc32   |
 *  +--------+---------+----------------+------------+--------+------------+--------+---------+
 *
 *  group:   name:string | count:int32, then count times
 *           topic:string | partition:int32 | offset:int64 | leaderEpoch:int32 | metadata:string
 *           | commitTimestampMs:int64
 *  state:   name:string | length:int32 | state:length bytes
 * </pre>
 *
 * {@code journalIndex} is the index of the last journal entry the snapshot includes, or {@link #NO_INDEX} when it
 * includes none. Version {@link #VERSION_WITHOUT_STATES}, written before groups had states, lacks {@code stateCount}
 * and {@code states}; it is still read, as holding no states.
 *
 * <p>The whole file is built and read in one array, so it is at most {@link #MAX_LENGTH} bytes long.
 */
final class OffsetSnapshotDescriptor {

    static final int MAGIC = 0x4F464653;
    /** The version written. */
    static final int VERSION = 2;
    /** The first version, offsets only; still read. */
    static final int VERSION_WITHOUT_STATES = 1;
    static final long NO_INDEX = -1L;
    static final int HEADER_LENGTH = 20;
    static final int TRAILER_LENGTH = 4;
    /** Longest snapshot: the longest array a JVM reliably allocates. */
    static final int MAX_LENGTH = Integer.MAX_VALUE - 8;

    private OffsetSnapshotDescriptor() {
    }
}
