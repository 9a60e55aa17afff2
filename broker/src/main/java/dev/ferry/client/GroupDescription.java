package dev.ferry.client;

import java.util.List;

/**
 * A group as DescribeGroups (classic groups) or ConsumerGroupDescribe (KIP-848 consumer groups) describes it.
 *
 * @param groupId      the group id
 * @param type         {@code classic} or {@code consumer}
 * @param state        the state, e.g. {@code Stable} or {@code Empty}
 * @param protocolType the protocol type of a classic group, e.g. {@code consumer}; empty otherwise
 * @param protocol     the protocol (the assignor) in use, e.g. {@code range}; empty when none
 * @param members      the members, sorted by member id
 */
public record GroupDescription(String groupId, String type, String state, String protocolType, String protocol,
                               List<Member> members) {

    /**
     * One member.
     *
     * @param memberId        the member id
     * @param groupInstanceId the static member's instance id, or null
     * @param clientId        the client id it connects with
     * @param host            the address it connects from
     * @param assignment      its partitions, sorted; empty when unknown (a group that is not stable)
     */
    public record Member(String memberId, String groupInstanceId, String clientId, String host,
                         List<TopicPartition> assignment) {
    }
}
