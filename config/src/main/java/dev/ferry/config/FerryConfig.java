package dev.ferry.config;

import static dev.ferry.config.BrokerConfigs.ADVERTISED_LISTENERS;
import static dev.ferry.config.BrokerConfigs.AUTH_MODE;
import static dev.ferry.config.BrokerConfigs.AUTO_CREATE_TOPICS_ENABLE;
import static dev.ferry.config.BrokerConfigs.CLUSTER_ID;
import static dev.ferry.config.BrokerConfigs.CONTROLLER_LISTENER_NAMES;
import static dev.ferry.config.BrokerConfigs.DEFAULT_REPLICATION_FACTOR;
import static dev.ferry.config.BrokerConfigs.DELETE_TOPIC_ENABLE;
import static dev.ferry.config.BrokerConfigs.FETCH_MAX_BYTES;
import static dev.ferry.config.BrokerConfigs.GROUP_CONSUMER_ASSIGNORS;
import static dev.ferry.config.BrokerConfigs.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS;
import static dev.ferry.config.BrokerConfigs.GROUP_CONSUMER_MAX_SIZE;
import static dev.ferry.config.BrokerConfigs.GROUP_CONSUMER_SESSION_TIMEOUT_MS;
import static dev.ferry.config.BrokerConfigs.GROUP_INITIAL_REBALANCE_DELAY_MS;
import static dev.ferry.config.BrokerConfigs.GROUP_MAX_SESSION_TIMEOUT_MS;
import static dev.ferry.config.BrokerConfigs.GROUP_MAX_SIZE;
import static dev.ferry.config.BrokerConfigs.GROUP_MIN_SESSION_TIMEOUT_MS;
import static dev.ferry.config.BrokerConfigs.LISTENERS;
import static dev.ferry.config.BrokerConfigs.LISTENER_SECURITY_PROTOCOL_MAP;
import static dev.ferry.config.BrokerConfigs.LOG_CLEANUP_POLICY;
import static dev.ferry.config.BrokerConfigs.LOG_DIRS;
import static dev.ferry.config.BrokerConfigs.LOG_FLUSH_INTERVAL_MESSAGES;
import static dev.ferry.config.BrokerConfigs.LOG_FLUSH_INTERVAL_MS;
import static dev.ferry.config.BrokerConfigs.LOG_FLUSH_SCHEDULER_INTERVAL_MS;
import static dev.ferry.config.BrokerConfigs.LOG_INDEX_INTERVAL_BYTES;
import static dev.ferry.config.BrokerConfigs.LOG_INDEX_SIZE_MAX_BYTES;
import static dev.ferry.config.BrokerConfigs.LOG_MAX_OPEN_SEGMENTS;
import static dev.ferry.config.BrokerConfigs.LOG_MESSAGE_TIMESTAMP_TYPE;
import static dev.ferry.config.BrokerConfigs.LOG_RETENTION_BYTES;
import static dev.ferry.config.BrokerConfigs.LOG_RETENTION_CHECK_INTERVAL_MS;
import static dev.ferry.config.BrokerConfigs.LOG_RETENTION_MS;
import static dev.ferry.config.BrokerConfigs.LOG_ROLL_MS;
import static dev.ferry.config.BrokerConfigs.LOG_SEGMENT_BYTES;
import static dev.ferry.config.BrokerConfigs.MAX_CONNECTIONS;
import static dev.ferry.config.BrokerConfigs.MAX_CONNECTIONS_PER_IP;
import static dev.ferry.config.BrokerConfigs.MESSAGE_MAX_BYTES;
import static dev.ferry.config.BrokerConfigs.METRICS_HOST;
import static dev.ferry.config.BrokerConfigs.METRICS_PORT;
import static dev.ferry.config.BrokerConfigs.METRICS_TOPIC_LABELS_ENABLED;
import static dev.ferry.config.BrokerConfigs.NODE_ID;
import static dev.ferry.config.BrokerConfigs.NUM_IO_THREADS;
import static dev.ferry.config.BrokerConfigs.NUM_NETWORK_THREADS;
import static dev.ferry.config.BrokerConfigs.NUM_PARTITIONS;
import static dev.ferry.config.BrokerConfigs.OFFSETS_RETENTION_CHECK_INTERVAL_MS;
import static dev.ferry.config.BrokerConfigs.OFFSETS_RETENTION_MINUTES;
import static dev.ferry.config.BrokerConfigs.OFFSETS_STORE_SNAPSHOT_INTERVAL_ENTRIES;
import static dev.ferry.config.BrokerConfigs.OFFSETS_STORE_SYNC_ON_COMMIT;
import static dev.ferry.config.BrokerConfigs.OFFSET_METADATA_MAX_BYTES;
import static dev.ferry.config.BrokerConfigs.PRODUCER_ID_EXPIRATION_MS;
import static dev.ferry.config.BrokerConfigs.QUOTA_WINDOW_NUM;
import static dev.ferry.config.BrokerConfigs.QUOTA_WINDOW_SIZE_SECONDS;
import static dev.ferry.config.BrokerConfigs.SASL_ENABLED_MECHANISMS;
import static dev.ferry.config.BrokerConfigs.SOCKET_RECEIVE_BUFFER_BYTES;
import static dev.ferry.config.BrokerConfigs.SOCKET_REQUEST_MAX_BYTES;
import static dev.ferry.config.BrokerConfigs.SOCKET_SEND_BUFFER_BYTES;
import static dev.ferry.config.BrokerConfigs.SSL_ENABLED_PROTOCOLS;
import static dev.ferry.config.BrokerConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN;
import static dev.ferry.config.BrokerConfigs.SSL_KEYSTORE_KEY;
import static dev.ferry.config.BrokerConfigs.SSL_KEYSTORE_LOCATION;
import static dev.ferry.config.BrokerConfigs.SSL_KEYSTORE_PASSWORD;
import static dev.ferry.config.BrokerConfigs.SSL_KEYSTORE_TYPE;
import static dev.ferry.config.BrokerConfigs.SSL_KEY_PASSWORD;
import static dev.ferry.config.BrokerConfigs.TENANT_CONSUMER_BYTE_RATE;
import static dev.ferry.config.BrokerConfigs.TENANT_MAX_CONNECTIONS;
import static dev.ferry.config.BrokerConfigs.TENANT_MAX_PARTITIONS;
import static dev.ferry.config.BrokerConfigs.TENANT_MAX_STORED_BYTES;
import static dev.ferry.config.BrokerConfigs.TENANT_PRODUCER_BYTE_RATE;
import static dev.ferry.config.BrokerConfigs.TENANT_REQUEST_RATE;
import static dev.ferry.config.BrokerConfigs.TRANSACTIONAL_ID_EXPIRATION_MS;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The broker's configuration: every setting Ferry knows (see {@code BrokerConfigs}) with its effective value and
 * where that value came from. Sources, lowest precedence first: built-in defaults, the properties file,
 * {@code FERRY_*} environment variables ({@code FERRY_LOG_DIRS} sets {@code log.dirs}), overrides.
 *
 * <p>Every supplied value is validated when the configuration is built, even one a higher source hides; all the
 * invalid ones are reported together, one per line, in a {@link ConfigException} naming key, value and source.
 * Keys Ferry does not know are not fatal, since people paste Kafka {@code server.properties} files: they are listed
 * in {@link #warnings()}, as are the Kafka settings Ferry accepts but ignores.
 *
 * <p><b>Immutable and thread-safe.</b> Getters return precomputed values and never fail.
 */
public final class FerryConfig {

    /** What {@link #effectiveValues()} shows for a secret, as Kafka logs its passwords. */
    public static final String HIDDEN = "[hidden]";

    private static final String OVERRIDE_DESCRIPTION = "--override";
    private static final String SETTINGS_DESCRIPTION = "settings";

    private final Map<String, SettingResolver.Resolved> resolved;
    private final Map<String, String> effectiveValues;
    private final List<String> warnings;

    private final List<Listener> listeners;
    private final List<Listener> advertisedListeners;
    private final List<Path> logDirs;
    private final int nodeId;
    private final String clusterId;
    private final int numPartitions;
    private final short defaultReplicationFactor;
    private final boolean autoCreateTopicsEnable;
    private final boolean deleteTopicEnable;
    private final long logRetentionMs;
    private final long logRetentionBytes;
    private final long logSegmentBytes;
    private final long logRollMs;
    private final long logFlushIntervalMessages;
    private final long logFlushIntervalMs;
    private final long logFlushSchedulerIntervalMs;
    private final long logRetentionCheckIntervalMs;
    private final int logIndexIntervalBytes;
    private final int logIndexSizeMaxBytes;
    private final String logMessageTimestampType;
    private final List<String> logCleanupPolicy;
    private final int messageMaxBytes;
    private final int socketRequestMaxBytes;
    private final int socketSendBufferBytes;
    private final int socketReceiveBufferBytes;
    private final int maxConnections;
    private final int maxConnectionsPerIp;
    private final int numNetworkThreads;
    private final int numIoThreads;
    private final int logMaxOpenSegments;
    private final long producerIdExpirationMs;
    private final long transactionalIdExpirationMs;
    private final int fetchMaxBytes;
    private final long groupInitialRebalanceDelayMs;
    private final long offsetsRetentionMinutes;
    private final int groupMinSessionTimeoutMs;
    private final int groupMaxSessionTimeoutMs;
    private final int groupMaxSize;
    private final int groupConsumerSessionTimeoutMs;
    private final int groupConsumerHeartbeatIntervalMs;
    private final int groupConsumerMaxSize;
    private final List<String> groupConsumerAssignors;
    private final long offsetsRetentionCheckIntervalMs;
    private final int offsetMetadataMaxBytes;
    private final boolean offsetsStoreSyncOnCommit;
    private final int offsetsStoreSnapshotIntervalEntries;
    private final int metricsPort;
    private final String metricsHost;
    private final boolean metricsTopicLabelsEnabled;
    private final Map<String, String> securityProtocols;
    private final String sslKeystoreType;
    private final String sslKeystoreLocation;
    private final String sslKeystorePassword;
    private final String sslKeyPassword;
    private final String sslKeystoreCertificateChain;
    private final String sslKeystoreKey;
    private final List<String> sslEnabledProtocols;
    private final AuthMode authMode;
    private final List<String> saslEnabledMechanisms;
    private final long tenantProducerByteRate;
    private final long tenantConsumerByteRate;
    private final long tenantRequestRate;
    private final long tenantMaxPartitions;
    private final long tenantMaxStoredBytes;
    private final long tenantMaxConnections;
    private final int quotaWindowNum;
    private final int quotaWindowSizeSeconds;

    private FerryConfig(SettingResolver.Resolution resolution) {
        List<String> errors = new ArrayList<>(resolution.errors());
        List<String> notes = new ArrayList<>(resolution.warnings());
        this.resolved = resolution.values();

        Set<String> controllerNames = this.<List<String>>value(CONTROLLER_LISTENER_NAMES).stream()
                .map(name -> name.toUpperCase(Locale.ROOT))
                .collect(Collectors.toSet());
        this.listeners = servedListeners(LISTENERS, controllerNames, notes);
        List<Listener> advertised = value(ADVERTISED_LISTENERS) == null
                ? listeners : servedListeners(ADVERTISED_LISTENERS, controllerNames, notes);
        this.advertisedListeners = advertised;
        checkListeners(controllerNames, errors);

        if (!errors.isEmpty()) {
            throw new ConfigException(String.join(System.lineSeparator(), errors));
        }
        this.securityProtocols = this.<List<String>>value(LISTENER_SECURITY_PROTOCOL_MAP).stream()
                .map(entry -> entry.split(":", 2))
                .collect(Collectors.toUnmodifiableMap(pair -> pair[0].toUpperCase(Locale.ROOT), pair -> pair[1]));
        this.sslKeystoreType = value(SSL_KEYSTORE_TYPE);
        this.sslKeystoreLocation = value(SSL_KEYSTORE_LOCATION);
        this.sslKeystorePassword = value(SSL_KEYSTORE_PASSWORD);
        this.sslKeyPassword = value(SSL_KEY_PASSWORD);
        this.sslKeystoreCertificateChain = value(SSL_KEYSTORE_CERTIFICATE_CHAIN);
        this.sslKeystoreKey = value(SSL_KEYSTORE_KEY);
        this.sslEnabledProtocols = value(SSL_ENABLED_PROTOCOLS);
        this.authMode = AuthMode.parse(value(AUTH_MODE));
        this.saslEnabledMechanisms = value(SASL_ENABLED_MECHANISMS);
        checkSaslListeners(errors);
        checkKeyStore(errors);
        if (!errors.isEmpty()) {
            throw new ConfigException(String.join(System.lineSeparator(), errors));
        }
        this.warnings = List.copyOf(notes);

        this.logDirs = this.<List<String>>value(LOG_DIRS).stream().map(Path::of).toList();
        this.nodeId = value(NODE_ID);
        this.clusterId = value(CLUSTER_ID);
        this.numPartitions = value(NUM_PARTITIONS);
        this.defaultReplicationFactor = this.<Integer>value(DEFAULT_REPLICATION_FACTOR).shortValue();
        this.autoCreateTopicsEnable = value(AUTO_CREATE_TOPICS_ENABLE);
        this.deleteTopicEnable = value(DELETE_TOPIC_ENABLE);
        this.logRetentionMs = value(LOG_RETENTION_MS);
        this.logRetentionBytes = value(LOG_RETENTION_BYTES);
        this.logSegmentBytes = this.<Integer>value(LOG_SEGMENT_BYTES);
        this.logRollMs = value(LOG_ROLL_MS);
        this.logFlushIntervalMessages = value(LOG_FLUSH_INTERVAL_MESSAGES);
        this.logFlushIntervalMs = value(LOG_FLUSH_INTERVAL_MS);
        this.logFlushSchedulerIntervalMs = value(LOG_FLUSH_SCHEDULER_INTERVAL_MS);
        this.logRetentionCheckIntervalMs = value(LOG_RETENTION_CHECK_INTERVAL_MS);
        this.logIndexIntervalBytes = value(LOG_INDEX_INTERVAL_BYTES);
        this.logIndexSizeMaxBytes = value(LOG_INDEX_SIZE_MAX_BYTES);
        this.logMessageTimestampType = value(LOG_MESSAGE_TIMESTAMP_TYPE);
        this.logCleanupPolicy = value(LOG_CLEANUP_POLICY);
        this.messageMaxBytes = value(MESSAGE_MAX_BYTES);
        this.socketRequestMaxBytes = value(SOCKET_REQUEST_MAX_BYTES);
        this.socketSendBufferBytes = value(SOCKET_SEND_BUFFER_BYTES);
        this.socketReceiveBufferBytes = value(SOCKET_RECEIVE_BUFFER_BYTES);
        this.maxConnections = value(MAX_CONNECTIONS);
        this.maxConnectionsPerIp = value(MAX_CONNECTIONS_PER_IP);
        this.numNetworkThreads = value(NUM_NETWORK_THREADS);
        this.numIoThreads = value(NUM_IO_THREADS);
        this.logMaxOpenSegments = value(LOG_MAX_OPEN_SEGMENTS);
        this.producerIdExpirationMs = this.<Integer>value(PRODUCER_ID_EXPIRATION_MS);
        this.transactionalIdExpirationMs = this.<Integer>value(TRANSACTIONAL_ID_EXPIRATION_MS);
        this.fetchMaxBytes = value(FETCH_MAX_BYTES);
        this.groupInitialRebalanceDelayMs = this.<Integer>value(GROUP_INITIAL_REBALANCE_DELAY_MS);
        this.offsetsRetentionMinutes = this.<Integer>value(OFFSETS_RETENTION_MINUTES);
        this.groupMinSessionTimeoutMs = value(GROUP_MIN_SESSION_TIMEOUT_MS);
        this.groupMaxSessionTimeoutMs = value(GROUP_MAX_SESSION_TIMEOUT_MS);
        this.groupMaxSize = value(GROUP_MAX_SIZE);
        this.groupConsumerSessionTimeoutMs = value(GROUP_CONSUMER_SESSION_TIMEOUT_MS);
        this.groupConsumerHeartbeatIntervalMs = value(GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS);
        this.groupConsumerMaxSize = value(GROUP_CONSUMER_MAX_SIZE);
        this.groupConsumerAssignors = this.<List<String>>value(GROUP_CONSUMER_ASSIGNORS).stream()
                .map(BrokerConfigs.ASSIGNOR_NAMES::get).distinct().toList();
        this.offsetsRetentionCheckIntervalMs = value(OFFSETS_RETENTION_CHECK_INTERVAL_MS);
        this.offsetMetadataMaxBytes = value(OFFSET_METADATA_MAX_BYTES);
        this.offsetsStoreSyncOnCommit = value(OFFSETS_STORE_SYNC_ON_COMMIT);
        this.offsetsStoreSnapshotIntervalEntries = value(OFFSETS_STORE_SNAPSHOT_INTERVAL_ENTRIES);
        this.metricsPort = value(METRICS_PORT);
        this.metricsHost = value(METRICS_HOST);
        this.metricsTopicLabelsEnabled = value(METRICS_TOPIC_LABELS_ENABLED);
        this.tenantProducerByteRate = limit(TENANT_PRODUCER_BYTE_RATE);
        this.tenantConsumerByteRate = limit(TENANT_CONSUMER_BYTE_RATE);
        this.tenantRequestRate = limit(TENANT_REQUEST_RATE);
        this.tenantMaxPartitions = limit(TENANT_MAX_PARTITIONS);
        this.tenantMaxStoredBytes = limit(TENANT_MAX_STORED_BYTES);
        this.tenantMaxConnections = limit(TENANT_MAX_CONNECTIONS);
        this.quotaWindowNum = value(QUOTA_WINDOW_NUM);
        this.quotaWindowSizeSeconds = value(QUOTA_WINDOW_SIZE_SECONDS);

        Map<String, String> effective = new LinkedHashMap<>();
        for (Setting setting : BrokerConfigs.ALL) {
            Object value = resolved.get(setting.name()).value();
            // secrets are masked wherever the effective values go, the start-up log included
            effective.put(setting.name(), value != null && BrokerConfigs.SENSITIVE.contains(setting)
                    ? HIDDEN : setting.type().format(value));
        }
        effective.put(LISTENERS.name(), Listener.specs(listeners));
        effective.put(ADVERTISED_LISTENERS.name(), Listener.specs(advertisedListeners));
        this.effectiveValues = Collections.unmodifiableMap(effective);
    }

    /**
     * Builds the configuration from its sources.
     *
     * @param fileOrNull the properties file given with {@code --config}, or {@code null}
     * @param env        the process environment; only {@code FERRY_*} variables are read
     * @param overrides  the {@code --override key=value} flags
     * @throws ConfigException if the file cannot be read or any value is invalid
     */
    public static FerryConfig load(Path fileOrNull, Map<String, String> env, Map<String, String> overrides) {
        return build(SettingSources.collect(fileOrNull, env, overrides, OVERRIDE_DESCRIPTION));
    }

    /**
     * The defaults with {@code settings} on top, as if they were overrides; for tests and embedding.
     *
     * @throws ConfigException if any value is invalid
     */
    public static FerryConfig of(Map<String, String> settings) {
        return build(SettingSources.collect(null, Map.of(), settings, SETTINGS_DESCRIPTION));
    }

    /** Ferry's built-in defaults. */
    public static FerryConfig defaults() {
        return of(Map.of());
    }

    private static FerryConfig build(List<SuppliedValue> supplied) {
        return new FerryConfig(SettingResolver.resolve(supplied));
    }

    /** Unknown and ignored keys, and listeners left out, one readable line each, for the broker to log. */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * Every setting Ferry knows by its canonical name (aliases such as {@code log.retention.hours} are folded into
     * {@code log.retention.ms}) → its effective value as text, in the order of the configuration table. A value is
     * {@code null} only for a setting that has none ({@code cluster.id} when unset).
     */
    public Map<String, String> effectiveValues() {
        return effectiveValues;
    }

    /**
     * Where the effective value of {@code name} came from; an alias answers for its setting.
     *
     * @throws IllegalArgumentException if Ferry has no such setting
     */
    public ConfigSource sourceOf(String name) {
        Setting setting = BrokerConfigs.find(name)
                .orElseThrow(() -> new IllegalArgumentException("No such setting: " + name));
        return resolved.get(setting.name()).origin().source();
    }

    /**
     * Every setting as DescribeConfigs reports a BROKER resource: effective value, source, type and description.
     * All are read-only: Ferry has no dynamic broker configuration.
     */
    public List<ConfigEntry> describe() {
        return BrokerConfigs.ALL.stream()
                .map(setting -> {
                    boolean sensitive = BrokerConfigs.SENSITIVE.contains(setting);
                    // as Kafka, a sensitive config is described without its value
                    return new ConfigEntry(setting.name(), sensitive ? null : effectiveValues.get(setting.name()),
                            sourceOf(setting.name()), true, sensitive, setting.type(), setting.doc());
                })
                .toList();
    }

    /**
     * True when {@code name} is the canonical name of a setting Ferry has, so that {@link #sourceOf} and
     * {@link #effectiveValues()} answer for it; false for Kafka settings Ferry ignores or does not know.
     */
    public boolean defines(String name) {
        return BrokerConfigs.find(name).map(setting -> setting.name().equals(name)).orElse(false);
    }

    /** The parsed effective value of the setting named canonically {@code name}. */
    Object parsedValue(String name) {
        return resolved.get(name).value();
    }

    /** {@code listeners}: where the broker accepts connections. */
    public List<Listener> listeners() {
        return listeners;
    }

    /** {@code advertised.listeners}: what clients are told, by listener name; the listeners when unset. */
    public List<Listener> advertisedListeners() {
        return advertisedListeners;
    }

    /** {@code log.dirs} (or {@code log.dir}), as written: relative paths stay relative. */
    public List<Path> logDirs() {
        return logDirs;
    }

    /** {@code node.id} (or {@code broker.id}). */
    public int nodeId() {
        return nodeId;
    }

    /** {@code cluster.id}, or {@code null} when unset: the broker then generates and keeps one. */
    public String clusterId() {
        return clusterId;
    }

    /** {@code num.partitions}. */
    public int numPartitions() {
        return numPartitions;
    }

    /** {@code default.replication.factor}: always 1. */
    public short defaultReplicationFactor() {
        return defaultReplicationFactor;
    }

    /** {@code auto.create.topics.enable}. */
    public boolean autoCreateTopicsEnable() {
        return autoCreateTopicsEnable;
    }

    /** {@code delete.topic.enable}. */
    public boolean deleteTopicEnable() {
        return deleteTopicEnable;
    }

    /** {@code log.retention.ms} (or minutes, or hours), -1 for unlimited; never 0. */
    public long logRetentionMs() {
        return logRetentionMs;
    }

    /** {@code log.retention.bytes}; negative means unlimited. */
    public long logRetentionBytes() {
        return logRetentionBytes;
    }

    /** {@code log.segment.bytes}, at least 1 MiB as in Kafka 4. */
    public long logSegmentBytes() {
        return logSegmentBytes;
    }

    /** {@code log.roll.ms} (or {@code log.roll.hours}). */
    public long logRollMs() {
        return logRollMs;
    }

    /** {@code log.flush.interval.messages}; {@link Long#MAX_VALUE} leaves flushing to the OS. */
    public long logFlushIntervalMessages() {
        return logFlushIntervalMessages;
    }

    /** {@code log.flush.interval.ms}; {@link Long#MAX_VALUE} leaves flushing to the OS. */
    public long logFlushIntervalMs() {
        return logFlushIntervalMs;
    }

    /** {@code log.flush.scheduler.interval.ms}: how often the flusher checks {@code flush.ms}. */
    public long logFlushSchedulerIntervalMs() {
        return logFlushSchedulerIntervalMs;
    }

    /** {@code log.retention.check.interval.ms}. */
    public long logRetentionCheckIntervalMs() {
        return logRetentionCheckIntervalMs;
    }

    /** {@code log.index.interval.bytes}. */
    public int logIndexIntervalBytes() {
        return logIndexIntervalBytes;
    }

    /** {@code log.index.size.max.bytes}. */
    public int logIndexSizeMaxBytes() {
        return logIndexSizeMaxBytes;
    }

    /** {@code log.message.timestamp.type}: {@code CreateTime} or {@code LogAppendTime}. */
    public String logMessageTimestampType() {
        return logMessageTimestampType;
    }

    /** {@code log.cleanup.policy}: a subset of {@code delete}, {@code compact}; compaction is not done yet. */
    public List<String> logCleanupPolicy() {
        return logCleanupPolicy;
    }

    /** {@code message.max.bytes}: the largest record batch accepted. */
    public int messageMaxBytes() {
        return messageMaxBytes;
    }

    /** {@code socket.request.max.bytes}: the largest request frame accepted. */
    public int socketRequestMaxBytes() {
        return socketRequestMaxBytes;
    }

    /** {@code socket.send.buffer.bytes}: {@code SO_SNDBUF} of client connections, -1 for the system's default. */
    public int socketSendBufferBytes() {
        return socketSendBufferBytes;
    }

    /** {@code socket.receive.buffer.bytes}: {@code SO_RCVBUF} of client connections, -1 for the system's default. */
    public int socketReceiveBufferBytes() {
        return socketReceiveBufferBytes;
    }

    /** {@code max.connections}: most client connections open at once, over all listeners. */
    public int maxConnections() {
        return maxConnections;
    }

    /** {@code max.connections.per.ip}: most client connections open at once from one IP address. */
    public int maxConnectionsPerIp() {
        return maxConnectionsPerIp;
    }

    /** {@code num.network.threads}: Netty event loops. */
    public int numNetworkThreads() {
        return numNetworkThreads;
    }

    /** {@code num.io.threads}. */
    public int numIoThreads() {
        return numIoThreads;
    }

    /** {@code log.max.open.segments} (Ferry only): bound on segments with open files and mappings. */
    public int logMaxOpenSegments() {
        return logMaxOpenSegments;
    }

    /** {@code producer.id.expiration.ms}. */
    public long producerIdExpirationMs() {
        return producerIdExpirationMs;
    }

    /** {@code transactional.id.expiration.ms}. */
    public long transactionalIdExpirationMs() {
        return transactionalIdExpirationMs;
    }

    /** {@code fetch.max.bytes}: the broker's cap on one fetch response. */
    public int fetchMaxBytes() {
        return fetchMaxBytes;
    }

    /** {@code group.initial.rebalance.delay.ms}. */
    public long groupInitialRebalanceDelayMs() {
        return groupInitialRebalanceDelayMs;
    }

    /** {@code offsets.retention.minutes}. */
    public long offsetsRetentionMinutes() {
        return offsetsRetentionMinutes;
    }

    /** {@code group.min.session.timeout.ms}. */
    public int groupMinSessionTimeoutMs() {
        return groupMinSessionTimeoutMs;
    }

    /** {@code group.max.session.timeout.ms}. */
    public int groupMaxSessionTimeoutMs() {
        return groupMaxSessionTimeoutMs;
    }

    /** {@code group.max.size}. */
    public int groupMaxSize() {
        return groupMaxSize;
    }

    /** {@code group.consumer.session.timeout.ms}. */
    public int groupConsumerSessionTimeoutMs() {
        return groupConsumerSessionTimeoutMs;
    }

    /** {@code group.consumer.heartbeat.interval.ms}. */
    public int groupConsumerHeartbeatIntervalMs() {
        return groupConsumerHeartbeatIntervalMs;
    }

    /** {@code group.consumer.max.size}. */
    public int groupConsumerMaxSize() {
        return groupConsumerMaxSize;
    }

    /** {@code group.consumer.assignors} by short name ({@code uniform}, {@code range}), the default first. */
    public List<String> groupConsumerAssignors() {
        return groupConsumerAssignors;
    }

    /** {@code offsets.retention.check.interval.ms}. */
    public long offsetsRetentionCheckIntervalMs() {
        return offsetsRetentionCheckIntervalMs;
    }

    /** {@code offset.metadata.max.bytes}. */
    public int offsetMetadataMaxBytes() {
        return offsetMetadataMaxBytes;
    }

    /** {@code offsets.store.sync.on.commit}. */
    public boolean offsetsStoreSyncOnCommit() {
        return offsetsStoreSyncOnCommit;
    }

    /** {@code offsets.store.snapshot.interval.entries}. */
    public int offsetsStoreSnapshotIntervalEntries() {
        return offsetsStoreSnapshotIntervalEntries;
    }

    /** {@code metrics.port}: the port of the {@code /metrics} and {@code /health} endpoint; 0 when it is off. */
    public int metricsPort() {
        return metricsPort;
    }

    /** {@code metrics.host}: the address the metrics endpoint binds to; empty for every interface. */
    public String metricsHost() {
        return metricsHost;
    }

    /** {@code metrics.topic.labels.enabled}: whether per-topic metrics are labelled with the topic's name. */
    public boolean metricsTopicLabelsEnabled() {
        return metricsTopicLabelsEnabled;
    }

    /**
     * Whether connections to {@code listener} speak TLS: its name maps to {@code SSL} or {@code SASL_SSL} in
     * {@code listener.security.protocol.map}. A name the map does not list is plaintext.
     */
    public boolean usesTls(Listener listener) {
        String protocol = securityProtocol(listener);
        return protocol.equals("SSL") || protocol.equals("SASL_SSL");
    }

    /**
     * Whether {@code listener} accepts only clients authenticated through SASL: its name maps to
     * {@code SASL_PLAINTEXT} or {@code SASL_SSL} in {@code listener.security.protocol.map}. Such a listener exists
     * only with {@code auth.mode=tenant}.
     */
    public boolean usesSasl(Listener listener) {
        return securityProtocol(listener).startsWith("SASL_");
    }

    /** {@code auth.mode}. */
    public AuthMode authMode() {
        return authMode;
    }

    /** True when {@code auth.mode=tenant}: every client must authenticate as an application. */
    public boolean tenantAuth() {
        return authMode == AuthMode.TENANT;
    }

    /** {@code sasl.enabled.mechanisms}, each {@code PLAIN}, {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}. */
    public List<String> saslEnabledMechanisms() {
        return saslEnabledMechanisms;
    }

    /** {@code tenant.producer.byte.rate} in bytes per second; {@link Long#MAX_VALUE} when unset (no limit). */
    public long tenantProducerByteRate() {
        return tenantProducerByteRate;
    }

    /** {@code tenant.consumer.byte.rate} in bytes per second; {@link Long#MAX_VALUE} when unset (no limit). */
    public long tenantConsumerByteRate() {
        return tenantConsumerByteRate;
    }

    /** {@code tenant.request.rate} in requests per second; {@link Long#MAX_VALUE} when unset (no limit). */
    public long tenantRequestRate() {
        return tenantRequestRate;
    }

    /** {@code tenant.max.partitions}; {@link Long#MAX_VALUE} when unset (no limit). */
    public long tenantMaxPartitions() {
        return tenantMaxPartitions;
    }

    /** {@code tenant.max.stored.bytes}; {@link Long#MAX_VALUE} when unset (no limit). */
    public long tenantMaxStoredBytes() {
        return tenantMaxStoredBytes;
    }

    /** {@code tenant.max.connections}; {@link Long#MAX_VALUE} when unset (no limit). */
    public long tenantMaxConnections() {
        return tenantMaxConnections;
    }

    /** {@code quota.window.num}: samples a quota rate is measured over. */
    public int quotaWindowNum() {
        return quotaWindowNum;
    }

    /** {@code quota.window.size.seconds}: length of one quota sample. */
    public int quotaWindowSizeSeconds() {
        return quotaWindowSizeSeconds;
    }

    /** {@code ssl.keystore.type}: {@code JKS}, {@code PKCS12} or {@code PEM}. */
    public String sslKeystoreType() {
        return sslKeystoreType;
    }

    /** {@code ssl.keystore.location}, or {@code null} when unset. */
    public String sslKeystoreLocation() {
        return sslKeystoreLocation;
    }

    /** {@code ssl.keystore.password}, or {@code null} when unset. A secret: never log it. */
    public String sslKeystorePassword() {
        return sslKeystorePassword;
    }

    /** {@code ssl.key.password}, or {@code null} when unset. A secret: never log it. */
    public String sslKeyPassword() {
        return sslKeyPassword;
    }

    /** {@code ssl.keystore.certificate.chain} (PEM text), or {@code null} when unset. */
    public String sslKeystoreCertificateChain() {
        return sslKeystoreCertificateChain;
    }

    /** {@code ssl.keystore.key} (PEM text), or {@code null} when unset. A secret: never log it. */
    public String sslKeystoreKey() {
        return sslKeystoreKey;
    }

    /** {@code ssl.enabled.protocols}. */
    public List<String> sslEnabledProtocols() {
        return sslEnabledProtocols;
    }

    @Override
    public String toString() {
        return "FerryConfig" + effectiveValues;
    }

    @SuppressWarnings("unchecked")
    private <T> T value(Setting setting) {
        return (T) resolved.get(setting.name()).value();
    }

    /** A quota setting's value, {@link Long#MAX_VALUE} (Kafka's "no quota") when unset. */
    private long limit(Setting setting) {
        Number number = value(setting);
        return number == null ? Long.MAX_VALUE : number.longValue();
    }

    /** The protocol {@code listener.security.protocol.map} gives {@code listener}; plaintext when it names none. */
    private String securityProtocol(Listener listener) {
        return securityProtocols.getOrDefault(listener.name(), "PLAINTEXT");
    }

    /** The listeners of {@code setting} minus the controller ones, each left out with a warning. */
    private List<Listener> servedListeners(Setting setting, Set<String> controllerNames, List<String> notes) {
        SettingResolver.Resolved given = resolved.get(setting.name());
        List<Listener> served = new ArrayList<>();
        for (Object spec : (List<?>) given.value()) {
            Listener listener = Listener.parse((String) spec);
            if (controllerNames.contains(listener.name())) {
                notes.add("listener " + listener.spec() + " in '" + given.key() + "' from "
                        + given.origin().description() + " left out: it is a controller listener "
                        + "(controller.listener.names) and Ferry has no controller");
            } else {
                served.add(listener);
            }
        }
        return List.copyOf(served);
    }

    private void checkListeners(Set<String> controllerNames, List<String> errors) {
        SettingResolver.Resolved bound = resolved.get(LISTENERS.name());
        if (listeners.isEmpty()) {
            errors.add("No listener left in '" + bound.text() + "' (" + bound.origin().description()
                    + ") once controller listeners " + controllerNames + " are left out");
        }
        SettingResolver.Resolved advertised = resolved.get(ADVERTISED_LISTENERS.name());
        Set<String> boundNames = listeners.stream().map(Listener::name).collect(Collectors.toSet());
        for (Listener listener : advertisedListeners) {
            if (!boundNames.contains(listener.name())) {
                errors.add("Invalid value '" + advertised.text() + "' for setting '" + advertised.key() + "' in "
                        + advertised.origin().description() + ": listener name " + listener.name()
                        + " is not one of the listeners " + boundNames);
            }
        }
    }

    /**
     * A SASL listener authenticates applications, so it needs tenant mode, and a mechanism to authenticate them
     * with.
     */
    private void checkSaslListeners(List<String> errors) {
        for (Listener listener : listeners) {
            if (!usesSasl(listener)) {
                continue;
            }
            if (authMode != AuthMode.TENANT) {
                errors.add("Listener " + listener.spec() + " is mapped to " + securityProtocol(listener)
                        + " in listener.security.protocol.map, which needs auth.mode=tenant (auth.mode is "
                        + authMode.configValue() + ")");
            } else if (saslEnabledMechanisms.isEmpty()) {
                errors.add("Listener " + listener.spec() + " is mapped to " + securityProtocol(listener)
                        + " in listener.security.protocol.map, but sasl.enabled.mechanisms is empty");
            }
        }
    }

    /** A TLS listener needs a key store: a file, or with type PEM either a file or the inline chain and key. */
    private void checkKeyStore(List<String> errors) {
        List<Listener> tlsListeners = listeners.stream().filter(this::usesTls).toList();
        if (tlsListeners.isEmpty()) {
            return;
        }
        boolean inlinePem = sslKeystoreCertificateChain != null || sslKeystoreKey != null;
        if (inlinePem && !"PEM".equals(sslKeystoreType)) {
            errors.add("ssl.keystore.certificate.chain and ssl.keystore.key need ssl.keystore.type=PEM, not "
                    + sslKeystoreType);
        } else if (inlinePem && (sslKeystoreCertificateChain == null || sslKeystoreKey == null)) {
            errors.add("ssl.keystore.certificate.chain and ssl.keystore.key must be set together");
        } else if (inlinePem && sslKeystoreLocation != null) {
            errors.add("Set either ssl.keystore.location or ssl.keystore.certificate.chain and ssl.keystore.key, "
                    + "not both");
        } else if (!inlinePem && sslKeystoreLocation == null) {
            errors.add("TLS listener " + Listener.specs(tlsListeners) + " has no key store: set "
                    + "ssl.keystore.location (or ssl.keystore.type=PEM with ssl.keystore.certificate.chain and "
                    + "ssl.keystore.key)");
        }
    }
}
