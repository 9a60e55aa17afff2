package dev.ferry.broker.handler;

import dev.ferry.broker.group.GroupCoordinator;
import dev.ferry.broker.group.consumer.ConsumerGroups;
import dev.ferry.broker.tenant.Permission;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ConsumerGroupDescribeRequestData;
import dev.ferry.protocol.message.ConsumerGroupDescribeResponseData;
import dev.ferry.protocol.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * ConsumerGroupDescribe: each requested group in request order, as the consumer groups describe it. An empty group
 * id is INVALID_GROUP_ID, as Kafka answers it; an unknown id or a classic group's is GROUP_ID_NOT_FOUND. When asked,
 * a described group carries every operation Kafka supports on a group (no authorizer is configured); a group in
 * error carries none, as in Kafka. Version 1 adds each member's type, always "consumer" (1) here. A group a tenant
 * may not describe (not its own) is GROUP_AUTHORIZATION_FAILED.
 */
public final class ConsumerGroupDescribeHandler implements ApiHandler<ConsumerGroupDescribeRequestData> {

    private final ConsumerGroups groups;

    public ConsumerGroupDescribeHandler(ConsumerGroups groups) {
        this.groups = groups;
    }

    @Override
    public CompletableFuture<ConsumerGroupDescribeResponseData> handle(RequestContext context,
                                                                       ConsumerGroupDescribeRequestData request) {
        List<DescribedGroup> described = new ArrayList<>();
        for (String groupId : request.groupIds()) {
            DescribedGroup group;
            Errors denied = context.authorizeGroup(groupId, Permission.DESCRIBE);
            if (denied != Errors.NONE) {
                group = new DescribedGroup().setGroupId(groupId).setErrorCode(denied.code());
            } else if (!GroupCoordinator.isValidGroupId(groupId)) {
                group = new DescribedGroup().setGroupId(groupId).setErrorCode(Errors.INVALID_GROUP_ID.code());
            } else {
                group = groups.describe(groupId);
            }
            if (request.includeAuthorizedOperations() && group.errorCode() == Errors.NONE.code()) {
                group.setAuthorizedOperations(AuthorizedOperations.group(context));
            }
            described.add(group);
        }
        return CompletableFuture.completedFuture(new ConsumerGroupDescribeResponseData().setThrottleTimeMs(0)
                .setGroups(described));
    }
}
