package dev.ferry.broker.handler;

import dev.ferry.broker.group.ClassicGroups;
import dev.ferry.protocol.message.SyncGroupRequestData;
import dev.ferry.protocol.message.SyncGroupResponseData;
import java.util.concurrent.CompletableFuture;

/** SyncGroup: a member's assignment, answered once the group's leader has sent the assignment of the generation. */
public final class SyncGroupHandler implements ApiHandler<SyncGroupRequestData> {

    private final ClassicGroups groups;

    public SyncGroupHandler(ClassicGroups groups) {
        this.groups = groups;
    }

    @Override
    public CompletableFuture<SyncGroupResponseData> handle(RequestContext context, SyncGroupRequestData request) {
        return groups.sync(request).thenApply(response -> response.setThrottleTimeMs(0));
    }
}
