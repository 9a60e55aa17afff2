package dev.ferry.broker.handler;

import dev.ferry.broker.BrokerServices;
import dev.ferry.broker.group.GroupCoordinator;
import dev.ferry.protocol.message.ApiMessageType;

/** Registers the APIs of consumer groups: finding the coordinator, and committing and fetching offsets. */
public final class GroupApis {

    private GroupApis() {
    }

    /**
     * Registers FindCoordinator, OffsetCommit and OffsetFetch at every version the codecs support.
     *
     * @param broker      this node, named as the coordinator of every group
     * @param coordinator the groups' committed offsets
     */
    public static void register(ApiRegistry registry, BrokerServices services, LocalBroker broker,
                                GroupCoordinator coordinator) {
        registry.register(ApiMessageType.FIND_COORDINATOR, new FindCoordinatorHandler(broker));
        registry.register(ApiMessageType.OFFSET_COMMIT, new OffsetCommitHandler(services.topics(), coordinator));
        registry.register(ApiMessageType.OFFSET_FETCH, new OffsetFetchHandler(services.topics(), coordinator));
    }
}
