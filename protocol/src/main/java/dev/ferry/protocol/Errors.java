package dev.ferry.protocol;

import static dev.ferry.protocol.Errors.Retry.NOT_RETRIABLE;
import static dev.ferry.protocol.Errors.Retry.RETRIABLE;

/**
 * The error codes of the Kafka protocol, one constant per code a Kafka 4.x client knows.
 * <p>
 * Names and numbers are protocol facts and never change; a test compares every constant with the client library so
 * they cannot drift. {@link #retriable()} follows the client's own classification: a client retries a request that
 * failed with a retriable error by itself, and surfaces any other error to the application. The default messages
 * are short descriptions for responses that carry an error message field and for logs.
 * <p>
 * Immutable and thread-safe.
 */
public enum Errors {
    UNKNOWN_SERVER_ERROR(-1, NOT_RETRIABLE, "The server failed unexpectedly while handling the request."),
    NONE(0, NOT_RETRIABLE, "No error."),
    OFFSET_OUT_OF_RANGE(1, NOT_RETRIABLE, "The offset is outside the range of offsets the partition holds."),
    CORRUPT_MESSAGE(2, RETRIABLE, "The message is corrupt: bad CRC, impossible size or broken framing."),
    UNKNOWN_TOPIC_OR_PARTITION(3, RETRIABLE, "This broker does not host the topic-partition."),
    INVALID_FETCH_SIZE(4, NOT_RETRIABLE, "The fetch size is invalid."),
    LEADER_NOT_AVAILABLE(5, RETRIABLE, "The partition has no leader at the moment."),
    NOT_LEADER_OR_FOLLOWER(6, RETRIABLE, "This broker is not the leader, or not a replica, of the partition."),
    REQUEST_TIMED_OUT(7, RETRIABLE, "The request did not complete in time."),
    BROKER_NOT_AVAILABLE(8, NOT_RETRIABLE, "The broker is not available."),
    REPLICA_NOT_AVAILABLE(9, RETRIABLE, "The replica of the partition is not available."),
    MESSAGE_TOO_LARGE(10, NOT_RETRIABLE, "The record batch is larger than the largest the server accepts."),
    STALE_CONTROLLER_EPOCH(11, NOT_RETRIABLE, "The controller has moved to another node."),
    OFFSET_METADATA_TOO_LARGE(12, NOT_RETRIABLE, "The metadata attached to the committed offset is too large."),
    NETWORK_EXCEPTION(13, RETRIABLE, "The connection closed before a response arrived."),
    COORDINATOR_LOAD_IN_PROGRESS(14, RETRIABLE, "The coordinator is still loading its state."),
    COORDINATOR_NOT_AVAILABLE(15, RETRIABLE, "The coordinator is not available."),
    NOT_COORDINATOR(16, RETRIABLE, "This broker is not the coordinator for the group or transaction."),
    INVALID_TOPIC_EXCEPTION(17, NOT_RETRIABLE, "The topic name is invalid or the operation is not allowed on it."),
    RECORD_LIST_TOO_LARGE(18, NOT_RETRIABLE, "The record batch is larger than the segment size."),
    NOT_ENOUGH_REPLICAS(19, RETRIABLE, "Too few in-sync replicas to accept the records."),
    NOT_ENOUGH_REPLICAS_AFTER_APPEND(20, RETRIABLE, "The records reached fewer in-sync replicas than required."),
    INVALID_REQUIRED_ACKS(21, NOT_RETRIABLE, "The produce request asked for an invalid number of acks."),
    ILLEGAL_GENERATION(22, NOT_RETRIABLE, "The group generation is not the current one."),
    INCONSISTENT_GROUP_PROTOCOL(23, NOT_RETRIABLE, "The member's protocols do not match those of the group."),
    INVALID_GROUP_ID(24, NOT_RETRIABLE, "The group id is invalid."),
    UNKNOWN_MEMBER_ID(25, NOT_RETRIABLE, "The coordinator does not know this member."),
    INVALID_SESSION_TIMEOUT(26, NOT_RETRIABLE, "The session timeout is outside the range the broker allows."),
    REBALANCE_IN_PROGRESS(27, NOT_RETRIABLE, "The group is rebalancing; the member must rejoin."),
    INVALID_COMMIT_OFFSET_SIZE(28, NOT_RETRIABLE, "The size of the offset commit is invalid."),
    TOPIC_AUTHORIZATION_FAILED(29, NOT_RETRIABLE, "Not authorized to access the topic."),
    GROUP_AUTHORIZATION_FAILED(30, NOT_RETRIABLE, "Not authorized to access the group."),
    CLUSTER_AUTHORIZATION_FAILED(31, NOT_RETRIABLE, "Not authorized for this cluster operation."),
    INVALID_TIMESTAMP(32, NOT_RETRIABLE, "The record timestamp is outside the accepted range."),
    UNSUPPORTED_SASL_MECHANISM(33, NOT_RETRIABLE, "The broker does not offer the requested SASL mechanism."),
    ILLEGAL_SASL_STATE(34, NOT_RETRIABLE, "The request is not valid in the current SASL state."),
    UNSUPPORTED_VERSION(35, NOT_RETRIABLE, "The broker does not support this API version."),
    TOPIC_ALREADY_EXISTS(36, NOT_RETRIABLE, "A topic with this name already exists."),
    INVALID_PARTITIONS(37, NOT_RETRIABLE, "The number of partitions is invalid."),
    INVALID_REPLICATION_FACTOR(38, NOT_RETRIABLE, "The replication factor is invalid for this cluster."),
    INVALID_REPLICA_ASSIGNMENT(39, NOT_RETRIABLE, "The replica assignment is invalid."),
    INVALID_CONFIG(40, NOT_RETRIABLE, "The configuration is invalid."),
    NOT_CONTROLLER(41, RETRIABLE, "This node is not the active controller."),
    INVALID_REQUEST(42, NOT_RETRIABLE, "The request is malformed or not valid for this broker."),
    UNSUPPORTED_FOR_MESSAGE_FORMAT(43, NOT_RETRIABLE, "The message format does not support the request."),
    POLICY_VIOLATION(44, NOT_RETRIABLE, "The request violates the configured policy."),
    OUT_OF_ORDER_SEQUENCE_NUMBER(45, NOT_RETRIABLE, "The producer sequence number is out of order."),
    DUPLICATE_SEQUENCE_NUMBER(46, NOT_RETRIABLE, "The producer sequence number is a duplicate."),
    INVALID_PRODUCER_EPOCH(47, NOT_RETRIABLE, "The producer epoch is older than the current one."),
    INVALID_TXN_STATE(48, NOT_RETRIABLE, "The transactional operation is not valid in the current state."),
    INVALID_PRODUCER_ID_MAPPING(49, NOT_RETRIABLE, "The producer id is not assigned to this transactional id."),
    INVALID_TRANSACTION_TIMEOUT(50, NOT_RETRIABLE, "The transaction timeout exceeds the broker's maximum."),
    CONCURRENT_TRANSACTIONS(51, RETRIABLE, "Another operation on the same transaction is in progress."),
    TRANSACTION_COORDINATOR_FENCED(52, NOT_RETRIABLE, "The transaction coordinator has been replaced."),
    TRANSACTIONAL_ID_AUTHORIZATION_FAILED(53, NOT_RETRIABLE, "Not authorized to use the transactional id."),
    SECURITY_DISABLED(54, NOT_RETRIABLE, "Security features are disabled."),
    OPERATION_NOT_ATTEMPTED(55, NOT_RETRIABLE, "The operation was skipped because another part of the batch failed."),
    KAFKA_STORAGE_ERROR(56, RETRIABLE, "A disk error occurred while accessing the log."),
    LOG_DIR_NOT_FOUND(57, NOT_RETRIABLE, "The log directory is not configured on the broker."),
    SASL_AUTHENTICATION_FAILED(58, NOT_RETRIABLE, "SASL authentication failed."),
    UNKNOWN_PRODUCER_ID(59, NOT_RETRIABLE, "The broker holds no state for this producer id."),
    REASSIGNMENT_IN_PROGRESS(60, NOT_RETRIABLE, "A partition reassignment is in progress."),
    DELEGATION_TOKEN_AUTH_DISABLED(61, NOT_RETRIABLE, "Delegation tokens are disabled."),
    DELEGATION_TOKEN_NOT_FOUND(62, NOT_RETRIABLE, "The delegation token does not exist."),
    DELEGATION_TOKEN_OWNER_MISMATCH(63, NOT_RETRIABLE, "The principal does not own or renew the delegation token."),
    DELEGATION_TOKEN_REQUEST_NOT_ALLOWED(64, NOT_RETRIABLE, "Delegation token requests are not allowed here."),
    DELEGATION_TOKEN_AUTHORIZATION_FAILED(65, NOT_RETRIABLE, "Not authorized for the delegation token."),
    DELEGATION_TOKEN_EXPIRED(66, NOT_RETRIABLE, "The delegation token has expired."),
    INVALID_PRINCIPAL_TYPE(67, NOT_RETRIABLE, "The principal type is not supported."),
    NON_EMPTY_GROUP(68, NOT_RETRIABLE, "The group still has members."),
    GROUP_ID_NOT_FOUND(69, NOT_RETRIABLE, "The group does not exist."),
    FETCH_SESSION_ID_NOT_FOUND(70, RETRIABLE, "The fetch session does not exist."),
    INVALID_FETCH_SESSION_EPOCH(71, RETRIABLE, "The fetch session epoch is invalid."),
    LISTENER_NOT_FOUND(72, RETRIABLE, "The leader has no listener matching the one the request arrived on."),
    TOPIC_DELETION_DISABLED(73, NOT_RETRIABLE, "Topic deletion is disabled."),
    FENCED_LEADER_EPOCH(74, RETRIABLE, "The leader epoch in the request is older than the broker's."),
    UNKNOWN_LEADER_EPOCH(75, RETRIABLE, "The leader epoch in the request is newer than the broker's."),
    UNSUPPORTED_COMPRESSION_TYPE(76, NOT_RETRIABLE, "The client does not support the compression type of the data."),
    STALE_BROKER_EPOCH(77, NOT_RETRIABLE, "The broker epoch has changed."),
    OFFSET_NOT_AVAILABLE(78, RETRIABLE, "The leader's high watermark has not caught up after an election."),
    MEMBER_ID_REQUIRED(79, NOT_RETRIABLE, "The member must rejoin with the member id it was given."),
    PREFERRED_LEADER_NOT_AVAILABLE(80, RETRIABLE, "The preferred leader is not available."),
    GROUP_MAX_SIZE_REACHED(81, NOT_RETRIABLE, "The group has reached its maximum size."),
    FENCED_INSTANCE_ID(82, NOT_RETRIABLE, "Another member with the same group instance id replaced this one."),
    ELIGIBLE_LEADERS_NOT_AVAILABLE(83, RETRIABLE, "No eligible leader is available for the partition."),
    ELECTION_NOT_NEEDED(84, RETRIABLE, "The partition does not need a leader election."),
    NO_REASSIGNMENT_IN_PROGRESS(85, NOT_RETRIABLE, "No partition reassignment is in progress."),
    GROUP_SUBSCRIBED_TO_TOPIC(86, NOT_RETRIABLE, "The group is subscribed to the topic whose offsets it would delete."),
    INVALID_RECORD(87, NOT_RETRIABLE, "The broker rejected the record as invalid."),
    UNSTABLE_OFFSET_COMMIT(88, RETRIABLE, "Pending transactional offsets must settle first."),
    THROTTLING_QUOTA_EXCEEDED(89, RETRIABLE, "The throttling quota has been exceeded."),
    PRODUCER_FENCED(90, NOT_RETRIABLE, "A newer producer with the same transactional id fenced this one."),
    RESOURCE_NOT_FOUND(91, NOT_RETRIABLE, "The request refers to a resource that does not exist."),
    DUPLICATE_RESOURCE(92, NOT_RETRIABLE, "The request refers to the same resource twice."),
    UNACCEPTABLE_CREDENTIAL(93, NOT_RETRIABLE, "The credential does not meet the acceptance criteria."),
    INCONSISTENT_VOTER_SET(94, NOT_RETRIABLE, "The sender or receiver is not one of the expected voters."),
    INVALID_UPDATE_VERSION(95, NOT_RETRIABLE, "The update version is invalid."),
    FEATURE_UPDATE_FAILED(96, NOT_RETRIABLE, "The finalized features could not be updated."),
    PRINCIPAL_DESERIALIZATION_FAILURE(97, NOT_RETRIABLE, "The forwarded principal could not be deserialized."),
    SNAPSHOT_NOT_FOUND(98, NOT_RETRIABLE, "The snapshot does not exist."),
    POSITION_OUT_OF_RANGE(99, NOT_RETRIABLE, "The position is outside the snapshot."),
    UNKNOWN_TOPIC_ID(100, RETRIABLE, "This broker does not host a topic with this id."),
    DUPLICATE_BROKER_REGISTRATION(101, NOT_RETRIABLE, "The broker id is already registered."),
    BROKER_ID_NOT_REGISTERED(102, NOT_RETRIABLE, "The broker id is not registered."),
    INCONSISTENT_TOPIC_ID(103, RETRIABLE, "The topic id does not match the log's topic id."),
    INCONSISTENT_CLUSTER_ID(104, NOT_RETRIABLE, "The cluster id does not match this cluster."),
    TRANSACTIONAL_ID_NOT_FOUND(105, NOT_RETRIABLE, "The transactional id does not exist."),
    FETCH_SESSION_TOPIC_ID_ERROR(106, RETRIABLE, "The fetch session used topic ids inconsistently."),
    INELIGIBLE_REPLICA(107, NOT_RETRIABLE, "The new in-sync replica set contains an ineligible replica."),
    NEW_LEADER_ELECTED(108, NOT_RETRIABLE, "The partition state was updated but the leader has changed."),
    OFFSET_MOVED_TO_TIERED_STORAGE(109, NOT_RETRIABLE, "The offset has moved to tiered storage."),
    FENCED_MEMBER_EPOCH(110, NOT_RETRIABLE, "The member epoch is fenced; the member must rejoin."),
    UNRELEASED_INSTANCE_ID(111, NOT_RETRIABLE, "Another member still uses this group instance id."),
    UNSUPPORTED_ASSIGNOR(112, NOT_RETRIABLE, "The group does not support the assignor."),
    STALE_MEMBER_EPOCH(113, NOT_RETRIABLE, "The member epoch is stale; the member must refresh it."),
    MISMATCHED_ENDPOINT_TYPE(114, NOT_RETRIABLE, "The request reached an endpoint of the wrong type."),
    UNSUPPORTED_ENDPOINT_TYPE(115, NOT_RETRIABLE, "The endpoint type is not supported."),
    UNKNOWN_CONTROLLER_ID(116, NOT_RETRIABLE, "The controller id is unknown."),
    UNKNOWN_SUBSCRIPTION_ID(117, NOT_RETRIABLE, "The telemetry subscription id is unknown or outdated."),
    TELEMETRY_TOO_LARGE(118, NOT_RETRIABLE, "The telemetry push is larger than the broker accepts."),
    INVALID_REGISTRATION(119, NOT_RETRIABLE, "The controller considers the broker registration invalid."),
    TRANSACTION_ABORTABLE(120, NOT_RETRIABLE, "The transaction failed and should be aborted."),
    INVALID_RECORD_STATE(121, NOT_RETRIABLE, "The record state does not allow the acknowledgement."),
    SHARE_SESSION_NOT_FOUND(122, RETRIABLE, "The share session does not exist."),
    INVALID_SHARE_SESSION_EPOCH(123, RETRIABLE, "The share session epoch is invalid."),
    FENCED_STATE_EPOCH(124, NOT_RETRIABLE, "The share group state epoch does not match."),
    INVALID_VOTER_KEY(125, NOT_RETRIABLE, "The voter key does not match the receiving replica."),
    DUPLICATE_VOTER(126, NOT_RETRIABLE, "The voter is already in the voter set."),
    VOTER_NOT_FOUND(127, NOT_RETRIABLE, "The voter is not in the voter set."),
    INVALID_REGULAR_EXPRESSION(128, NOT_RETRIABLE, "The regular expression is invalid."),
    REBOOTSTRAP_REQUIRED(129, NOT_RETRIABLE, "The client must rebootstrap its metadata."),
    STREAMS_INVALID_TOPOLOGY(130, NOT_RETRIABLE, "The streams topology is invalid."),
    STREAMS_INVALID_TOPOLOGY_EPOCH(131, NOT_RETRIABLE, "The streams topology epoch is invalid."),
    STREAMS_TOPOLOGY_FENCED(132, NOT_RETRIABLE, "The streams topology was updated by another member."),
    SHARE_SESSION_LIMIT_REACHED(133, RETRIABLE, "The broker has reached its limit of share sessions.");

