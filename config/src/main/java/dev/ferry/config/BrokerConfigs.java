package dev.ferry.config;

import static dev.ferry.config.ConfigType.BOOLEAN;
import static dev.ferry.config.ConfigType.INT;
import static dev.ferry.config.ConfigType.LIST;
import static dev.ferry.config.ConfigType.LONG;
import static dev.ferry.config.ConfigType.STRING;
import static dev.ferry.config.Validator.atLeast;
import static dev.ferry.config.Validator.betweenOrMinusOne;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Every broker setting Ferry knows, in one place: Kafka's name, type, Ferry's default, its rule and description.
 * Also the Kafka broker settings Ferry accepts and ignores, so that a Kafka {@code server.properties} can be used
 * as it is.
 */
final class BrokerConfigs {

    private static final long MINUTE_MS = 60_000L;
    private static final long HOUR_MS = 60 * MINUTE_MS;

    static final String SINGLE_NODE = "Ferry is a single node";
    static final String NO_COMPACTION = "Ferry does not compact logs";
    static final String NOT_USED = "not used by Ferry";

    static final Setting LISTENERS = Setting.define("listeners", LIST, "PLAINTEXT://127.0.0.1:9092",
            listenerList(true),
            "Addresses the broker accepts connections on. An empty host binds every interface, an IPv6 host goes "
                    + "in brackets (`[::1]`), port 0 picks a free port.");

    static final Setting ADVERTISED_LISTENERS = Setting.define("advertised.listeners", LIST, null,
            listenerList(false),
            "Addresses given to clients in metadata, each under the name of one of the `listeners`; when unset, "
                    + "the `listeners` themselves. An empty host stands for this machine's name; 0.0.0.0 cannot be "
                    + "advertised.");

    static final Setting CONTROLLER_LISTENER_NAMES = Setting.define("controller.listener.names", LIST, "",
            new Validator("a comma-separated list of listener names", BrokerConfigs::listenerNamesProblem),
            "Names of KRaft controller listeners. Ferry has no controller: listeners of these names are left out "
                    + "of `listeners` and `advertised.listeners`, so a Kafka `server.properties` works unchanged.");

    static final Setting NUM_NETWORK_THREADS = Setting.define("num.network.threads", INT, "3", atLeast(1),
            "Threads (Netty event loops) that accept connections and read and write requests. They also handle "
                    + "produce requests whose partitions are open and fsync in the background: such an append to the "
                    + "page cache costs less than handing it to another thread.");

    static final Setting NUM_IO_THREADS = Setting.define("num.io.threads", INT, "8", atLeast(1),
            "Threads that process requests, including their disk I/O (all but the produce requests the network "
                    + "threads handle).");

    static final Setting SOCKET_REQUEST_MAX_BYTES = Setting.define("socket.request.max.bytes", INT, "104857600",
            atLeast(1),
            "Largest request, in bytes, the broker reads; a client sending a larger one is disconnected.");

    static final Setting SOCKET_SEND_BUFFER_BYTES = Setting.define("socket.send.buffer.bytes", INT, "102400",
            betweenOrMinusOne(1, Integer.MAX_VALUE),
            "Send buffer (`SO_SNDBUF`) of each client connection, in bytes, as in Kafka; -1 for the operating "
                    + "system's automatic sizing. Fetched records wait there for the client to read them: the "
                    + "automatic size starts at a few kilobytes and stays small against a client's small receive "
                    + "window, so the broker has to refill it far more often.");

    static final Setting SOCKET_RECEIVE_BUFFER_BYTES = Setting.define("socket.receive.buffer.bytes", INT, "102400",
            betweenOrMinusOne(1, Integer.MAX_VALUE),
            "Receive buffer (`SO_RCVBUF`) of each client connection, in bytes, as in Kafka; -1 for the operating "
                    + "system's automatic sizing.");

    static final Setting MAX_CONNECTIONS = Setting.define("max.connections", INT, "2147483647", atLeast(0),
            "Most client connections the broker holds open at once, over all listeners; a connection beyond it is "
                    + "closed as soon as it is accepted. Each connection takes a file descriptor: below the default, "
                    + "the broker refuses to start when the open-file limit (`ulimit -n`) cannot hold this many "
                    + "connections besides its open segments.");

