package dev.ferry.broker.handler;

import dev.ferry.broker.group.ClassicGroups;
import dev.ferry.broker.tenant.Permission;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.SyncGroupRequestData;
import dev.ferry.protocol.message.SyncGroupResponseData;
import java.util.concurrent.CompletableFuture;

/**
 * SyncGroup: a member's assignment, answered once the group's leader has sent the assignment of the generation. A
 * tenant's request for a group not its own, or without {@link Permission#JOIN_GROUPS}, is GROUP_AUTHORIZATION_FAILED.
 */
public final class SyncGroupHandler implements ApiHandler<SyncGroupRequestData> {

    private final ClassicGroups groups;

    public SyncGroupHandler(ClassicGroups groups) {
        this.groups = groups;
    }

    @Override
    public CompletableFuture<SyncGroupResponseData> handle(RequestContext context, SyncGroupRequestData request) {
        Errors denied = context.authorizeGroup(request.groupId(), Permission.JOIN_GROUPS);
        if (denied != Errors.NONE) {
            return CompletableFuture.completedFuture(new SyncGroupResponseData().setThrottleTimeMs(0)
                    .setErrorCode(denied.code()).setAssignment(new byte[0]));
        }
        return groups.sync(request).thenApply(response -> response.setThrottleTimeMs(0));
    }
}
