package dev.ferry.broker.handler;

import dev.ferry.broker.BrokerServices;
import dev.ferry.broker.group.GroupCoordinator;
import dev.ferry.protocol.message.ApiMessageType;

/** Registers the APIs of groups: finding the coordinator, membership of both protocols, offsets, administration. */
public final class GroupApis {

    private GroupApis() {
    }

    /**
     * Registers the group APIs at every version the codecs support.
     *
     * @param broker      this node, named as the coordinator of every group
     * @param coordinator the groups and their committed offsets
     */
    public static void register(ApiRegistry registry, BrokerServices services, LocalBroker broker,
                                GroupCoordinator coordinator) {
        registry.register(ApiMessageType.FIND_COORDINATOR, new FindCoordinatorHandler(broker));
        registry.register(ApiMessageType.OFFSET_COMMIT, new OffsetCommitHandler(services.topics(), coordinator));
        registry.register(ApiMessageType.OFFSET_FETCH, new OffsetFetchHandler(services.topics(), coordinator));
        registry.register(ApiMessageType.OFFSET_DELETE, new OffsetDeleteHandler(services.topics(), coordinator));
        registry.register(ApiMessageType.JOIN_GROUP, new JoinGroupHandler(coordinator.classicGroups()));
        registry.register(ApiMessageType.SYNC_GROUP, new SyncGroupHandler(coordinator.classicGroups()));
        registry.register(ApiMessageType.HEARTBEAT, new HeartbeatHandler(coordinator.classicGroups()));
        registry.register(ApiMessageType.LEAVE_GROUP, new LeaveGroupHandler(coordinator.classicGroups()));
        registry.register(ApiMessageType.LIST_GROUPS, new ListGroupsHandler(coordinator));
        registry.register(ApiMessageType.DESCRIBE_GROUPS, new DescribeGroupsHandler(coordinator));
        registry.register(ApiMessageType.DELETE_GROUPS, new DeleteGroupsHandler(coordinator));
        registry.register(ApiMessageType.TXN_OFFSET_COMMIT, new TxnOffsetCommitHandler());
        registry.register(ApiMessageType.CONSUMER_GROUP_HEARTBEAT,
                new ConsumerGroupHeartbeatHandler(coordinator.consumerGroups()));
        registry.register(ApiMessageType.CONSUMER_GROUP_DESCRIBE,
                new ConsumerGroupDescribeHandler(coordinator.consumerGroups()));
    }
}