    static final Setting MAX_CONNECTIONS_PER_IP = Setting.define("max.connections.per.ip", INT, "2147483647",
            atLeast(1),
            "Most client connections from one IP address, over all listeners; one more is closed as soon as it is "
                    + "accepted. Kafka's `max.connections.per.ip.overrides` is not supported.");

    static final Setting NODE_ID = Setting.define("node.id", INT, "0", atLeast(0),
                    "This broker's id, given to clients as the leader of every partition. `broker.id` is accepted "
                            + "too; set in the same source, the two must agree.")
            .withAlias("broker.id", INT, Validator.any(), UnaryOperator.identity())
            .agreeingSpellings();

    static final Setting CLUSTER_ID = Setting.define("cluster.id", STRING, null,
            new Validator("a 22-character URL-safe base64 UUID, as `kafka-storage random-uuid` prints",
                    BrokerConfigs::clusterIdProblem),
            "The cluster id. When unset the broker generates one on first start and keeps it with its data.");

    static final Setting NUM_PARTITIONS = Setting.define("num.partitions", INT, "3", atLeast(1),
            "Partitions of a topic created without a partition count, auto-created topics included.");

    static final Setting DEFAULT_REPLICATION_FACTOR = Setting.define("default.replication.factor", INT, "1",
            new Validator("1", value -> (Integer) value != 1 ? "Value must be 1: " + SINGLE_NODE : null),
            "Replication factor of a topic created without one.");

    static final Setting AUTO_CREATE_TOPICS_ENABLE = Setting.define("auto.create.topics.enable", BOOLEAN, "true",
            Validator.any(),
            "Whether a client asking for metadata of a missing topic creates it, with `num.partitions` partitions.");

    static final Setting DELETE_TOPIC_ENABLE = Setting.define("delete.topic.enable", BOOLEAN, "true",
            Validator.any(),
            "Whether topics may be deleted; when false, DeleteTopics fails with TOPIC_DELETION_DISABLED.");

    static final Setting LOG_DIRS = Setting.define("log.dirs", LIST, "./data",
                    new Validator("a list of distinct directories", BrokerConfigs::logDirsProblem),
                    "Directories holding the partition logs, comma-separated. `log.dir` is accepted too; "
                            + "`log.dirs` wins when both are set in the same source.")
            .withAlias("log.dir", LIST, Validator.any(), UnaryOperator.identity());

    static final Setting LOG_SEGMENT_BYTES = Setting.define("log.segment.bytes", INT, "1073741824",
            atLeast(1_048_576),
            "Size at which a partition's active segment is closed and a new one started. Topic config: "
                    + "`segment.bytes`.");

    static final Setting LOG_ROLL_MS = Setting.define("log.roll.ms", LONG, "604800000", atLeast(1),
                    "Age of the active segment at which it is rolled even if not full (7 days). `log.roll.hours` "
                            + "is accepted too; `log.roll.ms` wins when both are set in the same source. "
                            + "Topic config: `segment.ms`.")
            .withAlias("log.roll.hours", INT, atLeast(1), hours -> HOUR_MS * (Integer) hours);

    static final Setting LOG_INDEX_INTERVAL_BYTES = Setting.define("log.index.interval.bytes", INT, "4096",
            atLeast(0),
            "Bytes of log between two entries of a segment's sparse offset and time indexes. Topic config: "
                    + "`index.interval.bytes`.");

    static final Setting LOG_INDEX_SIZE_MAX_BYTES = Setting.define("log.index.size.max.bytes", INT, "10485760",
            atLeast(4),
            "Largest size of a segment's offset or time index file; a full index rolls the segment. Topic "
                    + "config: `segment.index.bytes`.");

    static final Setting LOG_MESSAGE_TIMESTAMP_TYPE = Setting.define("log.message.timestamp.type", STRING,
            "CreateTime", Validator.oneOf("CreateTime", "LogAppendTime"),
            "Which timestamp records keep: the producer's `CreateTime`, or `LogAppendTime` stamped by the broker "
                    + "on append. Topic config: `message.timestamp.type`.");

    static final Setting MESSAGE_MAX_BYTES = Setting.define("message.max.bytes", INT, "1048588", atLeast(0),
            "Largest record batch, in bytes, the broker accepts from a producer. Topic config: "
                    + "`max.message.bytes`.");

