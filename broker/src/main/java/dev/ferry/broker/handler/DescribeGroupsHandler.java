package dev.ferry.broker.handler;

import dev.ferry.broker.group.GroupCoordinator;
import dev.ferry.broker.tenant.Permission;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.DescribeGroupsRequestData;
import dev.ferry.protocol.message.DescribeGroupsResponseData;
import dev.ferry.protocol.message.DescribeGroupsResponseData.DescribedGroup;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeGroups: state, protocol and members of each classic group asked for, in request order. An empty group id
 * is INVALID_GROUP_ID; an unknown group is Dead, or GROUP_ID_NOT_FOUND from version 6. A group a tenant may not
 * describe (not its own) is GROUP_AUTHORIZATION_FAILED, with no state, protocol, members or operations.
 */
public final class DescribeGroupsHandler implements ApiHandler<DescribeGroupsRequestData> {

    private final GroupCoordinator coordinator;

    public DescribeGroupsHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<DescribeGroupsResponseData> handle(RequestContext context,
                                                                DescribeGroupsRequestData request) {
        int operations = request.includeAuthorizedOperations() ? AuthorizedOperations.group(context)
                : AuthorizedOperations.NOT_REQUESTED;
        DescribeGroupsResponseData response = new DescribeGroupsResponseData().setThrottleTimeMs(0);
        for (String groupId : request.groups()) {
            Errors denied = context.authorizeGroup(groupId, Permission.DESCRIBE);
            if (denied != Errors.NONE) {
                response.groups().add(new DescribedGroup().setGroupId(groupId).setErrorCode(denied.code())
                        .setGroupState("").setProtocolType("").setProtocolData("")
                        .setAuthorizedOperations(AuthorizedOperations.NOT_REQUESTED));
            } else if (!GroupCoordinator.isValidGroupId(groupId)) {
                response.groups().add(new DescribedGroup().setGroupId(groupId == null ? "" : groupId)
                        .setErrorCode(Errors.INVALID_GROUP_ID.code()).setGroupState("").setProtocolType("")
                        .setProtocolData("").setAuthorizedOperations(operations));
            } else {
                response.groups().add(coordinator.describeGroup(groupId, context.apiVersion(), operations));
            }
        }
        return CompletableFuture.completedFuture(response);
    }
}
