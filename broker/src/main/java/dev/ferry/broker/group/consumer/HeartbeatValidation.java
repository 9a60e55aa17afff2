package dev.ferry.broker.group.consumer;

import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ConsumerGroupHeartbeatRequestData;
import java.util.Collection;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The checks Kafka makes of a ConsumerGroupHeartbeat before looking at the group, with its error messages. Version
 * 1 (KIP-1082) has the client generate its member id, so an empty one is invalid even when joining.
 */
final class HeartbeatValidation {

    static final int JOIN_EPOCH = 0;
    static final int LEAVE_EPOCH = -1;
    static final int STATIC_LEAVE_EPOCH = -2;
    static final short FIRST_VERSION_WITH_CLIENT_MEMBER_ID = 1;

    private HeartbeatValidation() {
    }

    /**
     * @param assignors the names of the assignors offered, in order
     * @throws GroupError INVALID_REQUEST, UNSUPPORTED_ASSIGNOR or INVALID_REGULAR_EXPRESSION
     */
    static void validate(ConsumerGroupHeartbeatRequestData request, short version, Collection<String> assignors) {
        int epoch = request.memberEpoch();
        if (version >= FIRST_VERSION_WITH_CLIENT_MEMBER_ID || epoch > 0 || epoch == LEAVE_EPOCH) {
            requireNotEmpty(request.memberId(), "MemberId can't be empty.");
        }
        requireNotEmpty(request.groupId(), "GroupId can't be empty.");
        requireNotEmpty(request.instanceId(), "InstanceId can't be empty.");
        requireNotEmpty(request.rackId(), "RackId can't be empty.");
        if (epoch == JOIN_EPOCH) {
            if (request.rebalanceTimeoutMs() == -1) {
                throw invalid("RebalanceTimeoutMs must be provided in first request.");
            }
            if (request.topicPartitions() == null || !request.topicPartitions().isEmpty()) {
                throw invalid("TopicPartitions must be empty when (re-)joining.");
            }
            // an empty list of names or an empty regex is a member subscribed to nothing, which Kafka accepts
            if (request.subscribedTopicNames() == null && request.subscribedTopicRegex() == null) {
                throw invalid("Either SubscribedTopicNames or SubscribedTopicRegex must be non-null when "
                        + "(re-)joining.");
            }
        } else if (epoch == STATIC_LEAVE_EPOCH) {
            if (request.instanceId() == null) {
                throw invalid("InstanceId can't be null.");
            }
        } else if (epoch < STATIC_LEAVE_EPOCH) {
            throw invalid("MemberEpoch is invalid.");
        }
        if (request.serverAssignor() != null && !assignors.contains(request.serverAssignor())) {
            throw new GroupError(Errors.UNSUPPORTED_ASSIGNOR, "ServerAssignor " + request.serverAssignor()
                    + " is not supported. Supported assignors: " + String.join(", ", assignors) + ".");
        }
        String regex = request.subscribedTopicRegex();
        if (regex != null && !regex.isEmpty()) {
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new GroupError(Errors.INVALID_REGULAR_EXPRESSION, "SubscribedTopicRegex `" + regex
                        + "` is not a valid regular expression: " + e.getDescription() + ".");
            }
        }
    }

    private static void requireNotEmpty(String value, String message) {
        if (value != null && value.isEmpty()) {
            throw invalid(message);
        }
    }

    private static GroupError invalid(String message) {
        return new GroupError(Errors.INVALID_REQUEST, message);
    }
}
