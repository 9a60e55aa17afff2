package dev.ferry.client;

import dev.ferry.client.ClusterMetadata.TopicInfo;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.FindCoordinatorRequestData;
import dev.ferry.protocol.message.FindCoordinatorResponseData;
import dev.ferry.protocol.message.FindCoordinatorResponseData.Coordinator;
import dev.ferry.protocol.message.MetadataRequestData;
import dev.ferry.protocol.message.MetadataRequestData.MetadataRequestTopic;
import dev.ferry.protocol.message.MetadataResponseData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The client's view of a cluster: a bootstrap connection for Metadata, one shared connection per broker opened on
 * first use, the brokers' addresses from the latest Metadata answer, and coordinator lookup.
 *
 * <p>A connection that broke is replaced by a new one on the next request for it. Shared connections carry one
 * request at a time, so a caller that blocks for long (a JoinGroup) opens a connection of its own with
 * {@link #openDedicated(Node)}.
 *
 * <p><b>Thread-safe.</b>
 */
public final class KafkaCluster implements AutoCloseable {

    /**
     * How long a topic the broker calls unknown is asked for again before the client gives up: long enough for a
     * topic created a moment ago to reach every broker's metadata, short enough for a typo to fail promptly.
     */
    static final Duration UNKNOWN_TOPIC_GRACE = Duration.ofSeconds(2);
    private static final byte GROUP_KEY_TYPE = 0;
    private static final short FIRST_BATCHED_FIND_COORDINATOR_VERSION = 4;

    private final ClientSettings settings;
    private final Object lock = new Object();
    private final Map<Integer, KafkaConnection> connections = new HashMap<>();
    private final Map<Integer, Node> nodes = new HashMap<>();
    private KafkaConnection bootstrap;
    private boolean closed;

    public KafkaCluster(ClientSettings settings) {
        this.settings = settings;
    }

    public ClientSettings settings() {
        return settings;
    }

    /**
     * Asks for the metadata of {@code topics}, or of every topic when {@code topics} is null.
     *
     * @param allowAutoCreate whether the broker may create the topics that do not exist, if it is allowed to
     * @throws ConnectionFailedException when no broker can be reached
     */
    public ClusterMetadata metadata(Collection<String> topics, boolean allowAutoCreate) {
        try {
            return metadataOnce(topics, allowAutoCreate);
        } catch (ConnectionFailedException e) {
            // a broken connection is replaced by anyConnection(); one more try tells a dead broker from a stale socket
            return metadataOnce(topics, allowAutoCreate);
        }
    }

    private ClusterMetadata metadataOnce(Collection<String> topics, boolean allowAutoCreate) {
        KafkaConnection connection = anyConnection();
        short version = connection.versions().version(ApiMessageType.METADATA);
        MetadataResponseData response = connection.send(ApiMessageType.METADATA, version, settings.requestTimeout(),
                v -> metadataRequest(v, topics, allowAutoCreate));
        ClusterMetadata metadata = ClusterMetadata.from(response);
        synchronized (lock) {
            nodes.putAll(metadata.nodes());
        }
        return metadata;
    }

    private static MetadataRequestData metadataRequest(short version, Collection<String> topics,
                                                       boolean allowAutoCreate) {
        MetadataRequestData request = new MetadataRequestData();
        if (topics == null) {
            // version 0 knows no null list: an empty one means every topic there
            request.setTopics(version == 0 ? new ArrayList<>() : null);
        } else {
            List<MetadataRequestTopic> wanted = new ArrayList<>();
            for (String topic : topics) {
                wanted.add(new MetadataRequestTopic().setName(topic));
            }
            request.setTopics(wanted);
        }
        if (version >= 4) {
            request.setAllowAutoTopicCreation(allowAutoCreate);
        }
        return request;
    }

    /**
     * Waits until every one of {@code topics} exists and has a leader for each partition, asking the broker to
     * create missing ones when {@code allowAutoCreate}.
     *
     * @return the metadata holding the topics
     * @throws KafkaErrorException    when a topic does not exist (after {@link #UNKNOWN_TOPIC_GRACE}), is not
     *                                authorized or is invalid
     * @throws ClientTimeoutException when some partition still has no leader after {@code timeout}
     */
    public ClusterMetadata awaitTopics(Collection<String> topics, boolean allowAutoCreate, Duration timeout) {
        long now = System.nanoTime();
        long deadline = now + timeout.toNanos();
        long unknownDeadline = now + Math.min(timeout.toNanos(), UNKNOWN_TOPIC_GRACE.toNanos());
        while (true) {
            ClusterMetadata metadata = metadata(topics, allowAutoCreate);
            String waitingFor = null;
            for (String name : topics) {
                TopicInfo topic = metadata.topic(name);
                Errors error = topic == null ? Errors.UNKNOWN_TOPIC_OR_PARTITION : topic.error();
                if (error == Errors.NONE && topic.allLeadersKnown()) {
                    continue;
                }
                if (error == Errors.UNKNOWN_TOPIC_OR_PARTITION) {
                    if (System.nanoTime() - unknownDeadline >= 0) {
                        throw new KafkaErrorException(error, ErrorMessages.forTopic(error, name)
                                + (allowAutoCreate ? " (and the broker does not create topics automatically)" : ""));
                    }
                } else if (error != Errors.NONE && !error.retriable() && error != Errors.LEADER_NOT_AVAILABLE) {
                    throw new KafkaErrorException(error, ErrorMessages.forTopic(error, name));
                }
                waitingFor = name;
            }
            if (waitingFor == null) {
                return metadata;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new ClientTimeoutException("topic '" + waitingFor + "' has partitions without a leader after "
                        + timeout.toMillis() + " ms");
            }
            Pause.sleep(settings.retryBackoff());
        }
    }

    /**
     * Finds the coordinator of {@code groupId}, retrying while the broker reports none available, for up to the
     * request timeout.
     *
     * @throws KafkaErrorException when the broker refuses (not authorized, invalid group id)
     */
    public Node findCoordinator(String groupId) {
        long deadline = System.nanoTime() + settings.requestTimeout().toNanos();
        while (true) {
            KafkaConnection connection = anyConnection();
            short version = connection.versions().version(ApiMessageType.FIND_COORDINATOR);
            FindCoordinatorResponseData response = connection.send(ApiMessageType.FIND_COORDINATOR, version,
                    settings.requestTimeout(), v -> findCoordinatorRequest(v, groupId));
            Errors error;
            Node node;
            if (version >= FIRST_BATCHED_FIND_COORDINATOR_VERSION) {
                if (response.coordinators().isEmpty()) {
                    throw new KafkaClientException("the broker answered FindCoordinator without a coordinator");
                }
                Coordinator coordinator = response.coordinators().get(0);
                error = Errors.forCode(coordinator.errorCode());
                node = new Node(coordinator.nodeId(), coordinator.host(), coordinator.port());
            } else {
                error = Errors.forCode(response.errorCode());
                node = new Node(response.nodeId(), response.host(), response.port());
            }
            if (error == Errors.NONE) {
                synchronized (lock) {
                    nodes.put(node.id(), node);
                }
                return node;
            }
            if (!error.retriable()) {
                throw new KafkaErrorException(error, ErrorMessages.forGroup(error, groupId));
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new ClientTimeoutException("no coordinator for group '" + groupId + "' within "
                        + settings.requestTimeout().toMillis() + " ms (" + error.name() + ")");
            }
            Pause.sleep(settings.retryBackoff());
        }
    }

    private static FindCoordinatorRequestData findCoordinatorRequest(short version, String groupId) {
        FindCoordinatorRequestData request = new FindCoordinatorRequestData().setKeyType(GROUP_KEY_TYPE);
        if (version >= FIRST_BATCHED_FIND_COORDINATOR_VERSION) {
            request.setCoordinatorKeys(List.of(groupId));
        } else {
            request.setKey(groupId);
        }
        return request;
    }

    /**
     * The shared connection to broker {@code nodeId}, opened if need be.
     *
     * @throws KafkaClientException when no Metadata answer has named that broker
     */
    public KafkaConnection connection(int nodeId) {
        synchronized (lock) {
            ensureOpen();
            KafkaConnection connection = connections.get(nodeId);
            if (connection != null && connection.isOpen()) {
                return connection;
            }
            Node node = nodes.get(nodeId);
            if (node == null) {
                throw new KafkaClientException("broker " + nodeId + " is not in the cluster metadata");
            }
            connection = KafkaConnection.open(node.address(), settings);
            connections.put(nodeId, connection);
            return connection;
        }
    }

    /**
     * A connection to any broker: the bootstrap broker, else one of the brokers metadata named.
     *
     * @throws ConnectionFailedException when none can be reached; the message is the bootstrap broker's failure
     */
    public KafkaConnection anyConnection() {
        synchronized (lock) {
            ensureOpen();
            if (bootstrap != null && bootstrap.isOpen()) {
                return bootstrap;
            }
            try {
                bootstrap = KafkaConnection.open(settings.bootstrap(), settings);
                return bootstrap;
            } catch (ConnectionFailedException e) {
                for (Node node : new ArrayList<>(nodes.values())) {
                    try {
                        return connection(node.id());
                    } catch (ConnectionFailedException ignored) {
                        // try the next broker; the bootstrap failure is the one reported
                    }
                }
                throw e;
            }
        }
    }

    /** A new connection to {@code node} that the caller owns and closes. */
    public KafkaConnection openDedicated(Node node) {
        synchronized (lock) {
            ensureOpen();
        }
        return KafkaConnection.open(node.address(), settings);
    }

    /** The broker with id {@code nodeId} as last described, or null. */
    public Node node(int nodeId) {
        synchronized (lock) {
            return nodes.get(nodeId);
        }
    }

    /** Every broker last described, by id. */
    public Map<Integer, Node> nodes() {
        synchronized (lock) {
            return new LinkedHashMap<>(nodes);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new KafkaClientException("the client is closed");
        }
    }

    /** Closes every shared connection; idempotent. Dedicated connections are their owners' to close. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (bootstrap != null) {
                bootstrap.close();
            }
            connections.values().forEach(KafkaConnection::close);
            connections.clear();
        }
    }
}