    static final Setting LOG_CLEANUP_POLICY = Setting.define("log.cleanup.policy", LIST, "delete",
            Validator.listOf("compact", "delete"),
            "What happens to old segments: `delete` removes them past the retention limits. `compact` is "
                    + "accepted but Ferry does not compact yet, so a topic without `delete` keeps everything. "
                    + "Topic config: `cleanup.policy`.");

    static final Setting LOG_MAX_OPEN_SEGMENTS = Setting.define("log.max.open.segments", INT, "8192", atLeast(1),
            "Ferry only: most segments whose file and index mappings are open at once; the least recently used "
                    + "are closed beyond that.");

    static final Setting LOG_RETENTION_MS = Setting.define("log.retention.ms", LONG, "259200000",
                    new Validator("-1 (unlimited) or at least 1",
                            value -> (Long) value == 0 ? "Value must be -1 (unlimited) or at least 1" : null),
                    "Time a segment is kept after its newest record (3 days); -1 keeps segments forever. "
                            + "`log.retention.minutes` and `log.retention.hours` are accepted too; in the same "
                            + "source ms wins over minutes over hours, as in Kafka. Topic config: `retention.ms`.")
            .normalizedBy(BrokerConfigs::unlimitedIfNegative)
            .withAlias("log.retention.minutes", INT, Validator.any(),
                    minutes -> unlimitedIfNegative(MINUTE_MS * (Integer) minutes))
            .withAlias("log.retention.hours", INT, Validator.any(),
                    hours -> unlimitedIfNegative(HOUR_MS * (Integer) hours));

    static final Setting LOG_RETENTION_BYTES = Setting.define("log.retention.bytes", LONG, "-1", Validator.any(),
            "Size a partition may grow to before its oldest segments are deleted; -1 is unlimited. Topic config: "
                    + "`retention.bytes`.");

    static final Setting LOG_RETENTION_CHECK_INTERVAL_MS = Setting.define("log.retention.check.interval.ms", LONG,
            "300000", atLeast(1),
            "How often partitions are checked against their retention limits.");

    static final Setting LOG_FLUSH_INTERVAL_MESSAGES = Setting.define("log.flush.interval.messages", LONG,
            String.valueOf(Long.MAX_VALUE), atLeast(1),
            "Messages appended to a partition after which it is forced to disk (fsync); the default leaves "
                    + "flushing to the operating system. Topic config: `flush.messages`.");

    static final Setting LOG_FLUSH_INTERVAL_MS = Setting.define("log.flush.interval.ms", LONG,
            String.valueOf(Long.MAX_VALUE), atLeast(0),
            "Time after a partition's last flush at which it is forced to disk; the default leaves flushing to the "
                    + "operating system (unlike Kafka, it does not fall back to "
                    + "`log.flush.scheduler.interval.ms`). Topic config: `flush.ms`.");

    static final Setting LOG_FLUSH_SCHEDULER_INTERVAL_MS = Setting.define("log.flush.scheduler.interval.ms", LONG,
            "1000", atLeast(1),
            "How often partitions are checked against their `flush.ms`. Kafka's default, never, would leave a "
                    + "topic's `flush.ms` without effect.");

    static final Setting FETCH_MAX_BYTES = Setting.define("fetch.max.bytes", INT, "57671680", atLeast(1024),
            "Most bytes the broker returns for one fetch request, whatever the request asks for.");

    static final Setting PRODUCER_ID_EXPIRATION_MS = Setting.define("producer.id.expiration.ms", INT, "86400000",
            atLeast(1),
            "Time after a producer's last write at which each partition forgets its id and sequence numbers; a "
                    + "later batch of it is then accepted as from a new producer, as in Kafka. Checked every 10 "
                    + "minutes and whenever a partition snapshots its producer state.");

    static final Setting TRANSACTIONAL_ID_EXPIRATION_MS = Setting.define("transactional.id.expiration.ms", INT,
            "604800000", atLeast(1),
            "Time without transaction activity after which a transactional id expires. Accepted, no effect: "
                    + "Ferry refuses transactions, so it keeps no transactional ids.");

    static final Setting GROUP_INITIAL_REBALANCE_DELAY_MS = Setting.define("group.initial.rebalance.delay.ms", INT,
            "3000", atLeast(0),
            "Time the group coordinator waits for more members before the first rebalance of an empty classic "
                    + "group; it is extended while members keep arriving, up to the rebalance timeout.");

