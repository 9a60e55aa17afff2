package dev.ferry.broker.handler;

import dev.ferry.broker.group.ClassicGroups;
import dev.ferry.protocol.message.HeartbeatRequestData;
import dev.ferry.protocol.message.HeartbeatResponseData;
import java.util.concurrent.CompletableFuture;

/** Heartbeat of a classic group member: keeps its session alive, and says when the group is rebalancing. */
public final class HeartbeatHandler implements ApiHandler<HeartbeatRequestData> {

    private final ClassicGroups groups;

    public HeartbeatHandler(ClassicGroups groups) {
        this.groups = groups;
    }

    @Override
    public CompletableFuture<HeartbeatResponseData> handle(RequestContext context, HeartbeatRequestData request) {
        return CompletableFuture.completedFuture(groups.heartbeat(request).setThrottleTimeMs(0));
    }
}
