package dev.ferry.broker.handler;

import dev.ferry.broker.group.ClassicGroups;
import dev.ferry.broker.tenant.Permission;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.HeartbeatRequestData;
import dev.ferry.protocol.message.HeartbeatResponseData;
import java.util.concurrent.CompletableFuture;

/**
 * Heartbeat of a classic group member: keeps its session alive, and says when the group is rebalancing. A tenant's
 * heartbeat to a group not its own, or without {@link Permission#JOIN_GROUPS}, is GROUP_AUTHORIZATION_FAILED.
 */
public final class HeartbeatHandler implements ApiHandler<HeartbeatRequestData> {

    private final ClassicGroups groups;

    public HeartbeatHandler(ClassicGroups groups) {
        this.groups = groups;
    }

    @Override
    public CompletableFuture<HeartbeatResponseData> handle(RequestContext context, HeartbeatRequestData request) {
        Errors denied = context.authorizeGroup(request.groupId(), Permission.JOIN_GROUPS);
        if (denied != Errors.NONE) {
            return CompletableFuture.completedFuture(new HeartbeatResponseData().setThrottleTimeMs(0)
                    .setErrorCode(denied.code()));
        }
        return CompletableFuture.completedFuture(groups.heartbeat(request).setThrottleTimeMs(0));
    }
}
