package dev.ferry.broker.handler;

/**
 * The authorized-operations bit fields Kafka reports when asked (Metadata, DescribeCluster) and no authorizer is
 * configured: every operation the resource type supports, one bit per {@code AclOperation} code.
 */
final class AuthorizedOperations {

    /** Sent when the client did not ask for authorized operations. */
    static final int NOT_REQUESTED = Integer.MIN_VALUE;

    private static final int READ = 3;
    private static final int WRITE = 4;
    private static final int CREATE = 5;
    private static final int DELETE = 6;
    private static final int ALTER = 7;
    private static final int DESCRIBE = 8;
    private static final int CLUSTER_ACTION = 9;
    private static final int DESCRIBE_CONFIGS = 10;
    private static final int ALTER_CONFIGS = 11;
    private static final int IDEMPOTENT_WRITE = 12;

    /** Kafka's supported operations on a topic. */
    static final int TOPIC = bits(READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS);

    /** Kafka's supported operations on the cluster. */
    static final int CLUSTER = bits(CREATE, ALTER, DESCRIBE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS,
            IDEMPOTENT_WRITE);

    /** Kafka's supported operations on a group. */
    static final int GROUP = bits(READ, DELETE, DESCRIBE);

    private AuthorizedOperations() {
    }

    private static int bits(int... operations) {
        int field = 0;
        for (int operation : operations) {
            field |= 1 << operation;
        }
        return field;
    }
}
