package dev.ferry.broker.handler;

import dev.ferry.broker.group.consumer.ConsumerGroups;
import dev.ferry.broker.tenant.Permission;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ConsumerGroupHeartbeatRequestData;
import dev.ferry.protocol.message.ConsumerGroupHeartbeatResponseData;
import java.util.concurrent.CompletableFuture;

/**
 * ConsumerGroupHeartbeat (KIP-848): hands the request to the consumer groups with the member's client id and address,
 * which ConsumerGroupDescribe reports. Version 1 (KIP-1082) differs only in that the client names its member id when
 * joining, which the groups check. Answered at once: the protocol has no parked requests.
 *
 * <p>A tenant's heartbeat to a group not its own, or with a role lacking {@link Permission#JOIN_GROUPS}, is
 * GROUP_AUTHORIZATION_FAILED; one subscribing by name to a topic not its own is TOPIC_AUTHORIZATION_FAILED, as Kafka
 * answers a subscription to topics the client may not describe. Either way the group is left as it was. A regular
 * expression resolves only among the tenant's own topics.
 */
public final class ConsumerGroupHeartbeatHandler implements ApiHandler<ConsumerGroupHeartbeatRequestData> {

    private final ConsumerGroups groups;

    public ConsumerGroupHeartbeatHandler(ConsumerGroups groups) {
        this.groups = groups;
    }

    @Override
    public CompletableFuture<ConsumerGroupHeartbeatResponseData> handle(RequestContext context,
                                                                        ConsumerGroupHeartbeatRequestData request) {
        Errors denied = authorize(context, request);
        if (denied != Errors.NONE) {
            return CompletableFuture.completedFuture(new ConsumerGroupHeartbeatResponseData().setThrottleTimeMs(0)
                    .setErrorCode(denied.code()));
        }
        // a tenant's regular expression may only ever resolve to its own application's topics
        String topicScope = context.isTenant() ? context.principal().resourcePrefix() : null;
        ConsumerGroupHeartbeatResponseData response = groups.heartbeat(request, ClientIdentity.clientId(context),
                ClientIdentity.clientHost(context), context.apiVersion(), topicScope);
        return CompletableFuture.completedFuture(response.setThrottleTimeMs(0));
    }

    /** The group first (membership), then every topic subscribed to by name, as Kafka checks them. */
    private static Errors authorize(RequestContext context, ConsumerGroupHeartbeatRequestData request) {
        Errors error = context.authorizeGroup(request.groupId(), Permission.JOIN_GROUPS);
        if (error != Errors.NONE || request.subscribedTopicNames() == null) {
            return error;
        }
        for (String topic : request.subscribedTopicNames()) {
            error = context.authorizeTopic(topic, Permission.DESCRIBE);
            if (error != Errors.NONE) {
                return error;
            }
        }
        return Errors.NONE;
    }
}
