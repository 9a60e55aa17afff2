package dev.ferry.broker.handler;

import dev.ferry.broker.group.GroupCoordinator;
import dev.ferry.protocol.message.DeleteGroupsRequestData;
import dev.ferry.protocol.message.DeleteGroupsResponseData;
import dev.ferry.protocol.message.DeleteGroupsResponseData.DeletableGroupResult;
import java.util.concurrent.CompletableFuture;

/**
 * DeleteGroups: each group without members is removed with its committed offsets; a group with members is
 * NON_EMPTY_GROUP, an unknown one GROUP_ID_NOT_FOUND, an empty id INVALID_GROUP_ID. Answered in request order.
 */
public final class DeleteGroupsHandler implements ApiHandler<DeleteGroupsRequestData> {

    private final GroupCoordinator coordinator;

    public DeleteGroupsHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<DeleteGroupsResponseData> handle(RequestContext context, DeleteGroupsRequestData request) {
        DeleteGroupsResponseData response = new DeleteGroupsResponseData().setThrottleTimeMs(0);
        for (String groupId : request.groupsNames()) {
            response.results().add(new DeletableGroupResult().setGroupId(groupId)
                    .setErrorCode(coordinator.deleteGroup(groupId).code()));
        }
        return CompletableFuture.completedFuture(response);
    }
}
