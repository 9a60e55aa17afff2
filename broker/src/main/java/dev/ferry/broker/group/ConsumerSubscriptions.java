package dev.ferry.broker.group;

import dev.ferry.protocol.ConsumerProtocol;
import dev.ferry.protocol.ProtocolException;
import java.util.HashSet;
import java.util.Set;

/**
 * The topics the members of a classic {@code consumer} group subscribe to, read from the subscription each member
 * sent as its protocol metadata.
 */
final class ConsumerSubscriptions {

    private ConsumerSubscriptions() {
    }

    /**
     * Every topic some member subscribes to, for the group's selected protocol (or each member's first protocol
     * while none is selected). Metadata that cannot be read adds nothing, as Kafka treats it.
     */
    static Set<String> topics(ClassicGroup group) {
        Set<String> topics = new HashSet<>();
        for (ClassicGroupMember member : group.members()) {
            String protocol = group.protocolName() != null ? group.protocolName()
                    : member.protocols().isEmpty() ? null : member.protocols().get(0).name();
            if (protocol == null) {
                continue;
            }
            try {
                topics.addAll(ConsumerProtocol.readSubscription(member.metadata(protocol)).topics());
            } catch (ProtocolException e) {
                // not a consumer subscription: no topic to protect
            }
        }
        return topics;
    }
}
