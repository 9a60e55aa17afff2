package dev.ferry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BrokerSettingValidationTest {

    /** A value each rule rejects, and the reason given: one case per rule, and more for the intricate ones. */
    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("listeners", "PLAINTEXT://localhost", "is not of the form NAME://host:port"),
                Arguments.of("listeners", "", "at least one listener is needed"),
                Arguments.of("listeners", "PLAINTEXT://:9092,plaintext://:9093",
                        "Each listener must have a different name; PLAINTEXT appears twice"),
                Arguments.of("listeners", "A://:9092,B://127.0.0.1:9092",
                        "Each listener must have a different port; A and B both use 9092"),
                Arguments.of("advertised.listeners", "PLAINTEXT://0.0.0.0:9092",
                        "cannot advertise the non-routable address 0.0.0.0 (listener PLAINTEXT)"),
                Arguments.of("advertised.listeners", "PLAINTEXT://[::]:9092", "cannot advertise"),
                Arguments.of("controller.listener.names", "CONTROLLER,BAD NAME", "'BAD NAME' is not a listener name"),
                Arguments.of("num.network.threads", "0", "Value must be at least 1"),
                Arguments.of("num.io.threads", "-1", "Value must be at least 1"),
                Arguments.of("socket.request.max.bytes", "0", "Value must be at least 1"),
                Arguments.of("socket.send.buffer.bytes", "0", "Value must be between 1 and 2147483647 or equal to -1"),
                Arguments.of("socket.receive.buffer.bytes", "-2",
                        "Value must be between 1 and 2147483647 or equal to -1"),
                Arguments.of("max.connections", "-1", "Value must be at least 0"),
                Arguments.of("max.connections.per.ip", "0", "Value must be at least 1"),
                Arguments.of("node.id", "-1", "Value must be at least 0"),
                Arguments.of("broker.id", "-2", "Value must be at least 0"),
                Arguments.of("cluster.id", "not-a-uuid", "must be a 22-character URL-safe base64 UUID"),
                Arguments.of("cluster.id", "MkU3OEVBNTcwNTJENDM2Q+", "must be a 22-character URL-safe base64 UUID"),
                Arguments.of("num.partitions", "0", "Value must be at least 1"),
                Arguments.of("default.replication.factor", "3", "Value must be 1: Ferry is a single node"),
                Arguments.of("auto.create.topics.enable", "yes", "Expected value to be either true or false"),
                Arguments.of("delete.topic.enable", "1", "Expected value to be either true or false"),
                Arguments.of("log.dirs", "", "at least one directory is needed"),
                Arguments.of("log.dirs", "/a,,/b", "directory names must not be empty"),
                Arguments.of("log.dirs", "/a,/a/../a", "directory /a/../a is listed twice"),
                Arguments.of("log.dir", "", "at least one directory is needed"),
                Arguments.of("log.dirs", "/a\u0000b", "is not a valid path"),
                Arguments.of("log.segment.bytes", "1048575", "Value must be at least 1048576"),
                Arguments.of("log.segment.bytes", "2147483648", "Not a number of type INT"),
                Arguments.of("log.roll.ms", "0", "Value must be at least 1"),
                Arguments.of("log.roll.hours", "0", "Value must be at least 1"),
                Arguments.of("log.index.interval.bytes", "-1", "Value must be at least 0"),
                Arguments.of("log.index.size.max.bytes", "3", "Value must be at least 4"),
                Arguments.of("log.message.timestamp.type", "createtime",
                        "String must be one of: CreateTime, LogAppendTime"),
                Arguments.of("message.max.bytes", "-1", "Value must be at least 0"),
                Arguments.of("log.cleanup.policy", "delete,compact,archive",
                        "String must be one of: compact, delete"),
                Arguments.of("log.cleanup.policy", "delete,,compact", "values must not be empty"),
                Arguments.of("log.max.open.segments", "0", "Value must be at least 1"),
                Arguments.of("log.retention.ms", "0", "Value must be -1 (unlimited) or at least 1"),
                Arguments.of("log.retention.minutes", "0", "Value must be -1 (unlimited) or at least 1"),
                Arguments.of("log.retention.hours", "1.5", "Not a number of type INT"),
                Arguments.of("log.retention.bytes", "lots", "Not a number of type LONG"),
                Arguments.of("log.retention.check.interval.ms", "0", "Value must be at least 1"),
                Arguments.of("log.flush.interval.messages", "0", "Value must be at least 1"),
                Arguments.of("log.flush.interval.ms", "-1", "Value must be at least 0"),
                Arguments.of("log.flush.scheduler.interval.ms", "0", "Value must be at least 1"),
                Arguments.of("fetch.max.bytes", "1023", "Value must be at least 1024"),
                Arguments.of("producer.id.expiration.ms", "0", "Value must be at least 1"),
                Arguments.of("transactional.id.expiration.ms", "0", "Value must be at least 1"),
                Arguments.of("group.initial.rebalance.delay.ms", "-1", "Value must be at least 0"),
                Arguments.of("offsets.retention.minutes", "0", "Value must be at least 1"),
                Arguments.of("group.min.session.timeout.ms", "0", "Value must be at least 1"),
                Arguments.of("group.consumer.assignors", "sticky", "'sticky' is not a known assignor"),
                Arguments.of("group.max.session.timeout.ms", "0", "Value must be at least 1"),
                Arguments.of("group.max.size", "0", "Value must be at least 1"),
                Arguments.of("group.consumer.session.timeout.ms", "0", "Value must be at least 1"),
                Arguments.of("group.consumer.heartbeat.interval.ms", "0", "Value must be at least 1"),
                Arguments.of("group.consumer.max.size", "0", "Value must be at least 1"),
                Arguments.of("offsets.retention.check.interval.ms", "0", "Value must be at least 1"),
                Arguments.of("offsets.store.sync.on.commit", "sometimes", "Expected value to be either true or false"),
                Arguments.of("offsets.store.snapshot.interval.entries", "0", "Value must be at least 1"),
                Arguments.of("offset.metadata.max.bytes", "-1", "Value must be at least 0"),
                Arguments.of("metrics.port", "65536", "Value must be no more than 65535"),
                Arguments.of("metrics.port", "-1", "Value must be at least 0"),
                Arguments.of("listener.security.protocol.map", "PLAINTEXT:TLS", "'PLAINTEXT:TLS' is not NAME:PROTOCOL"),
                Arguments.of("listener.security.protocol.map", "SECURE:SSL,secure:PLAINTEXT",
                        "listener secure is mapped twice"),
                Arguments.of("ssl.keystore.type", "BKS", "String must be one of: JKS, PKCS12, PEM"),
                Arguments.of("ssl.enabled.protocols", "TLSv1.1", "String must be one of: TLSv1.2, TLSv1.3"),
                Arguments.of("metrics.host", "http://localhost", "'http://localhost' is not a host name or IP address"),
                Arguments.of("metrics.host", "[::1", "'[::1' is not a host name or IP address"),
                Arguments.of("metrics.topic.labels.enabled", "no", "Expected value to be either true or false"),
                Arguments.of("auth.mode", "TENANT", "String must be one of: none, tenant"),
                Arguments.of("sasl.enabled.mechanisms", "PLAIN,GSSAPI",
                        "String must be one of: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512"),
                Arguments.of("tenant.producer.byte.rate", "0", "Value must be at least 1"),
                Arguments.of("tenant.consumer.byte.rate", "-1", "Value must be at least 1"),
                Arguments.of("tenant.request.rate", "fast", "Not a number of type LONG"),
                Arguments.of("tenant.max.partitions", "0", "Value must be at least 1"),
                Arguments.of("tenant.max.stored.bytes", "0", "Value must be at least 1"),
                Arguments.of("tenant.max.connections", "2147483648", "Not a number of type INT"),
                Arguments.of("quota.window.num", "0", "Value must be at least 1"),
                Arguments.of("quota.window.size.seconds", "0", "Value must be at least 1"));
    }

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badValues")
    void shouldRejectABadValueNamingKeyValueAndSource(String key, String value, String reason) throws Exception {
        Path file = Files.writeString(dir.resolve("bad.properties"), key + "=" + value.replace("\\", "\\\\") + "\n");
        ConfigException fromFile = assertThrows(ConfigException.class,
                () -> FerryConfig.load(file, Map.of(), Map.of()));
        String prefix = "Invalid value '" + value + "' for setting '" + key + "' in file " + file + ": ";
        assertTrue(fromFile.getMessage().startsWith(prefix), fromFile.getMessage());
        assertTrue(fromFile.getMessage().contains(reason), fromFile.getMessage());

        String variable = SettingSources.variableName(key);
        ConfigException fromEnv = assertThrows(ConfigException.class,
                () -> FerryConfig.load(null, Map.of(variable, value), Map.of()));
        assertTrue(fromEnv.getMessage().startsWith("Invalid value '" + value + "' for setting '" + key
                + "' in environment variable " + variable + ": "), fromEnv.getMessage());

        ConfigException fromOverride = assertThrows(ConfigException.class,
                () -> FerryConfig.load(null, Map.of(), Map.of(key, value)));
        assertTrue(fromOverride.getMessage().startsWith("Invalid value '" + value + "' for setting '" + key
                + "' in --override: "), fromOverride.getMessage());
    }

    @Test
    void shouldHaveABadValueCaseForEverySettingWithARule() {
        Set<String> covered = badValues().map(arguments -> (String) arguments.get()[0]).collect(Collectors.toSet());
        for (Setting setting : BrokerConfigs.ALL) {
            boolean hasRule = !setting.validator().description().isEmpty() || setting.type() != ConfigType.STRING
                    && setting.type() != ConfigType.LIST;
            for (Setting.Spelling spelling : setting.spellings()) {
                assertTrue(!hasRule || covered.contains(spelling.name()), "no bad value tested for "
                        + spelling.name());
            }
        }
    }

    @Test
    void shouldHaveDefaultsThatPassTheirOwnRules() {
        for (Setting setting : BrokerConfigs.ALL) {
            if (setting.defaultValue() != null) {
                assertNull(setting.validator().problem(setting.parsedDefault()), setting.name());
            }
        }
    }

    @Test
    void shouldAcceptTheBoundaryValues() {
        FerryConfig config = FerryConfig.of(Map.of(
                "log.segment.bytes", "1048576",
                "fetch.max.bytes", "1024",
                "node.id", "0",
                "max.connections", "0",
                "max.connections.per.ip", "1",
                "message.max.bytes", "0",
                "log.flush.interval.ms", "0",
                "log.index.size.max.bytes", "4",
                "log.cleanup.policy", "",
                "cluster.id", "AAAAAAAAAAAAAAAAAAAAAA"));
        assertEquals(1_048_576L, config.logSegmentBytes());
        assertEquals(1024, config.fetchMaxBytes());
        assertEquals(0, config.messageMaxBytes());
        assertEquals(0, config.maxConnections());
        assertEquals(1, config.maxConnectionsPerIp());
        assertEquals(0L, config.logFlushIntervalMs());
        assertEquals(4, config.logIndexSizeMaxBytes());
        assertEquals(List.of(), config.logCleanupPolicy());
        assertEquals("AAAAAAAAAAAAAAAAAAAAAA", config.clusterId());
    }

    @Test
    void shouldAllowTwoListenersOnOnePortWhenTheirHostsDiffer() {
        FerryConfig config = FerryConfig.of(Map.of("listeners",
                "A://127.0.0.1:9092,B://127.0.0.2:9092,C://h:0,D://:0"));
        assertEquals(List.of(new Listener("A", "127.0.0.1", 9092), new Listener("B", "127.0.0.2", 9092),
                new Listener("C", "h", 0), new Listener("D", "", 0)), config.listeners());
    }
}
