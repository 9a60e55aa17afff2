package dev.ferry.broker.tenant;

/**
 * What a tenant's request may do, checked against the {@link Role} of the key its connection authenticated with.
 * Each constant names the Kafka APIs that need it; isolation (a resource must start with the application's prefix)
 * is checked separately.
 */
public enum Permission {

    /** Produce, InitProducerId, AddPartitionsToTxn, EndTxn: appending records. */
    WRITE,

    /** CreateTopics, CreatePartitions and auto-creation of topics by Metadata or Produce. */
    CREATE_TOPICS,

    /** DeleteTopics, DeleteRecords, IncrementalAlterConfigs and AlterConfigs on topics. */
    MANAGE_TOPICS,

    /** Fetch: reading records. Also needed on a topic to commit or delete a group's offsets of it. */
    READ,

    /** OffsetCommit, TxnOffsetCommit and OffsetFetch of a consumer group. */
    COMMIT_OFFSETS,

    /** JoinGroup, SyncGroup, Heartbeat, LeaveGroup and ConsumerGroupHeartbeat: group membership. */
    JOIN_GROUPS,

    /** DeleteGroups and OffsetDelete. */
    MANAGE_GROUPS,

    /**
     * Metadata, FindCoordinator, ListOffsets, OffsetForLeaderEpoch, OffsetFetch, ListGroups, DescribeGroups,
     * ConsumerGroupDescribe, DescribeConfigs, DescribeCluster: looking without changing anything, as Kafka's DESCRIBE
     * operation. Every role has it.
     */
    DESCRIBE
}
