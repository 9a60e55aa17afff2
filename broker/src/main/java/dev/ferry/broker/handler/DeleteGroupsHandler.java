package dev.ferry.broker.handler;

import dev.ferry.broker.group.GroupCoordinator;
import dev.ferry.broker.tenant.Permission;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.DeleteGroupsRequestData;
import dev.ferry.protocol.message.DeleteGroupsResponseData;
import dev.ferry.protocol.message.DeleteGroupsResponseData.DeletableGroupResult;
import java.util.concurrent.CompletableFuture;

/**
 * DeleteGroups: each group without members is removed with its committed offsets; a group with members is
 * NON_EMPTY_GROUP, an unknown one GROUP_ID_NOT_FOUND, an empty id INVALID_GROUP_ID. A group a tenant may not manage
 * (not its own, or a role without {@link Permission#MANAGE_GROUPS}) is GROUP_AUTHORIZATION_FAILED and stays. Answered
 * in request order.
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
            Errors error = context.authorizeGroup(groupId, Permission.MANAGE_GROUPS);
            if (error == Errors.NONE) {
                error = coordinator.deleteGroup(groupId);
            }
            response.results().add(new DeletableGroupResult().setGroupId(groupId).setErrorCode(error.code()));
        }
        return CompletableFuture.completedFuture(response);
    }
}