    static final Setting GROUP_MIN_SESSION_TIMEOUT_MS = Setting.define("group.min.session.timeout.ms", INT, "6000",
            atLeast(1),
            "Shortest session timeout a classic group member may ask for (else INVALID_SESSION_TIMEOUT).");

    static final Setting GROUP_MAX_SESSION_TIMEOUT_MS = Setting.define("group.max.session.timeout.ms", INT,
            "1800000", atLeast(1),
            "Longest session timeout a classic group member may ask for (else INVALID_SESSION_TIMEOUT).");

    static final Setting GROUP_MAX_SIZE = Setting.define("group.max.size", INT, "2147483647", atLeast(1),
            "Most members a classic group may have; a member joining beyond it gets GROUP_MAX_SIZE_REACHED.");

    static final Setting GROUP_CONSUMER_SESSION_TIMEOUT_MS = Setting.define("group.consumer.session.timeout.ms",
            INT, "45000", atLeast(1),
            "Time after its last heartbeat at which a member of a consumer group (`group.protocol=consumer`) is "
                    + "removed.");

    static final Setting GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS = Setting.define(
            "group.consumer.heartbeat.interval.ms", INT, "5000", atLeast(1),
            "Interval at which members of a consumer group are told to heartbeat.");

    static final Setting GROUP_CONSUMER_MAX_SIZE = Setting.define("group.consumer.max.size", INT, "2147483647",
            atLeast(1),
            "Most members a consumer group may have; a member joining beyond it gets GROUP_MAX_SIZE_REACHED.");

    static final Setting GROUP_CONSUMER_ASSIGNORS = Setting.define("group.consumer.assignors", LIST,
            "uniform,range",
            new Validator("a non-empty list of `uniform` and `range`", BrokerConfigs::assignorsProblem),
            "Server-side assignors of consumer groups, by name; the first is used when a member names none.");

    static final Setting OFFSETS_RETENTION_MINUTES = Setting.define("offsets.retention.minutes", INT, "10080",
            atLeast(1),
            "Minutes the committed offsets of a group are kept once it has no members; for a group that never "
                    + "had members, minutes after each offset's commit.");

    static final Setting OFFSETS_RETENTION_CHECK_INTERVAL_MS = Setting.define(
            "offsets.retention.check.interval.ms", LONG, "600000", atLeast(1),
            "How often expired committed offsets are looked for.");

    static final Setting OFFSET_METADATA_MAX_BYTES = Setting.define("offset.metadata.max.bytes", INT, "4096",
            atLeast(0),
            "Longest metadata string an offset commit may carry, in characters (OFFSET_METADATA_TOO_LARGE).");

    static final Setting OFFSETS_STORE_SYNC_ON_COMMIT = Setting.define("offsets.store.sync.on.commit", BOOLEAN,
            "false", Validator.any(),
            "Whether each offset commit is flushed to disk before it is acknowledged. Without it a commit "
                    + "survives a broker crash but not a power loss.");

    static final Setting OFFSETS_STORE_SNAPSHOT_INTERVAL_ENTRIES = Setting.define(
            "offsets.store.snapshot.interval.entries", INT, "100000", atLeast(1),
            "Journal entries of the committed-offsets store after which it writes a compact snapshot, bounding "
                    + "the replay at start-up.");

    static final Setting METRICS_PORT = Setting.define("metrics.port", INT, "9404", Validator.between(0, 65535),
            "Port of the HTTP endpoint serving Prometheus metrics at `/metrics` and the broker's liveness and "
                    + "readiness at `/health`; 0 turns the endpoint off. A port that cannot be bound is logged, and "
                    + "the broker serves clients without the endpoint.");

    static final Setting METRICS_HOST = Setting.define("metrics.host", STRING, "127.0.0.1",
            new Validator("a host name or IP address, or empty for every interface", BrokerConfigs::hostProblem),
            "Address the metrics endpoint binds to. It is separate from `listeners` so that metrics can stay "
                    + "private while clients connect from anywhere, or the other way round.");

    static final Setting METRICS_TOPIC_LABELS_ENABLED = Setting.define("metrics.topic.labels.enabled", BOOLEAN,
            "true", Validator.any(),
            "Whether per-topic metrics carry the topic's name. When off they add up under `topic=\"\"`, so the "
                    + "number of series stays bounded however many topics there are.");

