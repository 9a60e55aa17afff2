package dev.ferry.broker.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RoleTest {

    @Test
    void shouldLetProduceKeysWriteAndManageTopicsOnly() {
        assertEquals(EnumSet.of(Permission.WRITE, Permission.CREATE_TOPICS, Permission.MANAGE_TOPICS,
                Permission.DESCRIBE), permissions(Role.PRODUCE));
    }

    @Test
    void shouldLetConsumeKeysReadCommitAndJoinGroupsOnly() {
        assertEquals(EnumSet.of(Permission.READ, Permission.COMMIT_OFFSETS, Permission.JOIN_GROUPS,
                Permission.MANAGE_GROUPS, Permission.DESCRIBE), permissions(Role.CONSUME));
    }

    @Test
    void shouldLetAllKeysDoEverything() {
        assertEquals(EnumSet.allOf(Permission.class), permissions(Role.ALL));
    }

    @Test
    void shouldParseLabelsInAnyCase() {
        assertEquals(Role.PRODUCE, Role.parse("produce"));
        assertEquals(Role.CONSUME, Role.parse("CONSUME"));
        assertEquals(Role.ALL, Role.parse("All"));
        assertEquals("consume", Role.CONSUME.label());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Role.parse("admin"));
        assertEquals("unknown role 'admin': expected produce, consume or all", refused.getMessage());
    }

    @Test
    void shouldOwnOnlyResourcesUnderTheApplicationPrefix() {
        Principal principal = new Principal("acme", "ci", "keyid", Role.CONSUME);

        assertEquals("acme.", principal.resourcePrefix());
        assertTrue(principal.owns("acme.orders"));
        assertFalse(principal.owns("acme."), "nothing after the prefix");
        assertFalse(principal.owns("acme"));
        assertFalse(principal.owns("acme2.orders"));
        assertFalse(principal.owns("acme_orders"));
        assertFalse(principal.owns("other.acme.orders"));
        assertFalse(principal.owns(null));
        assertTrue(principal.permits(Permission.READ));
        assertFalse(principal.permits(Permission.WRITE));
    }

    private static Set<Permission> permissions(Role role) {
        return Arrays.stream(Permission.values()).filter(role::permits)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Permission.class)));
    }
}
