package dev.ferry.broker.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.broker.group.consumer.ConsumerGroups;
import dev.ferry.broker.tenant.Role;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.ConsumerGroupDescribeRequestData;
import dev.ferry.protocol.message.ConsumerGroupDescribeResponseData;
import dev.ferry.protocol.message.ConsumerGroupHeartbeatRequestData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.Member;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsumerGroupDescribeHandlerTest {

    private static final String GROUP = "billing";
    private static final String TOPIC = "orders";
    private static final ApiMessageType API = ApiMessageType.CONSUMER_GROUP_DESCRIBE;
    /** READ (3), DELETE (6) and DESCRIBE (8): what Kafka supports on a group. */
    private static final int GROUP_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8);

    @TempDir
    Path dir;

    private TopicsFixture fixture;
    private ConsumerGroups groups;
    private ConsumerGroupDescribeHandler handler;

    @BeforeEach
    void start() {
        fixture = new TopicsFixture(dir, Map.of());
        fixture.topics.create(TOPIC, 2, Map.of(), false);
        groups = ConsumerGroupHeartbeatHandlerTest.newGroups(fixture);
        handler = new ConsumerGroupDescribeHandler(groups);
        groups.heartbeat(new ConsumerGroupHeartbeatRequestData().setGroupId(GROUP).setMemberId("member-1")
                .setMemberEpoch(0).setInstanceId("host-1").setRebalanceTimeoutMs(60_000)
                .setSubscribedTopicNames(new ArrayList<>(List.of(TOPIC))).setTopicPartitions(new ArrayList<>()),
                "billing-app", "/127.0.0.1", (short) 1);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void shouldDescribeAGroupAtEveryVersionAsKafkasClientsReadIt() {
        for (short version = API.lowestSupportedVersion(); version <= API.highestSupportedVersion(); version++) {
            DescribedGroup group = roundTrip(handle(version, request(GROUP)), version).groups().get(0);

            assertEquals(Errors.NONE.code(), group.errorCode());
            assertEquals(GROUP, group.groupId());
            assertEquals("Stable", group.groupState());
            assertEquals(1, group.groupEpoch());
            assertEquals(1, group.assignmentEpoch());
            assertEquals("uniform", group.assignorName());
            assertEquals(Integer.MIN_VALUE, group.authorizedOperations());
            Member member = group.members().get(0);
            assertEquals("member-1", member.memberId());
            assertEquals("host-1", member.instanceId());
            assertEquals("billing-app", member.clientId());
            assertEquals("/127.0.0.1", member.clientHost());
            assertEquals(1, member.memberEpoch());
            assertEquals(List.of(TOPIC), member.subscribedTopicNames());
            assertEquals(TOPIC, member.assignment().topicPartitions().get(0).topicName());
            assertEquals(List.of(0, 1), member.assignment().topicPartitions().get(0).partitions());
            assertEquals(List.of(0, 1), member.targetAssignment().topicPartitions().get(0).partitions());
            assertEquals(version >= 1 ? 1 : -1, member.memberType(), "member type exists from version 1");
        }
    }

    @Test
    void shouldAnswerEachGroupInRequestOrderWithItsOwnError() {
        ConsumerGroupDescribeResponseData response = handle((short) 1, request("unknown", "", GROUP)
                .setIncludeAuthorizedOperations(true));

        assertEquals(3, response.groups().size());
        assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), response.groups().get(0).errorCode());
        assertEquals("Group unknown not found.", response.groups().get(0).errorMessage());
        assertEquals(Integer.MIN_VALUE, response.groups().get(0).authorizedOperations());
        assertEquals(Errors.INVALID_GROUP_ID.code(), response.groups().get(1).errorCode());
        assertEquals(Errors.NONE.code(), response.groups().get(2).errorCode());
        assertEquals(GROUP_OPERATIONS, response.groups().get(2).authorizedOperations());
    }

    @Test
    void shouldRefuseATenantGroupsOfAnotherApplicationWithoutDescribingThem() {
        ConsumerGroupDescribeResponseData response = handler.handle(
                TopicsFixture.context(API, 1, TopicsFixture.acme(Role.PRODUCE)),
                request(GROUP, "acme.unknown").setIncludeAuthorizedOperations(true)).join();

        DescribedGroup refused = roundTrip(response, (short) 1).groups().get(0);
        assertEquals(GROUP, refused.groupId());
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), refused.errorCode());
        assertEquals(List.of(), refused.members());
        assertEquals(Integer.MIN_VALUE, refused.authorizedOperations());
        assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), response.groups().get(1).errorCode());
    }

    private ConsumerGroupDescribeResponseData handle(short version, ConsumerGroupDescribeRequestData request) {
        return handler.handle(TopicsFixture.context(API, version), request).join();
    }

    private static ConsumerGroupDescribeRequestData request(String... groupIds) {
        return new ConsumerGroupDescribeRequestData().setGroupIds(new ArrayList<>(List.of(groupIds)));
    }

    private static org.apache.kafka.common.message.ConsumerGroupDescribeResponseData roundTrip(
            ConsumerGroupDescribeResponseData response, short version) {
        return new org.apache.kafka.common.message.ConsumerGroupDescribeResponseData(
                KafkaWireBytes.encode(response, version), version);
    }
}
