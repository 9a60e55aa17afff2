package dev.ferry.config;

import java.util.Arrays;

/**
 * The effective settings of one topic that Ferry acts on: broker defaults overlaid with the topic's overrides.
 *
 * @param segmentBytes       roll the active segment at this size ({@code segment.bytes}, or
 *                           {@code internal.segment.bytes} when set)
 * @param segmentMs          roll the active segment at this age ({@code segment.ms})
 * @param retentionMs        delete segments whose newest record is older; -1 keeps them ({@code retention.ms})
 * @param retentionBytes     delete the oldest segments while the partition is larger; negative is unlimited
 *                           ({@code retention.bytes})
 * @param flushMessages      fsync after this many messages ({@code flush.messages})
 * @param flushMs            fsync this long after the last flush ({@code flush.ms})
 * @param indexIntervalBytes bytes between sparse index entries ({@code index.interval.bytes})
 * @param segmentIndexBytes  maximum index file size ({@code segment.index.bytes})
 * @param logAppendTime      true when {@code message.timestamp.type} is {@code LogAppendTime}
 * @param maxMessageBytes    largest record batch accepted ({@code max.message.bytes})
 * @param cleanupPolicy      {@code cleanup.policy} as comma-separated text: {@code delete}, {@code compact},
 *                           both, or empty
 */
public record TopicSettings(long segmentBytes, long segmentMs, long retentionMs, long retentionBytes,
                            long flushMessages, long flushMs, int indexIntervalBytes, int segmentIndexBytes,
                            boolean logAppendTime, int maxMessageBytes, String cleanupPolicy) {

    /**
     * True when {@code cleanup.policy} includes {@code delete}, i.e. retention applies. Without it Kafka only
     * compacts; Ferry does not compact yet, so such a topic keeps every segment and the retention limits must not
     * be applied to it.
     */
    public boolean retentionDeletes() {
        return Arrays.asList(cleanupPolicy.split(",")).contains("delete");
    }
}