    static final Setting LISTENER_SECURITY_PROTOCOL_MAP = Setting.define("listener.security.protocol.map", LIST,
            "PLAINTEXT:PLAINTEXT,SSL:SSL",
            new Validator("a comma-separated list of `NAME:PROTOCOL`, the protocol one of PLAINTEXT, SSL, "
                    + "SASL_PLAINTEXT, SASL_SSL", BrokerConfigs::protocolMapProblem),
            "Security protocol of each listener, by listener name; a listener the map does not name is plaintext. "
                    + "With the default map, `SSL://host:port` is a TLS listener. A `SASL_PLAINTEXT` or `SASL_SSL` "
                    + "listener (the latter over TLS) accepts only clients authenticated through SASL and needs "
                    + "`auth.mode=tenant`.");

    static final Setting SSL_KEYSTORE_TYPE = Setting.define("ssl.keystore.type", STRING, "JKS",
            Validator.oneOf("JKS", "PKCS12", "PEM"),
            "Format of the key store TLS listeners present: a `JKS` or `PKCS12` file at `ssl.keystore.location`, "
                    + "or `PEM` text in `ssl.keystore.certificate.chain` and `ssl.keystore.key` (or a PEM file "
                    + "holding both at `ssl.keystore.location`).");

    static final Setting SSL_KEYSTORE_LOCATION = Setting.define("ssl.keystore.location", STRING, null,
            Validator.any(),
            "Path of the key store holding the TLS listeners' private key and certificate chain.");

    static final Setting SSL_KEYSTORE_PASSWORD = Setting.define("ssl.keystore.password", STRING, null,
            Validator.any(),
            "Password of the key store file. Never logged.");

    static final Setting SSL_KEY_PASSWORD = Setting.define("ssl.key.password", STRING, null, Validator.any(),
            "Password of the private key, when it differs from the key store's (or of an encrypted PEM key). "
                    + "Never logged.");

    static final Setting SSL_KEYSTORE_CERTIFICATE_CHAIN = Setting.define("ssl.keystore.certificate.chain", STRING,
            null, Validator.any(),
            "With `ssl.keystore.type=PEM`: the certificate chain as PEM text, the listener's certificate first.");

    static final Setting SSL_KEYSTORE_KEY = Setting.define("ssl.keystore.key", STRING, null, Validator.any(),
            "With `ssl.keystore.type=PEM`: the private key as PKCS#8 PEM text. Never logged.");

    static final Setting SSL_ENABLED_PROTOCOLS = Setting.define("ssl.enabled.protocols", LIST, "TLSv1.2,TLSv1.3",
            Validator.listOf("TLSv1.2", "TLSv1.3"),
            "TLS versions TLS listeners accept.");

    static final Setting AUTH_MODE = Setting.define("auth.mode", STRING, "none", Validator.oneOf("none", "tenant"),
            "Who may do what. `none`: every client may do everything, as on a local broker. `tenant`: hosted mode, "
                    + "clients authenticate with an application key (`ferry key create`), as their `client.id` or "
                    + "through SASL, and use only their application's topics, groups and transactional ids, within "
                    + "its quotas.");

    static final Setting SASL_ENABLED_MECHANISMS = Setting.define("sasl.enabled.mechanisms", LIST,
            "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512", Validator.listOf("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"),
            "SASL mechanisms offered with `auth.mode=tenant`; the username is the application id, the password a "
                    + "key. Empty leaves a key as `client.id` the only way in, which a SASL listener cannot serve.");

    static final Setting TENANT_PRODUCER_BYTE_RATE = Setting.define("tenant.producer.byte.rate", LONG, null,
            atLeast(1),
            "Bytes per second of produce requests an application may send, over all its connections, before its "
                    + "responses carry a throttle time and its connections pause; unset for no limit. Per "
                    + "application (`ferry app set`): `producer.byte.rate`.");

    static final Setting TENANT_CONSUMER_BYTE_RATE = Setting.define("tenant.consumer.byte.rate", LONG, null,
            atLeast(1),
            "Bytes per second of fetched records an application may receive before it is throttled; a fetch while "
                    + "over it gets no records. Unset for no limit. Per application: `consumer.byte.rate`.");

