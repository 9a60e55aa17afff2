package dev.ferry.broker.topic;

/**
 * Caps the partitions a family of topics may hold together: in hosted mode, all the topics of one application (those
 * sharing its {@code <application>.} prefix) count against its {@code max.partitions}.
 */
@FunctionalInterface
public interface PartitionLimits {

    /** No family of topics is limited. */
    PartitionLimits NONE = topic -> null;

    /** The limit {@code topic} counts against, or null when it counts against none. */
    Limit limitFor(String topic);

    /**
     * @param prefix        the name prefix of the topics counted together, e.g. {@code acme.}
     * @param maxPartitions the most partitions they may hold together
     * @param owner         who holds them, for the refusal's message, e.g. {@code application acme}
     */
    record Limit(String prefix, int maxPartitions, String owner) {
    }
}
