package dev.ferry.broker.handler;

import dev.ferry.broker.group.ClassicGroups;
import dev.ferry.broker.tenant.Permission;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.LeaveGroupRequestData;
import dev.ferry.protocol.message.LeaveGroupResponseData;
import java.util.concurrent.CompletableFuture;

/**
 * LeaveGroup: one member (versions 0-2) or a batch of members (3+) leave a classic group, which rebalances. A tenant's
 * request for a group not its own, or without {@link Permission#JOIN_GROUPS}, is GROUP_AUTHORIZATION_FAILED.
 */
public final class LeaveGroupHandler implements ApiHandler<LeaveGroupRequestData> {

    private final ClassicGroups groups;

    public LeaveGroupHandler(ClassicGroups groups) {
        this.groups = groups;
    }

    @Override
    public CompletableFuture<LeaveGroupResponseData> handle(RequestContext context, LeaveGroupRequestData request) {
        Errors denied = context.authorizeGroup(request.groupId(), Permission.JOIN_GROUPS);
        if (denied != Errors.NONE) {
            // the error stands alone at the top level, with no member answers, as Kafka's
            return CompletableFuture.completedFuture(new LeaveGroupResponseData().setThrottleTimeMs(0)
                    .setErrorCode(denied.code()));
        }
        return CompletableFuture.completedFuture(groups.leave(request, context.apiVersion()).setThrottleTimeMs(0));
    }
}
