package dev.ferry.broker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.broker.tenant.Principal;
import dev.ferry.broker.tenant.Role;
import dev.ferry.broker.tenant.TenantRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyCommandTest {

    private static final String KEY = "[A-Za-z0-9_-]{12}\\.[A-Za-z0-9_-]{32}";
    private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";

    @TempDir
    Path dir;

    private TenantCommandFixture ferry;
    private TenantRegistry registry;

    @BeforeEach
    void createApplication() {
        ferry = new TenantCommandFixture(dir);
        assertEquals(0, ferry.run("app", "create", "acme"));
        registry = TenantRegistry.open(ferry.metadataDir());
    }

    @AfterEach
    void closeRegistry() {
        registry.close();
    }

    @Test
    void shouldPrintTheNewKeyAloneOnStandardOutput() {
        assertEquals(0, ferry.run("key", "create", "acme", "--name", "ci", "--role", "produce"));

        String out = ferry.out();
        assertTrue(out.matches(KEY + "\n"), out);
        assertEquals("Created key ci (produce) of application acme. Store it now: it cannot be shown again.\n",
                ferry.err());
        registry.reloadIfChanged();
        Principal principal = registry.authenticate(out.trim()).orElseThrow();
        assertEquals("acme", principal.applicationId());
        assertEquals("ci", principal.keyName());
        assertEquals(Role.PRODUCE, principal.role());
    }

    @Test
    void shouldIssueAllRoleKeysUnlessToldOtherwiseAndReadRolesInAnyCase() {
        ferry.run("key", "create", "acme", "--name", "default");
        String defaultKey = ferry.out().trim();
        ferry.run("key", "create", "acme", "--name", "reader", "--role", "CONSUME");
        String readerKey = ferry.out().trim();

        registry.reloadIfChanged();
        assertEquals(Role.ALL, registry.authenticate(defaultKey).orElseThrow().role());
        assertEquals(Role.CONSUME, registry.authenticate(readerKey).orElseThrow().role());
    }

    @Test
    void shouldRefuseAnUnknownRoleOrAMissingNameAsAUsageError() {
        assertEquals(2, ferry.run("key", "create", "acme", "--name", "ci", "--role", "admin"));
        assertTrue(ferry.err().contains("unknown role 'admin': expected produce, consume or all"), ferry.err());
        assertEquals("", ferry.out());

        assertEquals(2, ferry.run("key", "create", "acme"));
        assertTrue(ferry.err().contains("--name"), ferry.err());
        assertEquals("", ferry.out());
    }

    @Test
    void shouldPrintOneLineAndExitWithOneWhenTheRequestCannotBeDone() {
        ferry.run("key", "create", "acme", "--name", "ci");

        assertEquals(1, ferry.run("key", "create", "nope", "--name", "ci"));
        assertEquals("ferry key create: no application nope\n", ferry.err());
        assertEquals("", ferry.out());

        assertEquals(1, ferry.run("key", "create", "acme", "--name", "ci"));
        assertEquals("ferry key create: application acme already has a key named ci\n", ferry.err());
        assertEquals("", ferry.out(), "no key printed");

        assertEquals(1, ferry.run("key", "revoke", "acme", "cd"));
        assertEquals("ferry key revoke: application acme has no key named cd\n", ferry.err());

        assertEquals(1, ferry.run("key", "regenerate", "acme", "cd"));
        assertEquals("ferry key regenerate: application acme has no key named cd\n", ferry.err());
        assertEquals("", ferry.out());

        assertEquals(1, ferry.run("key", "list", "nope"));
        assertEquals("ferry key list: no application nope\n", ferry.err());
    }

    @Test
    void shouldListNamesRolesAndTimesButNeverTheKeys() {
        ferry.run("key", "create", "acme", "--name", "ci", "--role", "produce");
        String ci = ferry.out().trim();
        ferry.run("key", "create", "acme", "--name", "reader", "--role", "consume");
        String reader = ferry.out().trim();
        registry.reloadIfChanged();
        registry.authenticate(ci);
        registry.flushLastUsed();

        assertEquals(0, ferry.run("key", "list", "acme"));

        List<String> lines = ferry.out().lines().toList();
        assertEquals(3, lines.size(), ferry.out());
        assertTrue(lines.get(0).matches("NAME +ROLE +KEY ID +CREATED +LAST USED"), lines.get(0));
        String ciId = ci.substring(0, 12);
        assertTrue(lines.get(1).matches("ci +produce +" + ciId + " +" + TIMESTAMP + " +" + TIMESTAMP),
                lines.get(1));
        assertTrue(lines.get(2).matches("reader +consume +" + reader.substring(0, 12) + " +" + TIMESTAMP
                + " +never"), lines.get(2));
        assertFalse(ferry.out().contains(ci.substring(13)), "the secret is never listed");
        assertFalse(ferry.out().contains(reader.substring(13)), "the secret is never listed");
    }

    @Test
    void shouldRevokeAKeySoThatTheBrokerRefusesIt() {
        ferry.run("key", "create", "acme", "--name", "ci");
        String key = ferry.out().trim();
        registry.reloadIfChanged();
        assertTrue(registry.authenticate(key).isPresent());

        assertEquals(0, ferry.run("key", "revoke", "acme", "ci"));

        assertEquals("Revoked key ci (id " + key.substring(0, 12) + ") of application acme.\n", ferry.out());
        registry.reloadIfChanged();
        assertEquals(Optional.empty(), registry.authenticate(key));
    }

    @Test
    void shouldRegenerateAKeyPrintingOnlyTheNewOne() {
        ferry.run("key", "create", "acme", "--name", "ci", "--role", "consume");
        String old = ferry.out().trim();

        assertEquals(0, ferry.run("key", "regenerate", "acme", "ci"));

        String renewed = ferry.out();
        assertTrue(renewed.matches(KEY + "\n"), renewed);
        assertNotEquals(old, renewed.trim());
        assertEquals("Regenerated key ci (consume) of application acme. Store it now: it cannot be shown again.\n",
                ferry.err());
        registry.reloadIfChanged();
        assertEquals(Optional.empty(), registry.authenticate(old));
        assertEquals(Role.CONSUME, registry.authenticate(renewed.trim()).orElseThrow().role());
    }

    @Test
    void shouldShowUsageWithoutASubcommand() {
        assertEquals(2, ferry.runExactly("key"));

        for (String subcommand : List.of("create", "list", "revoke", "regenerate")) {
            assertTrue(ferry.err().contains(subcommand), ferry.err());
        }
    }
}
