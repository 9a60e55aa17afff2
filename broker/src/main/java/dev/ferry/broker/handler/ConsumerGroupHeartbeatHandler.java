package dev.ferry.broker.handler;

import dev.ferry.broker.group.consumer.ConsumerGroups;
import dev.ferry.protocol.message.ConsumerGroupHeartbeatRequestData;
import dev.ferry.protocol.message.ConsumerGroupHeartbeatResponseData;
import java.util.concurrent.CompletableFuture;

/**
 * ConsumerGroupHeartbeat (KIP-848): hands the request to the consumer groups with the member's client id and address,
 * which ConsumerGroupDescribe reports. Version 1 (KIP-1082) differs only in that the client names its member id when
 * joining, which the groups check. Answered at once: the protocol has no parked requests.
 */
public final class ConsumerGroupHeartbeatHandler implements ApiHandler<ConsumerGroupHeartbeatRequestData> {

    private final ConsumerGroups groups;

    public ConsumerGroupHeartbeatHandler(ConsumerGroups groups) {
        this.groups = groups;
    }

    @Override
    public CompletableFuture<ConsumerGroupHeartbeatResponseData> handle(RequestContext context,
                                                                        ConsumerGroupHeartbeatRequestData request) {
        ConsumerGroupHeartbeatResponseData response = groups.heartbeat(request, ClientIdentity.clientId(context),
                ClientIdentity.clientHost(context), context.apiVersion());
        return CompletableFuture.completedFuture(response.setThrottleTimeMs(0));
    }
}
