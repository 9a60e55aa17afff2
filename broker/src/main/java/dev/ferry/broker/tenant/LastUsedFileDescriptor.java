package dev.ferry.broker.tenant;

/**
 * Layout of {@code .ferry/tenant-keys-last-used} in the first log directory, where the broker records when each key
 * last authenticated. It is a file of its own so that the broker never writes the registry file the command line
 * edits.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                         magic "FTLU"                          |  0
 *  +---------------------------------------------------------------+
 *  |                        format version                         |  4
 *  +---------------------------------------------------------------+
 *  |                          entry count                          |  8
 *  +---------------------------------------------------------------+
 *  |                      entries, variable size                   | 12
 *  |                              ...                              |
 *  +---------------------------------------------------------------+
 *  |            CRC-32C of every byte before it (int32)            | length - 4
 *  +---------------------------------------------------------------+
 *
 *  entry  := key id: string, last used ms: int64
 *  string := length: uint16, UTF-8 bytes
 * </pre>
 *
 * All integers are big-endian; entries are in key id order.
 */
public final class LastUsedFileDescriptor {

    /** "FTLU" in ASCII. */
    public static final int MAGIC = 0x46544C55;

    public static final int VERSION = 1;

    public static final int MAGIC_OFFSET = 0;

    public static final int VERSION_OFFSET = 4;

    public static final int ENTRY_COUNT_OFFSET = 8;

    public static final int ENTRIES_OFFSET = 12;

    public static final int CRC_LENGTH = 4;

    /** The shortest file: a header, no entry, and the checksum. */
    public static final int MIN_LENGTH = ENTRIES_OFFSET + CRC_LENGTH;

    private LastUsedFileDescriptor() {
    }
}
