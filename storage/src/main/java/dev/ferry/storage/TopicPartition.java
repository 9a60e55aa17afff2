package dev.ferry.storage;

/** A partition of a topic; its log lives in the directory {@code <topic>-<partition>}. */
public record TopicPartition(String topic, int partition) {

    public String dirName() {
        return topic + "-" + partition;
    }

    @Override
    public String toString() {
        return dirName();
    }
}
