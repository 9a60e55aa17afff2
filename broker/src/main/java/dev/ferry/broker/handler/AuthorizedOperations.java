package dev.ferry.broker.handler;

import dev.ferry.broker.tenant.Permission;

/**
 * The authorized-operations bit fields reported when a client asks (Metadata, DescribeCluster, DescribeGroups,
 * ConsumerGroupDescribe), one bit per {@code AclOperation} code. An open broker reports what Kafka does without an
 * authorizer: every operation the resource type supports. A tenant's request gets those its key's role permits on
 * its own resources (the only ones it is shown).
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
    private static final int TOPIC = bits(READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS,
            ALTER_CONFIGS);

    /** Kafka's supported operations on the cluster. */
    private static final int CLUSTER = bits(CREATE, ALTER, DESCRIBE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS,
            IDEMPOTENT_WRITE);

    /** Kafka's supported operations on a group. */
    private static final int GROUP = bits(READ, DELETE, DESCRIBE);

    private AuthorizedOperations() {
    }

    /** The operations {@code context} may do on a topic it can see. */
    static int topic(RequestContext context) {
        if (!context.isTenant()) {
            return TOPIC;
        }
        return bitsIf(context, Permission.READ, READ)
                | bitsIf(context, Permission.WRITE, WRITE)
                | bitsIf(context, Permission.CREATE_TOPICS, CREATE, ALTER)
                | bitsIf(context, Permission.MANAGE_TOPICS, DELETE, ALTER_CONFIGS)
                | bitsIf(context, Permission.DESCRIBE, DESCRIBE, DESCRIBE_CONFIGS);
    }

    /**
     * The operations {@code context} may do on the cluster: a tenant may describe it, but never alter it or read the
     * broker's configuration.
     */
    static int cluster(RequestContext context) {
        if (!context.isTenant()) {
            return CLUSTER;
        }
        return bitsIf(context, Permission.CREATE_TOPICS, CREATE)
                | bitsIf(context, Permission.WRITE, IDEMPOTENT_WRITE)
                | bitsIf(context, Permission.DESCRIBE, DESCRIBE);
    }

    /** The operations {@code context} may do on a group it can see. */
    static int group(RequestContext context) {
        if (!context.isTenant()) {
            return GROUP;
        }
        return bitsIf(context, Permission.JOIN_GROUPS, READ)
                | bitsIf(context, Permission.COMMIT_OFFSETS, READ)
                | bitsIf(context, Permission.MANAGE_GROUPS, DELETE)
                | bitsIf(context, Permission.DESCRIBE, DESCRIBE);
    }

    private static int bitsIf(RequestContext context, Permission permission, int... operations) {
        return context.permits(permission) ? bits(operations) : 0;
    }

    private static int bits(int... operations) {
        int field = 0;
        for (int operation : operations) {
            field |= 1 << operation;
        }
        return field;
    }
}
