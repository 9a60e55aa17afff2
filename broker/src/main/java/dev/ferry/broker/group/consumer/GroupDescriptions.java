package dev.ferry.broker.group.consumer;

import dev.ferry.broker.topic.TopicManager.TopicInfo;
import dev.ferry.protocol.message.ConsumerGroupDescribeResponseData;
import dev.ferry.protocol.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import dev.ferry.protocol.message.ConsumerGroupDescribeResponseData.Member;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a consumer group as ConsumerGroupDescribe answers it, as Kafka's {@code ConsumerGroup.asDescribedGroup}:
 * members in member-id order, assignments by topic id with the topic's name; partitions of topics deleted since
 * are left out.
 */
final class GroupDescriptions {

    private GroupDescriptions() {
    }

    static DescribedGroup describe(ConsumerGroup group, String assignorName, TopicsView view, byte memberType) {
        DescribedGroup described = new DescribedGroup().setGroupId(group.groupId()).setGroupState(group.state())
                .setGroupEpoch(group.groupEpoch()).setAssignmentEpoch(group.assignmentEpoch())
                .setAssignorName(assignorName);
        for (ConsumerGroupMember member : group.members()) {
            described.members().add(new Member().setMemberId(member.memberId())
                    .setInstanceId(member.instanceId()).setRackId(member.rackId())
                    .setMemberEpoch(member.memberEpoch()).setClientId(member.clientId())
                    .setClientHost(member.clientHost())
                    .setSubscribedTopicNames(new ArrayList<>(member.subscribedTopicNames()))
                    .setSubscribedTopicRegex(member.subscribedTopicRegex())
                    .setAssignment(assignment(member.current().assigned(), view))
                    .setTargetAssignment(assignment(group.targetAssignment(member.memberId()), view))
                    .setMemberType(memberType));
        }
        return described;
    }

    private static ConsumerGroupDescribeResponseData.Assignment assignment(Assignment assignment, TopicsView view) {
        List<ConsumerGroupDescribeResponseData.TopicPartitions> topics = new ArrayList<>();
        assignment.partitions().forEach((topicId, partitions) -> {
            TopicInfo topic = view.topic(topicId);
            if (topic != null) {
                topics.add(new ConsumerGroupDescribeResponseData.TopicPartitions().setTopicId(topicId)
                        .setTopicName(topic.name()).setPartitions(new ArrayList<>(partitions)));
            }
        });
        return new ConsumerGroupDescribeResponseData.Assignment().setTopicPartitions(topics);
    }
}
