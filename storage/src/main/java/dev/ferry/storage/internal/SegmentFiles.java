package dev.ferry.storage.internal;

import java.nio.file.Path;

/**
 * Names of a segment's files: the 20-digit zero-padded base offset followed by the file's suffix, as Kafka names
 * them ({@code 00000000000000000000.log}, {@code .index}, {@code .timeindex}).
 */
final class SegmentFiles {

    static final String LOG_SUFFIX = ".log";
    static final String INDEX_SUFFIX = ".index";
    static final String TIME_INDEX_SUFFIX = ".timeindex";
    private static final int DIGITS = 20;

    private SegmentFiles() {
    }

    static Path logFile(final Path dir, final long baseOffset) {
        return dir.resolve(name(baseOffset, LOG_SUFFIX));
    }

    static Path indexFile(final Path dir, final long baseOffset) {
        return dir.resolve(name(baseOffset, INDEX_SUFFIX));
    }

    static Path timeIndexFile(final Path dir, final long baseOffset) {
        return dir.resolve(name(baseOffset, TIME_INDEX_SUFFIX));
    }

    static String name(final long baseOffset, final String suffix) {
        final String digits = Long.toString(baseOffset);
        return "0".repeat(Math.max(0, DIGITS - digits.length())) + digits + suffix;
    }

    /** The base offset a segment file name encodes, or -1 when the name is not a segment file with {@code suffix}. */
    static long baseOffset(final String fileName, final String suffix) {
        if (!fileName.endsWith(suffix) || fileName.length() != DIGITS + suffix.length()) {
            return -1;
        }
        for (int i = 0; i < DIGITS; i++) {
            if (!Character.isDigit(fileName.charAt(i))) {
                return -1;
            }
        }
        try {
            return Long.parseLong(fileName.substring(0, DIGITS));
        } catch (NumberFormatException tooLarge) {
            return -1;
        }
    }
}
