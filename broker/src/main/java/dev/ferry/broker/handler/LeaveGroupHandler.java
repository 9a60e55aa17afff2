package dev.ferry.broker.handler;

import dev.ferry.broker.group.ClassicGroups;
import dev.ferry.protocol.message.LeaveGroupRequestData;
import dev.ferry.protocol.message.LeaveGroupResponseData;
import java.util.concurrent.CompletableFuture;

/** LeaveGroup: one member (versions 0-2) or a batch of members (3+) leave a classic group, which rebalances. */
public final class LeaveGroupHandler implements ApiHandler<LeaveGroupRequestData> {

    private final ClassicGroups groups;

    public LeaveGroupHandler(ClassicGroups groups) {
        this.groups = groups;
    }

    @Override
    public CompletableFuture<LeaveGroupResponseData> handle(RequestContext context, LeaveGroupRequestData request) {
        return CompletableFuture.completedFuture(groups.leave(request, context.apiVersion()).setThrottleTimeMs(0));
    }
}
