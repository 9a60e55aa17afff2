package dev.ferry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FerryConfigTest {

    @TempDir
    Path dir;

    @Test
    void shouldUseFerrysDefaults() {
        FerryConfig config = FerryConfig.defaults();
        assertEquals(List.of(new Listener("PLAINTEXT", "127.0.0.1", 9092)), config.listeners());
        assertEquals(config.listeners(), config.advertisedListeners());
        assertEquals(List.of(Path.of("./data")), config.logDirs());
        assertEquals(0, config.nodeId());
        assertNull(config.clusterId());
        assertEquals(3, config.numPartitions());
        assertEquals(1, config.defaultReplicationFactor());
        assertTrue(config.autoCreateTopicsEnable());
        assertTrue(config.deleteTopicEnable());
        assertEquals(259_200_000L, config.logRetentionMs());
        assertEquals(-1L, config.logRetentionBytes());
        assertEquals(1_073_741_824L, config.logSegmentBytes());
        assertEquals(604_800_000L, config.logRollMs());
        assertEquals(Long.MAX_VALUE, config.logFlushIntervalMessages());
        assertEquals(Long.MAX_VALUE, config.logFlushIntervalMs());
        assertEquals(1000L, config.logFlushSchedulerIntervalMs());
        assertEquals(300_000L, config.logRetentionCheckIntervalMs());
        assertEquals(4096, config.logIndexIntervalBytes());
        assertEquals(10_485_760, config.logIndexSizeMaxBytes());
        assertEquals("CreateTime", config.logMessageTimestampType());
        assertEquals(List.of("delete"), config.logCleanupPolicy());
        assertEquals(1_048_588, config.messageMaxBytes());
        assertEquals(104_857_600, config.socketRequestMaxBytes());
        assertEquals(102_400, config.socketSendBufferBytes());
        assertEquals(102_400, config.socketReceiveBufferBytes());
        assertEquals(Integer.MAX_VALUE, config.maxConnections());
        assertEquals(Integer.MAX_VALUE, config.maxConnectionsPerIp());
        assertEquals(3, config.numNetworkThreads());
        assertEquals(8, config.numIoThreads());
        assertEquals(8192, config.logMaxOpenSegments());
        assertEquals(86_400_000L, config.producerIdExpirationMs());
        assertEquals(604_800_000L, config.transactionalIdExpirationMs());
        assertEquals(57_671_680, config.fetchMaxBytes());
        assertEquals(3000L, config.groupInitialRebalanceDelayMs());
        assertEquals(10_080L, config.offsetsRetentionMinutes());
        assertEquals(6000, config.groupMinSessionTimeoutMs());
        assertEquals(1_800_000, config.groupMaxSessionTimeoutMs());
        assertEquals(Integer.MAX_VALUE, config.groupMaxSize());
        assertEquals(45_000, config.groupConsumerSessionTimeoutMs());
        assertEquals(5000, config.groupConsumerHeartbeatIntervalMs());
        assertEquals(Integer.MAX_VALUE, config.groupConsumerMaxSize());
        assertEquals(List.of("uniform", "range"), config.groupConsumerAssignors());
        assertEquals(600_000L, config.offsetsRetentionCheckIntervalMs());
        assertEquals(4096, config.offsetMetadataMaxBytes());
        assertEquals(false, config.offsetsStoreSyncOnCommit());
        assertEquals(100_000, config.offsetsStoreSnapshotIntervalEntries());
        assertEquals(9404, config.metricsPort());
        assertEquals("127.0.0.1", config.metricsHost());
        assertEquals(true, config.metricsTopicLabelsEnabled());
        assertEquals(List.of(), config.warnings());
    }

    @Test
    void shouldAcceptMetricsEndpointOffAndOnEveryHostSpelling() {
        FerryConfig off = FerryConfig.of(Map.of("metrics.port", "0", "metrics.topic.labels.enabled", "false"));
        assertEquals(0, off.metricsPort());
        assertEquals(false, off.metricsTopicLabelsEnabled());
        for (String host : List.of("", "0.0.0.0", "localhost", "metrics.example.com", "::1", "[::1]", "fe80::1%eth0")) {
            assertEquals(host, FerryConfig.of(Map.of("metrics.host", host)).metricsHost());
        }
    }

    @Test
    void shouldAcceptKafkaClassNamesOfServerSideAssignors() {
        FerryConfig config = FerryConfig.of(Map.of("group.consumer.assignors",
                "org.apache.kafka.coordinator.group.assignor.RangeAssignor,uniform"));
        assertEquals(List.of("range", "uniform"), config.groupConsumerAssignors());
    }

    @Test
    void shouldLayerFileUnderEnvironmentUnderOverrides() throws IOException {
        Path file = write("ferry.properties",
                "num.partitions=5\nnum.io.threads=4\nmessage.max.bytes=2000000\nnode.id=7\n");
        Map<String, String> env = Map.of("FERRY_NUM_IO_THREADS", "6", "FERRY_MESSAGE_MAX_BYTES", "3000000");
        FerryConfig config = FerryConfig.load(file, env, Map.of("message.max.bytes", "4000000"));

        assertEquals(5, config.numPartitions());
        assertEquals(ConfigSource.FILE, config.sourceOf("num.partitions"));
        assertEquals(6, config.numIoThreads());
        assertEquals(ConfigSource.ENVIRONMENT, config.sourceOf("num.io.threads"));
        assertEquals(4_000_000, config.messageMaxBytes());
        assertEquals(ConfigSource.OVERRIDE, config.sourceOf("message.max.bytes"));
        assertEquals(7, config.nodeId());
        assertEquals(ConfigSource.DEFAULT, config.sourceOf("fetch.max.bytes"));
    }

    @Test
    void shouldMapFerryEnvironmentVariablesToSettingNames() {
        Map<String, String> env = Map.of(
                "FERRY_LOG_DIRS", "/var/lib/ferry",
                "FERRY_LOG_RETENTION_CHECK_INTERVAL_MS", "1000",
                "FERRY_AUTO_CREATE_TOPICS_ENABLE", "false",
                "PATH", "/usr/bin",
                "LOG_DIRS", "/elsewhere");
        FerryConfig config = FerryConfig.load(null, env, Map.of());
        assertEquals(List.of(Path.of("/var/lib/ferry")), config.logDirs());
        assertEquals(1000L, config.logRetentionCheckIntervalMs());
        assertEquals(false, config.autoCreateTopicsEnable());
        assertEquals(ConfigSource.ENVIRONMENT, config.sourceOf("log.dirs"));
        assertEquals(List.of(), config.warnings());
        assertEquals("FERRY_LOG_DIRS", SettingSources.variableName("log.dirs"));
        assertEquals("log.dirs", SettingSources.settingName("FERRY_LOG_DIRS"));
    }

    @Test
    void shouldWarnAboutUnknownKeysAndNameWhereTheyCameFrom() throws IOException {
        Path file = write("x.properties", "foo.bar=1\nnum.partitions=2\n");
        FerryConfig config = FerryConfig.load(file, Map.of("FERRY_NUM_PARTITONS", "4"), Map.of("baz", "2"));
        assertEquals(List.of(
                "unknown setting 'foo.bar' in file " + file,
                "unknown setting 'num.partitons' in environment variable FERRY_NUM_PARTITONS",
                "unknown setting 'baz' in --override"), config.warnings());
        assertEquals(2, config.numPartitions());
    }

    @Test
    void shouldAcceptAKafkaServerPropertiesFileWithNotesForWhatItIgnores() throws IOException {
        Path file = write("server.properties", String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@localhost:9093",
                "listeners=PLAINTEXT://:9092,CONTROLLER://:9093",
                "inter.broker.listener.name=PLAINTEXT",
                "advertised.listeners=PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093",
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "num.network.threads=3",
                "num.io.threads=8",
                "socket.send.buffer.bytes=102400",
                "socket.request.max.bytes=104857600",
                "log.dirs=/tmp/kraft-combined-logs",
                "num.partitions=1",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "log.retention.hours=168",
                "log.segment.bytes=1073741824",
                "log.cleaner.enable=true",
                "log.retention.check.interval.ms=300000", ""));
        FerryConfig config = FerryConfig.load(file, Map.of(), Map.of());

        assertEquals(List.of(new Listener("PLAINTEXT", "", 9092)), config.listeners());
        assertEquals(List.of(new Listener("PLAINTEXT", "localhost", 9092)), config.advertisedListeners());
        assertEquals(1, config.nodeId());
        assertEquals(168L * 3_600_000L, config.logRetentionMs());
        assertEquals(List.of(Path.of("/tmp/kraft-combined-logs")), config.logDirs());

        List<String> warnings = config.warnings();
        assertTrue(warnings.contains("ignored setting 'process.roles' in file " + file + ": Ferry is a single node"),
                warnings.toString());
        assertTrue(warnings.contains("ignored setting 'controller.quorum.voters' in file " + file
                + ": Ferry is a single node"), warnings.toString());
        assertTrue(warnings.contains("ignored setting 'log.cleaner.enable' in file " + file
                + ": Ferry does not compact logs"), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("listener CONTROLLER://:9093 in 'listeners'")),
                warnings.toString());
        assertTrue(warnings.stream().noneMatch(w -> w.startsWith("unknown")), warnings.toString());
    }

    @Test
    void shouldTakeSocketBufferSizesWithMinusOneForTheSystemDefault() {
        FerryConfig config = FerryConfig.of(Map.of(
                "socket.send.buffer.bytes", "1048576", "socket.receive.buffer.bytes", "-1"));
        assertEquals(1_048_576, config.socketSendBufferBytes());
        assertEquals(-1, config.socketReceiveBufferBytes());
    }

    @Test
    void shouldReportListenersGoneWhenOnlyControllerListenersAreLeft() {
        ConfigException e = assertThrows(ConfigException.class, () -> FerryConfig.of(Map.of(
                "listeners", "CONTROLLER://:9093", "controller.listener.names", "CONTROLLER")));
        assertTrue(e.getMessage().contains("No listener left in 'CONTROLLER://:9093' (settings)"), e.getMessage());
    }

    @Test
    void shouldAdvertiseTheListenersUnlessToldOtherwise() {
        FerryConfig config = FerryConfig.of(Map.of("listeners", "PLAINTEXT://0.0.0.0:0,INTERNAL://127.0.0.1:9095"));
        assertEquals(config.listeners(), config.advertisedListeners());
        assertEquals(ConfigSource.DEFAULT, config.sourceOf("advertised.listeners"));
        assertEquals("PLAINTEXT://0.0.0.0:0,INTERNAL://127.0.0.1:9095",
                config.effectiveValues().get("advertised.listeners"));

        FerryConfig advertised = FerryConfig.of(Map.of("listeners", "PLAINTEXT://127.0.0.1:0",
                "advertised.listeners", "plaintext://127.0.0.1:29092"));
        assertEquals(List.of(new Listener("PLAINTEXT", "127.0.0.1", 29092)), advertised.advertisedListeners());
        assertEquals("PLAINTEXT://127.0.0.1:29092", advertised.effectiveValues().get("advertised.listeners"));
    }

    @Test
    void shouldRejectAdvertisedListenersWithoutAMatchingListener() {
        ConfigException e = assertThrows(ConfigException.class, () -> FerryConfig.of(Map.of(
                "listeners", "PLAINTEXT://:9092", "advertised.listeners", "EXTERNAL://example.com:9092")));
        assertEquals("Invalid value 'EXTERNAL://example.com:9092' for setting 'advertised.listeners' in settings: "
                + "listener name EXTERNAL is not one of the listeners [PLAINTEXT]", e.getMessage());
    }

    @Test
    void shouldTakeKafkasRetentionSpellingsWithMsOverMinutesOverHours() {
        assertEquals(2 * 3_600_000L, FerryConfig.of(Map.of("log.retention.hours", "2")).logRetentionMs());
        assertEquals(5 * 60_000L, FerryConfig.of(Map.of("log.retention.hours", "2",
                "log.retention.minutes", "5")).logRetentionMs());
        FerryConfig all = FerryConfig.of(Map.of("log.retention.hours", "2", "log.retention.minutes", "5",
                "log.retention.ms", "1234"));
        assertEquals(1234L, all.logRetentionMs());
        assertEquals("1234", all.effectiveValues().get("log.retention.ms"));
        assertEquals(ConfigSource.OVERRIDE, all.sourceOf("log.retention.hours"));
    }

    @Test
    void shouldLetAHigherSourceWinOverAPreferredSpellingInALowerOne() throws IOException {
        Path file = write("f.properties", "log.retention.ms=1000\n");
        FerryConfig config = FerryConfig.load(file, Map.of(), Map.of("log.retention.hours", "1"));
        assertEquals(3_600_000L, config.logRetentionMs());
        assertEquals(ConfigSource.OVERRIDE, config.sourceOf("log.retention.ms"));
    }

    @Test
    void shouldTreatAnyNegativeRetentionAsUnlimited() {
        assertEquals(-1L, FerryConfig.of(Map.of("log.retention.ms", "-5")).logRetentionMs());
        assertEquals(-1L, FerryConfig.of(Map.of("log.retention.hours", "-1")).logRetentionMs());
        assertEquals("-1", FerryConfig.of(Map.of("log.retention.minutes", "-3")).effectiveValues()
                .get("log.retention.ms"));
    }

    @Test
    void shouldRejectZeroRetentionUnderTheSpellingUsed() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> FerryConfig.of(Map.of("log.retention.hours", "0")));
        assertEquals("Invalid value '0' for setting 'log.retention.hours' in settings: "
                + "Value must be -1 (unlimited) or at least 1", e.getMessage());
    }

    @Test
    void shouldAcceptLogRollHours() {
        FerryConfig config = FerryConfig.of(Map.of("log.roll.hours", "1"));
        assertEquals(3_600_000L, config.logRollMs());
        assertEquals(60_000L, FerryConfig.of(Map.of("log.roll.hours", "1", "log.roll.ms", "60000")).logRollMs());
    }

    @Test
    void shouldAcceptLogDirAsAnAliasOfLogDirs() {
        assertEquals(List.of(Path.of("/a")), FerryConfig.of(Map.of("log.dir", "/a")).logDirs());
        assertEquals(List.of(Path.of("/b"), Path.of("/c")),
                FerryConfig.of(Map.of("log.dir", "/a", "log.dirs", "/b, /c")).logDirs());
        assertEquals(ConfigSource.OVERRIDE, FerryConfig.of(Map.of("log.dir", "/a")).sourceOf("log.dirs"));
    }

    @Test
    void shouldAcceptBrokerIdAsAnAliasOfNodeIdButNotADisagreement() throws IOException {
        assertEquals(4, FerryConfig.of(Map.of("broker.id", "4")).nodeId());
        assertEquals(4, FerryConfig.of(Map.of("broker.id", "4", "node.id", "4")).nodeId());

        ConfigException e = assertThrows(ConfigException.class,
                () -> FerryConfig.of(Map.of("broker.id", "4", "node.id", "5")));
        assertEquals("Settings 'node.id' (5) and 'broker.id' (4) disagree in settings; set only one of them",
                e.getMessage());

        Path file = write("ids.properties", "broker.id=4\n");
        assertEquals(5, FerryConfig.load(file, Map.of(), Map.of("node.id", "5")).nodeId());
    }

    @Test
    void shouldValidateValuesEvenWhenAHigherSourceHidesThem() throws IOException {
        Path file = write("bad.properties", "num.partitions=many\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> FerryConfig.load(file, Map.of(), Map.of("num.partitions", "4")));
        assertEquals("Invalid value 'many' for setting 'num.partitions' in file " + file
                + ": Not a number of type INT", e.getMessage());
    }

    @Test
    void shouldReportEveryInvalidValueAtOnce() {
        Map<String, String> env = Map.of("FERRY_NUM_IO_THREADS", "0");
        ConfigException e = assertThrows(ConfigException.class,
                () -> FerryConfig.load(null, env, Map.of("fetch.max.bytes", "10")));
        List<String> lines = e.getMessage().lines().toList();
        assertEquals(List.of(
                "Invalid value '0' for setting 'num.io.threads' in environment variable FERRY_NUM_IO_THREADS: "
                        + "Value must be at least 1",
                "Invalid value '10' for setting 'fetch.max.bytes' in --override: Value must be at least 1024"),
                lines);
    }

    @Test
    void shouldRejectANullOverride() {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("num.partitions", null);
        ConfigException e = assertThrows(ConfigException.class, () -> FerryConfig.load(null, Map.of(), overrides));
        assertEquals("Invalid value 'null' for setting 'num.partitions' in --override: a value is required",
                e.getMessage());
    }

    @Test
    void shouldUnsetASettingWithoutDefaultWhenGivenBlank() throws IOException {
        Path file = write("id.properties", "cluster.id=MkU3OEVBNTcwNTJENDM2Qg\n");
        assertEquals("MkU3OEVBNTcwNTJENDM2Qg", FerryConfig.load(file, Map.of(), Map.of()).clusterId());
        FerryConfig unset = FerryConfig.load(file, Map.of("FERRY_CLUSTER_ID", ""), Map.of());
        assertNull(unset.clusterId());
        assertEquals(ConfigSource.ENVIRONMENT, unset.sourceOf("cluster.id"));
        assertNull(unset.effectiveValues().get("cluster.id"));
    }

    @Test
    void shouldNameTheFileThatCannotBeRead() {
        Path missing = dir.resolve("missing.properties");
        ConfigException e = assertThrows(ConfigException.class, () -> FerryConfig.load(missing, Map.of(), Map.of()));
        assertEquals("Cannot read config file " + missing + ": no such file", e.getMessage());
    }

    @Test
    void shouldReadPropertiesSyntaxIncludingColonsAndContinuations() throws IOException {
        Path file = write("syntax.properties", "# comment\n! also a comment\nnum.partitions : 9\n"
                + "log.dirs = /a,\\\n    /b\n");
        FerryConfig config = FerryConfig.load(file, Map.of(), Map.of());
        assertEquals(9, config.numPartitions());
        assertEquals(List.of(Path.of("/a"), Path.of("/b")), config.logDirs());
    }

    @Test
    void shouldListEveryKnownSettingInItsEffectiveValues() {
        FerryConfig config = FerryConfig.of(Map.of("log.retention.hours", "1", "num.partitions", "6"));
        Map<String, String> effective = config.effectiveValues();
        assertEquals(BrokerConfigs.ALL.size(), effective.size());
        assertEquals(BrokerConfigs.ALL.stream().map(Setting::name).toList(), List.copyOf(effective.keySet()));
        assertEquals("3600000", effective.get("log.retention.ms"));
        assertEquals("6", effective.get("num.partitions"));
        assertEquals("./data", effective.get("log.dirs"));
        assertEquals("PLAINTEXT://127.0.0.1:9092", effective.get("listeners"));
        assertEquals(String.valueOf(Long.MAX_VALUE), effective.get("log.flush.interval.ms"));
        assertThrows(UnsupportedOperationException.class, () -> effective.put("x", "y"));
    }

    @Test
    void shouldDescribeTheBrokerAsReadOnlyEntries() {
        FerryConfig config = FerryConfig.of(Map.of("num.partitions", "6"));
        List<ConfigEntry> entries = config.describe();
        assertEquals(BrokerConfigs.ALL.size(), entries.size());
        ConfigEntry partitions = entries.stream().filter(e -> e.name().equals("num.partitions")).findFirst()
                .orElseThrow();
        assertEquals(new ConfigEntry("num.partitions", "6", ConfigSource.OVERRIDE, true, false, ConfigType.INT,
                BrokerConfigs.NUM_PARTITIONS.doc()), partitions);
    }

    @Test
    void shouldRefuseSourceOfAnUnknownSetting() {
        assertThrows(IllegalArgumentException.class, () -> FerryConfig.defaults().sourceOf("no.such.setting"));
        assertThrows(IllegalArgumentException.class, () -> FerryConfig.defaults().sourceOf("min.insync.replicas"));
    }

    @Test
    void shouldDefineOnlyCanonicalNamesOfItsOwnSettings() {
        FerryConfig config = FerryConfig.defaults();
        assertTrue(config.defines("log.retention.ms"));
        assertFalse(config.defines("log.retention.hours"));
        assertFalse(config.defines("min.insync.replicas"));
        assertFalse(config.defines("no.such.setting"));
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    @Test
    void shouldServeTlsOnListenersNamedOrMappedToSsl() {
        FerryConfig config = FerryConfig.of(Map.of(
                "listeners", "PLAINTEXT://127.0.0.1:9092,SSL://127.0.0.1:9093,SECURE://127.0.0.1:9094",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SSL:SSL,secure:SSL",
                "ssl.keystore.location", "/etc/ferry/broker.jks",
                "ssl.keystore.password", "store-secret"));

        assertEquals(List.of(false, true, true), config.listeners().stream().map(config::usesTls).toList());
        assertEquals("JKS", config.sslKeystoreType());
        assertEquals("/etc/ferry/broker.jks", config.sslKeystoreLocation());
        assertEquals("store-secret", config.sslKeystorePassword());
        assertNull(config.sslKeyPassword());
        assertEquals(List.of("TLSv1.2", "TLSv1.3"), config.sslEnabledProtocols());
    }

    @Test
    void shouldTreatListenerMissingFromProtocolMapAsPlaintext() {
        FerryConfig config = FerryConfig.of(Map.of("listeners", "EXTERNAL://127.0.0.1:9092"));

        assertFalse(config.usesTls(config.listeners().get(0)));
    }

    @Test
    void shouldRefuseTlsListenerWithoutKeyStore() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> FerryConfig.of(Map.of("listeners", "SSL://127.0.0.1:9093")));

        assertTrue(e.getMessage().contains("TLS listener SSL://127.0.0.1:9093 has no key store"), e.getMessage());
        assertTrue(e.getMessage().contains("ssl.keystore.location"), e.getMessage());
    }

    @Test
    void shouldRefuseInlinePemUnlessTypeIsPemAndBothPartsAreSet() {
        ConfigException wrongType = assertThrows(ConfigException.class, () -> FerryConfig.of(Map.of(
                "listeners", "SSL://127.0.0.1:9093",
                "ssl.keystore.certificate.chain", "-----BEGIN CERTIFICATE-----",
                "ssl.keystore.key", "-----BEGIN PRIVATE KEY-----")));
        ConfigException keyMissing = assertThrows(ConfigException.class, () -> FerryConfig.of(Map.of(
                "listeners", "SSL://127.0.0.1:9093",
                "ssl.keystore.type", "PEM",
                "ssl.keystore.certificate.chain", "-----BEGIN CERTIFICATE-----")));

        assertTrue(wrongType.getMessage().contains("need ssl.keystore.type=PEM, not JKS"), wrongType.getMessage());
        assertTrue(keyMissing.getMessage().contains("must be set together"), keyMissing.getMessage());
    }

    @Test
    void shouldAcceptInlinePemKeyStore() {
        FerryConfig config = FerryConfig.of(Map.of(
                "listeners", "SSL://127.0.0.1:9093",
                "ssl.keystore.type", "PEM",
                "ssl.keystore.certificate.chain", "chain",
                "ssl.keystore.key", "key",
                "ssl.enabled.protocols", "TLSv1.3"));

        assertEquals("chain", config.sslKeystoreCertificateChain());
        assertEquals("key", config.sslKeystoreKey());
        assertEquals(List.of("TLSv1.3"), config.sslEnabledProtocols());
    }

    @Test
    void shouldServeSaslListenersInTenantMode() {
        FerryConfig config = FerryConfig.of(Map.of(
                "auth.mode", "tenant",
                "listeners", "PLAINTEXT://127.0.0.1:9092,SASL_PLAINTEXT://127.0.0.1:9093,"
                        + "SASL_SSL://127.0.0.1:9094,SSL://127.0.0.1:9095",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,"
                        + "SASL_SSL:SASL_SSL",
                "ssl.keystore.location", "/etc/ferry/broker.jks"));

        assertEquals(AuthMode.TENANT, config.authMode());
        assertTrue(config.tenantAuth());
        assertEquals(List.of(false, true, true, false), config.listeners().stream().map(config::usesSasl).toList());
        assertEquals(List.of(false, false, true, true), config.listeners().stream().map(config::usesTls).toList());
    }

    @Test
    void shouldRefuseSaslListenerUnlessInTenantMode() {
        ConfigException e = assertThrows(ConfigException.class, () -> FerryConfig.of(Map.of(
                "listeners", "SASL_PLAINTEXT://127.0.0.1:9093",
                "listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT")));

        assertEquals("Listener SASL_PLAINTEXT://127.0.0.1:9093 is mapped to SASL_PLAINTEXT in "
                + "listener.security.protocol.map, which needs auth.mode=tenant (auth.mode is none)", e.getMessage());
    }

    @Test
    void shouldRefuseSaslListenerWithoutMechanisms() {
        ConfigException e = assertThrows(ConfigException.class, () -> FerryConfig.of(Map.of(
                "auth.mode", "tenant",
                "sasl.enabled.mechanisms", "",
                "listeners", "EXTERNAL://127.0.0.1:9093",
                "listener.security.protocol.map", "EXTERNAL:SASL_PLAINTEXT")));

        assertTrue(e.getMessage().contains("sasl.enabled.mechanisms is empty"), e.getMessage());
    }

    @Test
    void shouldAcceptTenantModeWithoutSaslMechanismsOnPlainListeners() {
        FerryConfig config = FerryConfig.of(Map.of("auth.mode", "tenant", "sasl.enabled.mechanisms", ""));

        assertTrue(config.tenantAuth());
        assertEquals(List.of(), config.saslEnabledMechanisms());
    }

    @Test
    void shouldRequireKeyStoreForSaslSslListener() {
        ConfigException e = assertThrows(ConfigException.class, () -> FerryConfig.of(Map.of(
                "auth.mode", "tenant",
                "listeners", "SASL_SSL://127.0.0.1:9093",
                "listener.security.protocol.map", "SASL_SSL:SASL_SSL")));

        assertTrue(e.getMessage().contains("TLS listener SASL_SSL://127.0.0.1:9093 has no key store"),
                e.getMessage());
    }

    @Test
    void shouldDefaultToAnOpenBrokerWithUnlimitedTenantsAndKafkasQuotaWindows() {
        FerryConfig config = FerryConfig.defaults();

        assertEquals(AuthMode.NONE, config.authMode());
        assertFalse(config.tenantAuth());
        assertEquals(List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"), config.saslEnabledMechanisms());
        assertEquals(List.of(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE,
                Long.MAX_VALUE), tenantLimits(config));
        assertEquals(11, config.quotaWindowNum());
        assertEquals(1, config.quotaWindowSizeSeconds());
        assertNull(config.effectiveValues().get("tenant.max.partitions"));
    }

    @Test
    void shouldReadTenantQuotaDefaults() {
        FerryConfig config = FerryConfig.of(Map.of(
                "tenant.producer.byte.rate", "1048576",
                "tenant.consumer.byte.rate", "2097152",
                "tenant.request.rate", "100",
                "tenant.max.partitions", "10",
                "tenant.max.stored.bytes", "1073741824",
                "tenant.max.connections", "5",
                "quota.window.num", "3",
                "quota.window.size.seconds", "2"));

        assertEquals(List.of(1_048_576L, 2_097_152L, 100L, 10L, 1_073_741_824L, 5L), tenantLimits(config));
        assertEquals(3, config.quotaWindowNum());
        assertEquals(2, config.quotaWindowSizeSeconds());
        assertEquals("10", config.effectiveValues().get("tenant.max.partitions"));
    }

    @Test
    void shouldTreatABlankQuotaAsNoLimit() {
        FerryConfig config = FerryConfig.load(null, Map.of("FERRY_TENANT_MAX_CONNECTIONS", ""),
                Map.of());

        assertEquals(Long.MAX_VALUE, config.tenantMaxConnections());
    }

    private static List<Long> tenantLimits(FerryConfig config) {
        return List.of(config.tenantProducerByteRate(), config.tenantConsumerByteRate(), config.tenantRequestRate(),
                config.tenantMaxPartitions(), config.tenantMaxStoredBytes(), config.tenantMaxConnections());
    }

    @Test
    void shouldRefuseUnknownSecurityProtocolInMap() {
        ConfigException e = assertThrows(ConfigException.class, () -> FerryConfig.of(Map.of(
                "listener.security.protocol.map", "PLAINTEXT:TLS")));

        assertTrue(e.getMessage().contains("'PLAINTEXT:TLS' is not NAME:PROTOCOL"), e.getMessage());
    }

    @Test
    void shouldMaskSecretsInEffectiveValuesAndDescribeThemAsSensitive() {
        FerryConfig config = FerryConfig.of(Map.of(
                "listeners", "SSL://127.0.0.1:9093",
                "ssl.keystore.location", "/etc/ferry/broker.p12",
                "ssl.keystore.type", "PKCS12",
                "ssl.keystore.password", "store-secret",
                "ssl.key.password", "key-secret"));

        Map<String, String> effective = config.effectiveValues();
        assertEquals(FerryConfig.HIDDEN, effective.get("ssl.keystore.password"));
        assertEquals(FerryConfig.HIDDEN, effective.get("ssl.key.password"));
        assertNull(effective.get("ssl.keystore.key"), "an unset secret shows as unset");
        assertEquals("/etc/ferry/broker.p12", effective.get("ssl.keystore.location"));
        assertFalse(effective.toString().contains("secret"), effective.toString());
        assertFalse(config.toString().contains("secret"));
        ConfigEntry password = config.describe().stream()
                .filter(entry -> entry.name().equals("ssl.keystore.password")).findFirst().orElseThrow();
        assertTrue(password.sensitive());
        assertNull(password.value());
    }
}
