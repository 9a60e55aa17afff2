package dev.ferry.broker.handler;

import dev.ferry.broker.group.GroupCoordinator;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ListGroupsRequestData;
import dev.ferry.protocol.message.ListGroupsResponseData;
import dev.ferry.protocol.message.ListGroupsResponseData.ListedGroup;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * ListGroups: every group of the broker — classic, consumer (KIP-848) and simple groups holding only offsets — with
 * the state (version 4+) and type (5+) filters applied, case-insensitively, as Kafka does. A tenant sees only its own
 * application's groups, as a Kafka client sees only the groups it may describe.
 */
public final class ListGroupsHandler implements ApiHandler<ListGroupsRequestData> {

    private final GroupCoordinator coordinator;

    public ListGroupsHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<ListGroupsResponseData> handle(RequestContext context, ListGroupsRequestData request) {
        List<String> states = request.statesFilter() == null ? List.of() : request.statesFilter();
        List<String> types = request.typesFilter() == null ? List.of() : request.typesFilter();
        List<ListedGroup> groups = coordinator.listGroups(states, types);
        if (context.isTenant()) {
            groups.removeIf(group -> !context.canSee(group.groupId()));
        }
        return CompletableFuture.completedFuture(new ListGroupsResponseData().setThrottleTimeMs(0)
                .setErrorCode(Errors.NONE.code()).setGroups(groups));
    }
}
