package dev.ferry.broker.group.consumer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The server-side assignors Ferry offers, looked up by the names of {@code group.consumer.assignors}. */
final class ServerAssignors {

    private static final Map<String, ServerAssignor> ALL = Map.of(
            UniformAssignor.NAME, new UniformAssignor(),
            RangeAssignor.NAME, new RangeAssignor());

    private ServerAssignors() {
    }

    /**
     * The assignors of {@code names}, in their order.
     *
     * @throws IllegalArgumentException for a name no assignor has
     */
    static Map<String, ServerAssignor> named(List<String> names) {
        Map<String, ServerAssignor> assignors = new LinkedHashMap<>();
        for (String name : names) {
            ServerAssignor assignor = ALL.get(name);
            if (assignor == null) {
                throw new IllegalArgumentException("Unknown consumer group assignor '" + name + "'; known: "
                        + String.join(", ", ALL.keySet()));
            }
            assignors.put(name, assignor);
        }
        return assignors;
    }
}
