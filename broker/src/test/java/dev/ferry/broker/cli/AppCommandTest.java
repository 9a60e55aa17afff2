package dev.ferry.broker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.broker.tenant.Application;
import dev.ferry.broker.tenant.TenantStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppCommandTest {

    private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";

    @TempDir
    Path dir;

    private TenantCommandFixture ferry() {
        return new TenantCommandFixture(dir.resolve("data"));
    }

    @Test
    void shouldCreateAnApplicationInTheFirstLogDirectory() {
        TenantCommandFixture ferry = ferry();

        assertEquals(0, ferry.run("app", "create", "acme"));

        assertEquals("Created application acme.\n", ferry.out());
        assertEquals("", ferry.err());
        assertEquals(List.of("acme"), TenantStore.open(ferry.metadataDir()).applications().stream()
                .map(Application::id).toList());
    }

    @Test
    void shouldListApplicationsWithTheirKeyCountsAndCreationTimes() {
        TenantCommandFixture ferry = ferry();
        ferry.run("app", "create", "beta");
        ferry.run("app", "create", "acme");
        ferry.run("key", "create", "acme", "--name", "ci");

        assertEquals(0, ferry.run("app", "list"));

        List<String> lines = ferry.out().lines().toList();
        assertEquals(3, lines.size(), ferry.out());
        assertTrue(lines.get(0).matches("ID {4}KEYS {2}CREATED {15}SETTINGS"), lines.get(0));
        assertTrue(lines.get(1).matches("acme {2}1 {5}" + TIMESTAMP + " {2}-"), lines.get(1));
        assertTrue(lines.get(2).startsWith("beta  0     "), lines.get(2));
    }

    @Test
    void shouldListNothingButTheHeaderOnAFreshDataDirectory() {
        TenantCommandFixture ferry = ferry();

        assertEquals(0, ferry.run("app", "list"));

        assertEquals("ID  KEYS  CREATED  SETTINGS\n", ferry.out());
    }

    @Test
    void shouldListEachApplicationsSettings() {
        TenantCommandFixture ferry = ferry();
        ferry.run("app", "create", "acme");
        ferry.run("app", "create", "beta");
        ferry.run("app", "set", "acme", "producer.byte.rate=1048576", "max.partitions=10");

        assertEquals(0, ferry.run("app", "list"));

        List<String> lines = ferry.out().lines().toList();
        assertTrue(lines.get(1).matches("acme {2}0 {5}" + TIMESTAMP + " {2}max\\.partitions=10,"
                + "producer\\.byte\\.rate=1048576"), lines.get(1));
        assertTrue(lines.get(2).matches("beta {2}0 {5}" + TIMESTAMP + " {2}-"), lines.get(2));
    }

    @Test
    void shouldSetSettingsAndShowWhatTheApplicationNowHas() {
        TenantCommandFixture ferry = ferry();
        ferry.run("app", "create", "acme");

        assertEquals(0, ferry.run("app", "set", "acme", "producer.byte.rate=1048576", "max.partitions=10"));

        assertEquals("Application acme now has max.partitions=10,producer.byte.rate=1048576.\n", ferry.out());
        assertEquals("", ferry.err());
        assertEquals(Map.of("producer.byte.rate", "1048576", "max.partitions", "10"), settings(ferry, "acme"));

        assertEquals(0, ferry.run("app", "set", "acme", "max.partitions=20"));
        assertEquals(Map.of("producer.byte.rate", "1048576", "max.partitions", "20"), settings(ferry, "acme"));
    }

    @Test
    void shouldUnsetSettingsSoThatTheDefaultsApply() {
        TenantCommandFixture ferry = ferry();
        ferry.run("app", "create", "acme");
        ferry.run("app", "set", "acme", "producer.byte.rate=1048576", "max.partitions=10", "max.connections=3");

        assertEquals(0, ferry.run("app", "set", "acme", "--unset", "max.partitions", "--unset", "max.connections"));
        assertEquals("Application acme now has producer.byte.rate=1048576.\n", ferry.out());

        assertEquals(0, ferry.run("app", "set", "acme", "--unset", "producer.byte.rate"));
        assertEquals("Application acme now has no settings: the broker defaults apply.\n", ferry.out());
        assertEquals(Map.of(), settings(ferry, "acme"));
    }

    @Test
    void shouldSetAndUnsetInOneCommand() {
        TenantCommandFixture ferry = ferry();
        ferry.run("app", "create", "acme");
        ferry.run("app", "set", "acme", "request.rate=100");

        assertEquals(0, ferry.run("app", "set", "acme", "consumer.byte.rate=2048", "--unset", "request.rate"));

        assertEquals(Map.of("consumer.byte.rate", "2048"), settings(ferry, "acme"));
    }

    @Test
    void shouldRefuseAnUnknownSettingOrBadValueAsAUsageErrorChangingNothing() {
        TenantCommandFixture ferry = ferry();
        ferry.run("app", "create", "acme");

        assertEquals(2, ferry.run("app", "set", "acme", "max.partitions=10", "max.topics=5"));
        assertEquals("ferry app set: unknown setting 'max.topics': expected one of producer.byte.rate, "
                + "consumer.byte.rate, request.rate, max.partitions, max.stored.bytes, max.connections "
                + "(see 'ferry app set --help')\n", ferry.err());
        assertEquals("", ferry.out());

        assertEquals(2, ferry.run("app", "set", "acme", "max.partitions=10", "producer.byte.rate=0"));
        assertEquals("ferry app set: invalid value '0' for producer.byte.rate: must be a whole number of at least 1 "
                + "(see 'ferry app set --help')\n", ferry.err());

        assertEquals(2, ferry.run("app", "set", "acme", "--unset", "max.topics"));
        assertTrue(ferry.err().startsWith("ferry app set: unknown setting 'max.topics'"), ferry.err());

        assertEquals(Map.of(), settings(ferry, "acme"), "nothing written when any setting is refused");
    }

    @Test
    void shouldRefuseASetWithoutSettingsOrWithoutEquals() {
        TenantCommandFixture ferry = ferry();
        ferry.run("app", "create", "acme");

        assertEquals(2, ferry.run("app", "set", "acme"));
        assertTrue(ferry.err().startsWith("ferry app set: Missing NAME=VALUE or --unset NAME"), ferry.err());

        assertEquals(2, ferry.run("app", "set", "acme", "max.partitions"));
        assertTrue(ferry.err().startsWith("ferry app set: "), ferry.err());
        assertEquals(1, ferry.err().lines().count(), ferry.err());

        assertEquals(2, ferry.run("app", "set", "acme", "max.partitions=3", "--unset", "max.partitions"));
        assertTrue(ferry.err().startsWith("ferry app set: max.partitions is both set and unset"), ferry.err());
        assertEquals(Map.of(), settings(ferry, "acme"));
    }

    @Test
    void shouldFailWithOneForAnUnknownApplication() {
        TenantCommandFixture ferry = ferry();

        assertEquals(1, ferry.run("app", "set", "nope", "max.partitions=10"));

        assertEquals("ferry app set: no application nope\n", ferry.err());
    }

    @Test
    void shouldDeleteAnApplicationAndSayHowManyKeysWent() {
        TenantCommandFixture ferry = ferry();
        ferry.run("app", "create", "acme");
        ferry.run("key", "create", "acme", "--name", "a");
        ferry.run("key", "create", "acme", "--name", "b");

        assertEquals(0, ferry.run("app", "delete", "acme"));

        assertEquals("Deleted application acme and revoked its 2 key(s).\n", ferry.out());
        assertEquals(List.of(), TenantStore.open(ferry.metadataDir()).applications());
    }

    @Test
    void shouldPrintOneLineAndExitWithOneWhenTheRequestCannotBeDone() {
        TenantCommandFixture ferry = ferry();
        ferry.run("app", "create", "acme");

        assertEquals(1, ferry.run("app", "create", "acme"));
        assertEquals("ferry app create: application acme already exists\n", ferry.err());
        assertEquals("", ferry.out());

        assertEquals(1, ferry.run("app", "create", "bad.id"));
        assertEquals("ferry app create: invalid application id 'bad.id': only letters, digits, '-' and '_' are"
                + " allowed\n", ferry.err());

        assertEquals(1, ferry.run("app", "delete", "nope"));
        assertEquals("ferry app delete: no application nope\n", ferry.err());
    }

    @Test
    void shouldPrintOneLineAndExitWithOneOnADamagedRegistry() throws IOException {
        TenantCommandFixture ferry = ferry();
        Files.createDirectories(ferry.metadataDir());
        Files.write(ferry.metadataDir().resolve("tenants"), new byte[40]);

        assertEquals(1, ferry.run("app", "list"));

        assertEquals("ferry app list: " + ferry.metadataDir().resolve("tenants")
                + " is corrupt: its checksum does not match\n", ferry.err());
        assertEquals(1, ferry.run("app", "create", "acme"));
        assertEquals(40, Files.size(ferry.metadataDir().resolve("tenants")), "a damaged registry is left alone");
    }

    @Test
    void shouldFindTheDataDirectoryThroughTheConfigFile() throws IOException {
        Path config = dir.resolve("server.properties");
        Files.writeString(config, "log.dirs=" + dir.resolve("from-file") + "," + dir.resolve("second") + "\n");
        TenantCommandFixture ferry = ferry();

        assertEquals(0, ferry.runExactly("app", "create", "acme", "--config", config.toString()));

        assertEquals(List.of("acme"), TenantStore.open(dir.resolve("from-file").resolve(".ferry")).applications()
                .stream().map(Application::id).toList());
        assertTrue(Files.notExists(dir.resolve("second").resolve(".ferry")), "only the first log directory");
    }

    @Test
    void shouldExitWithTwoOnABadSetting() {
        TenantCommandFixture ferry = ferry();

        assertEquals(2, ferry.runExactly("app", "list", "--override", "num.partitions=many"));

        assertTrue(ferry.err().startsWith("ferry app list: "), ferry.err());
        assertTrue(ferry.err().contains("num.partitions"), ferry.err());
        assertEquals(1, ferry.err().lines().count(), ferry.err());
    }

    @Test
    void shouldShowUsageWithoutASubcommand() {
        TenantCommandFixture ferry = ferry();

        assertEquals(2, ferry.runExactly("app"));

        assertTrue(ferry.err().contains("create"), ferry.err());
        assertTrue(ferry.err().contains("delete"), ferry.err());
        assertTrue(ferry.err().contains("set"), ferry.err());
    }

    private static Map<String, String> settings(TenantCommandFixture ferry, String app) {
        return TenantStore.open(ferry.metadataDir()).application(app).orElseThrow().settings();
    }
}
