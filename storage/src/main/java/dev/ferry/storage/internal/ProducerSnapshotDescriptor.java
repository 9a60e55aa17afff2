package dev.ferry.storage.internal;

/**
 * Layout of a producer snapshot ({@code <20-digit offset>.snapshot} beside the segments): the idempotent-producer
 * state of a partition as of the offset in its name, that is after every batch below that offset and none at or
 * above it. All fields are big-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+  0
 *  |                         Magic (int32)                         |
 *  +---------------------------------------------------------------+  4
 *  |                        Version (int32)                        |
 *  +---------------------------------------------------------------+  8
 *  |         CRC-32C (uint32, of every byte from offset 12 on)     |
 *  +---------------------------------------------------------------+ 12
 *  |                    Producer Count (int32)                     |
 *  +---------------------------------------------------------------+ 16
 *  |               Snapshot Offset (int64, as in the name)         |
 *  |                                                               |
 *  +---------------------------------------------------------------+ 24
 *  |                 Producer Count producer entries ...           |
 *
 *  Producer entry, 20 bytes followed by its batches, oldest first:
 *  +---------------------------------------------------------------+  0
 *  |                       Producer Id (int64)                     |
 *  |                                                               |
 *  +---------------------------------------------------------------+  8
 *  |          Last Append Time (int64, broker clock in ms)         |
 *  |                                                               |
 *  +-------------------------------+-------------------------------+ 16
 *  |    Producer Epoch (int16)     |   Batch Count (int16, 1..5)   |
 *  +-------------------------------+-------------------------------+ 20
 *  |                   Batch Count batches ...                     |
 *
 *  Batch, 32 bytes:
 *  +---------------------------------------------------------------+  0
 *  |                     First Sequence (int32)                    |
 *  +---------------------------------------------------------------+  4
 *  |                     Last Sequence (int32)                     |
 *  +---------------------------------------------------------------+  8
 *  |                      First Offset (int64)                     |
 *  |                                                               |
 *  +---------------------------------------------------------------+ 16
 *  |                      Last Offset (int64)                      |
 *  |                                                               |
 *  +---------------------------------------------------------------+ 24
 *  |                  Max Timestamp (int64, ms)                    |
 *  |                                                               |
 *  +---------------------------------------------------------------+ 32
 * </pre>
 *
 * <p>Unlike Kafka's producer snapshot, which keeps only each producer's newest batch, every batch of the window
 * the Java client may retry is kept, so that a retry of any of them is still recognised after a restart.
 */
final class ProducerSnapshotDescriptor {

    static final String SUFFIX = ".snapshot";

    /** "FPSN". */
    static final int MAGIC = 0x4650534E;
    static final int VERSION = 1;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 4;
    static final int CRC_OFFSET = 8;
    /** The CRC covers everything from here to the end of the file. */
    static final int CRC_COVERED_FROM = 12;
    static final int PRODUCER_COUNT_OFFSET = 12;
    static final int SNAPSHOT_OFFSET_OFFSET = 16;
    static final int HEADER_LENGTH = 24;

    static final int PRODUCER_ID_OFFSET = 0;
    static final int LAST_APPEND_TIME_OFFSET = 8;
    static final int PRODUCER_EPOCH_OFFSET = 16;
    static final int BATCH_COUNT_OFFSET = 18;
    static final int ENTRY_HEADER_LENGTH = 20;

    static final int FIRST_SEQUENCE_OFFSET = 0;
    static final int LAST_SEQUENCE_OFFSET = 4;
    static final int FIRST_OFFSET_OFFSET = 8;
    static final int LAST_OFFSET_OFFSET = 16;
    static final int MAX_TIMESTAMP_OFFSET = 24;
    static final int BATCH_LENGTH = 32;

    private ProducerSnapshotDescriptor() {
    }

    /** Bytes taken by a producer entry holding {@code batchCount} batches. */
    static int entryLength(final int batchCount) {
        return ENTRY_HEADER_LENGTH + batchCount * BATCH_LENGTH;
    }

    /** Where the {@code index}th batch (oldest first) of the entry at {@code entryOffset} starts. */
    static int batchOffset(final int entryOffset, final int index) {
        return entryOffset + ENTRY_HEADER_LENGTH + index * BATCH_LENGTH;
    }
}