    static final Setting TENANT_REQUEST_RATE = Setting.define("tenant.request.rate", LONG, null, atLeast(1),
            "Requests per second an application may send, over all its connections, before it is throttled; unset "
                    + "for no limit. Per application: `request.rate`.");

    static final Setting TENANT_MAX_PARTITIONS = Setting.define("tenant.max.partitions", INT, null, atLeast(1),
            "Most partitions an application may have over all its topics: creating topics or partitions beyond it "
                    + "fails with POLICY_VIOLATION. Unset for no limit. Per application: `max.partitions`.");

    static final Setting TENANT_MAX_STORED_BYTES = Setting.define("tenant.max.stored.bytes", LONG, null, atLeast(1),
            "Most bytes an application's topics may hold on disk: produce beyond it fails with POLICY_VIOLATION, "
                    + "and nothing stored is lost. Unset for no limit. Per application: `max.stored.bytes`.");

    static final Setting TENANT_MAX_CONNECTIONS = Setting.define("tenant.max.connections", INT, null, atLeast(1),
            "Most authenticated connections an application may have open at once; one more is closed. Unset for no "
                    + "limit. Per application: `max.connections`.");

    static final Setting QUOTA_WINDOW_NUM = Setting.define("quota.window.num", INT, "11", atLeast(1),
            "Samples an application's rates are measured over, for the `tenant.*.rate` quotas.");

    static final Setting QUOTA_WINDOW_SIZE_SECONDS = Setting.define("quota.window.size.seconds", INT, "1",
            atLeast(1),
            "Length of each of those samples, in seconds.");

    /** Every setting, in the order of the configuration table. */
    static final List<Setting> ALL = List.of(
            LISTENERS, ADVERTISED_LISTENERS, CONTROLLER_LISTENER_NAMES, NUM_NETWORK_THREADS, NUM_IO_THREADS,
            SOCKET_REQUEST_MAX_BYTES, SOCKET_SEND_BUFFER_BYTES, SOCKET_RECEIVE_BUFFER_BYTES, MAX_CONNECTIONS,
            MAX_CONNECTIONS_PER_IP, NODE_ID, CLUSTER_ID,
            NUM_PARTITIONS, DEFAULT_REPLICATION_FACTOR, AUTO_CREATE_TOPICS_ENABLE, DELETE_TOPIC_ENABLE,
            LOG_DIRS, LOG_SEGMENT_BYTES, LOG_ROLL_MS, LOG_INDEX_INTERVAL_BYTES, LOG_INDEX_SIZE_MAX_BYTES,
            LOG_MESSAGE_TIMESTAMP_TYPE, MESSAGE_MAX_BYTES, LOG_CLEANUP_POLICY, LOG_MAX_OPEN_SEGMENTS,
            LOG_RETENTION_MS, LOG_RETENTION_BYTES, LOG_RETENTION_CHECK_INTERVAL_MS,
            LOG_FLUSH_INTERVAL_MESSAGES, LOG_FLUSH_INTERVAL_MS, LOG_FLUSH_SCHEDULER_INTERVAL_MS,
            FETCH_MAX_BYTES, PRODUCER_ID_EXPIRATION_MS, TRANSACTIONAL_ID_EXPIRATION_MS,
            GROUP_INITIAL_REBALANCE_DELAY_MS, GROUP_MIN_SESSION_TIMEOUT_MS, GROUP_MAX_SESSION_TIMEOUT_MS,
            GROUP_MAX_SIZE, GROUP_CONSUMER_SESSION_TIMEOUT_MS, GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS,
            GROUP_CONSUMER_MAX_SIZE, GROUP_CONSUMER_ASSIGNORS, OFFSETS_RETENTION_MINUTES,
            OFFSETS_RETENTION_CHECK_INTERVAL_MS, OFFSET_METADATA_MAX_BYTES, OFFSETS_STORE_SYNC_ON_COMMIT,
            OFFSETS_STORE_SNAPSHOT_INTERVAL_ENTRIES, METRICS_PORT, METRICS_HOST, METRICS_TOPIC_LABELS_ENABLED,
            LISTENER_SECURITY_PROTOCOL_MAP, SSL_KEYSTORE_TYPE, SSL_KEYSTORE_LOCATION, SSL_KEYSTORE_PASSWORD,
            SSL_KEY_PASSWORD, SSL_KEYSTORE_CERTIFICATE_CHAIN, SSL_KEYSTORE_KEY, SSL_ENABLED_PROTOCOLS,
            AUTH_MODE, SASL_ENABLED_MECHANISMS, TENANT_PRODUCER_BYTE_RATE, TENANT_CONSUMER_BYTE_RATE,
            TENANT_REQUEST_RATE, TENANT_MAX_PARTITIONS, TENANT_MAX_STORED_BYTES, TENANT_MAX_CONNECTIONS,
            QUOTA_WINDOW_NUM, QUOTA_WINDOW_SIZE_SECONDS);

