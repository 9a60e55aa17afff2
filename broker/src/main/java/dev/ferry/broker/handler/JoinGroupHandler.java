package dev.ferry.broker.handler;

import dev.ferry.broker.group.ClassicGroups;
import dev.ferry.broker.tenant.Permission;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.JoinGroupRequestData;
import dev.ferry.protocol.message.JoinGroupResponseData;
import java.util.concurrent.CompletableFuture;

/**
 * JoinGroup: hands the request to the classic group protocol, whose answer may come only when the group's join
 * phase completes. Version 0 has no rebalance timeout: the session timeout stands in for it, as in Kafka. Before
 * version 7 the protocol name cannot be null, so an error answer carries an empty one. A tenant may join only its
 * own groups with a role allowing {@link Permission#JOIN_GROUPS}: anything else is GROUP_AUTHORIZATION_FAILED, and no
 * group is created.
 */
public final class JoinGroupHandler implements ApiHandler<JoinGroupRequestData> {

    private static final short FIRST_VERSION_WITH_NULLABLE_PROTOCOL_NAME = 7;
    private static final int NO_GENERATION = -1;

    private final ClassicGroups groups;

    public JoinGroupHandler(ClassicGroups groups) {
        this.groups = groups;
    }

    @Override
    public CompletableFuture<JoinGroupResponseData> handle(RequestContext context, JoinGroupRequestData request) {
        short version = context.apiVersion();
        Errors denied = context.authorizeGroup(request.groupId(), Permission.JOIN_GROUPS);
        if (denied != Errors.NONE) {
            // Kafka's error answer: no generation, no leader, no member id, no protocol
            return CompletableFuture.completedFuture(new JoinGroupResponseData().setThrottleTimeMs(0)
                    .setErrorCode(denied.code()).setGenerationId(NO_GENERATION)
                    .setProtocolName(version < FIRST_VERSION_WITH_NULLABLE_PROTOCOL_NAME ? "" : null)
                    .setLeader("").setMemberId(""));
        }
        if (version == 0) {
            request.setRebalanceTimeoutMs(request.sessionTimeoutMs());
        }
        return groups.join(request, ClientIdentity.clientId(context), ClientIdentity.clientHost(context), version)
                .thenApply(response -> {
                    if (version < FIRST_VERSION_WITH_NULLABLE_PROTOCOL_NAME && response.protocolName() == null) {
                        response.setProtocolName("");
                    }
                    return response.setThrottleTimeMs(0);
                });
    }
}