    /** Marks whether a client retries a request that failed with an error on its own. */
    enum Retry {
        RETRIABLE,
        NOT_RETRIABLE
    }

    private static final int LOWEST_CODE = -1;
    private static final Errors[] BY_CODE = indexByCode();

    private final short code;
    private final boolean retriable;
    private final String message;

    Errors(int code, Retry retry, String message) {
        this.code = (short) code;
        this.retriable = retry == Retry.RETRIABLE;
        this.message = message;
    }

    /**
     * Returns the code sent on the wire.
     *
     * @return the error code
     */
    public short code() {
        return code;
    }

    /**
     * Returns a short description, used when a response carries no more specific message.
     *
     * @return the default message, never null
     */
    public String message() {
        return message;
    }

    /**
     * Tells whether a Kafka client treats the error as transient and retries the request by itself.
     *
     * @return true for errors the client retries
     */
    public boolean retriable() {
        return retriable;
    }

    /**
     * Finds the error for a wire code.
     *
     * @param code the code read from a message
     * @return the error with that code, or {@link #UNKNOWN_SERVER_ERROR} for a code this enum does not know
     */
    public static Errors forCode(short code) {
        final int index = code - LOWEST_CODE;
        if (index < 0 || index >= BY_CODE.length || BY_CODE[index] == null) {
            return UNKNOWN_SERVER_ERROR;
        }
        return BY_CODE[index];
    }

    private static Errors[] indexByCode() {
        int highest = LOWEST_CODE;
        for (Errors error : values()) {
            highest = Math.max(highest, error.code);
        }
        Errors[] byCode = new Errors[highest - LOWEST_CODE + 1];
        for (Errors error : values()) {
            if (byCode[error.code - LOWEST_CODE] != null) {
                throw new IllegalStateException("Error code " + error.code + " is used twice");
            }
            byCode[error.code - LOWEST_CODE] = error;
        }
        return byCode;
    }
}