    /** Settings whose values are secrets: shown masked, never logged. */
    static final Set<Setting> SENSITIVE = Set.of(SSL_KEYSTORE_PASSWORD, SSL_KEY_PASSWORD, SSL_KEYSTORE_KEY);

    private static final Map<String, Setting> BY_SPELLING = indexBySpelling();

    private static final Map<String, String> IGNORED = Map.ofEntries(
            Map.entry("process.roles", SINGLE_NODE),
            Map.entry("inter.broker.listener.name", SINGLE_NODE),
            Map.entry("inter.broker.protocol.version", SINGLE_NODE),
            Map.entry("broker.rack", SINGLE_NODE),
            Map.entry("offsets.topic.replication.factor", SINGLE_NODE),
            Map.entry("transaction.state.log.replication.factor", SINGLE_NODE),
            Map.entry("transaction.state.log.min.isr", SINGLE_NODE),
            Map.entry("share.coordinator.state.topic.replication.factor", SINGLE_NODE),
            Map.entry("share.coordinator.state.topic.min.isr", SINGLE_NODE),
            Map.entry("min.insync.replicas", SINGLE_NODE),
            Map.entry("unclean.leader.election.enable", SINGLE_NODE),
            Map.entry("num.replica.fetchers", SINGLE_NODE),
            Map.entry("auto.leader.rebalance.enable", SINGLE_NODE),
            Map.entry("metadata.log.dir", SINGLE_NODE),
            Map.entry("num.recovery.threads.per.data.dir", NOT_USED),
            Map.entry("log.preallocate", NOT_USED),
            Map.entry("log.segment.delete.delay.ms", NOT_USED));

    private static final Map<String, String> IGNORED_PREFIXES = Map.of(
            "controller.quorum.", SINGLE_NODE,
            "zookeeper.", SINGLE_NODE,
            "replica.", SINGLE_NODE,
            "log.cleaner.", NO_COMPACTION);

    private BrokerConfigs() {
    }

    /** The setting {@code key} names, by its canonical name or an alias. */
    static Optional<Setting> find(String key) {
        return Optional.ofNullable(BY_SPELLING.get(key));
    }

