package dev.ferry.broker.group.consumer;

/** Where a member stands in reconciling its assignment with the group's target assignment (Kafka's names). */
public enum MemberState {
    /** The member owns its whole assignment at its epoch and waits for a newer target. */
    STABLE,
    /** The member must revoke partitions before it may move to the next epoch. */
    UNREVOKED_PARTITIONS,
    /** The member is at the target epoch but waits for partitions that other members still own. */
    UNRELEASED_PARTITIONS
}