    /** Why Ferry ignores {@code key}, when it is a Kafka broker setting Ferry accepts without acting on it. */
    static Optional<String> ignoredReason(String key) {
        String reason = IGNORED.get(key);
        if (reason != null) {
            return Optional.of(reason);
        }
        return IGNORED_PREFIXES.entrySet().stream()
                .filter(prefix -> key.startsWith(prefix.getKey()))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    private static Map<String, Setting> indexBySpelling() {
        Map<String, Setting> index = new LinkedHashMap<>();
        for (Setting setting : ALL) {
            for (Setting.Spelling spelling : setting.spellings()) {
                if (index.put(spelling.name(), setting) != null) {
                    throw new IllegalStateException("Setting defined twice: " + spelling.name());
                }
            }
        }
        return Map.copyOf(index);
    }

    private static Object unlimitedIfNegative(Object millis) {
        return (Long) millis < 0 ? -1L : millis;
    }

    private static Validator listenerList(boolean bindable) {
        return new Validator("a comma-separated list of `NAME://host:port`", value -> {
            List<?> specs = (List<?>) value;
            if (bindable && specs.isEmpty()) {
                return "at least one listener is needed";
            }
            Set<String> names = new HashSet<>();
            for (Object spec : specs) {
                Listener listener;
                try {
                    listener = Listener.parse((String) spec);
                } catch (ConfigException e) {
                    return e.getMessage();
                }
                if (!names.add(listener.name())) {
                    return "Each listener must have a different name; " + listener.name() + " appears twice";
                }
                if (!bindable && !listener.host().isEmpty() && listener.bindsAllInterfaces()) {
                    return "cannot advertise the non-routable address " + listener.host() + " (listener "
                            + listener.name() + ")";
                }
            }
            return bindable ? portClash(specs) : null;
        });
    }

    /** Two listeners on the same non-zero port clash when they share a host or either binds every interface. */
    private static String portClash(List<?> specs) {
        List<Listener> listeners = specs.stream().map(spec -> Listener.parse((String) spec)).toList();
        for (int i = 0; i < listeners.size(); i++) {
            for (int j = i + 1; j < listeners.size(); j++) {
                Listener a = listeners.get(i);
                Listener b = listeners.get(j);
                boolean sameAddress = a.host().equalsIgnoreCase(b.host()) || a.bindsAllInterfaces()
                        || b.bindsAllInterfaces();
                if (a.port() != 0 && a.port() == b.port() && sameAddress) {
                    return "Each listener must have a different port; " + a.name() + " and " + b.name()
                            + " both use " + a.port();
                }
            }
        }
        return null;
    }

    /** Kafka's server-side assignors, by the short name Ferry uses and by Kafka's class name. */
    static final Map<String, String> ASSIGNOR_NAMES = Map.of(
            "uniform", "uniform", "org.apache.kafka.coordinator.group.assignor.UniformAssignor", "uniform",
            "range", "range", "org.apache.kafka.coordinator.group.assignor.RangeAssignor", "range");

    private static String assignorsProblem(Object value) {
        List<?> names = (List<?>) value;
        if (names.isEmpty()) {
            return "At least one assignor is needed";
        }
        for (Object name : names) {
            if (!ASSIGNOR_NAMES.containsKey(name)) {
                return "'" + name + "' is not a known assignor";
            }
        }
        return null;
    }

    /**
     * A host name or an IPv4 or IPv6 address (bracketed or not); empty means every interface. Only the spelling is
     * checked: whether the name resolves shows when the endpoint binds.
     */
    private static String hostProblem(Object value) {
        String host = (String) value;
        return host.matches("[A-Za-z0-9._:%-]*|\\[[A-Za-z0-9._:%-]+]") ? null
                : "'" + host + "' is not a host name or IP address";
    }

    private static String protocolMapProblem(Object value) {
        Set<String> names = new HashSet<>();
        for (Object entry : (List<?>) value) {
            String text = (String) entry;
            if (!text.matches("[A-Za-z0-9_]+:(PLAINTEXT|SSL|SASL_PLAINTEXT|SASL_SSL)")) {
                return "'" + text + "' is not NAME:PROTOCOL with a protocol of PLAINTEXT, SSL, SASL_PLAINTEXT, "
                        + "SASL_SSL";
            }
            if (!names.add(text.substring(0, text.indexOf(':')).toUpperCase(Locale.ROOT))) {
                return "listener " + text.substring(0, text.indexOf(':')) + " is mapped twice";
            }
        }
        return null;
    }

    private static String listenerNamesProblem(Object value) {
        for (Object name : (List<?>) value) {
            if (!((String) name).matches("[A-Za-z0-9_]+")) {
                return "'" + name + "' is not a listener name";
            }
        }
        return null;
    }

    private static String clusterIdProblem(Object value) {
        String id = (String) value;
        try {
            if (id.length() == 22 && Base64.getUrlDecoder().decode(id).length == 16) {
                return null;
            }
        } catch (IllegalArgumentException e) {
            // not base64: reported below like any other malformed id
        }
        return "must be a 22-character URL-safe base64 UUID, as kafka-storage random-uuid prints";
    }

    private static String logDirsProblem(Object value) {
        List<?> dirs = (List<?>) value;
        if (dirs.isEmpty()) {
            return "at least one directory is needed";
        }
        Set<Path> seen = new HashSet<>();
        for (Object dir : dirs) {
            String text = (String) dir;
            if (text.isEmpty()) {
                return "directory names must not be empty";
            }
            try {
                if (!seen.add(Path.of(text).toAbsolutePath().normalize())) {
                    return "directory " + text + " is listed twice";
                }
            } catch (InvalidPathException e) {
                return "'" + text + "' is not a valid path: " + e.getReason();
            }
        }
        return null;
    }
}
