package dev.ferry.broker.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TenantNamesTest {

    @Test
    void shouldAcceptLettersDigitsDashesAndUnderscoresUpToSixtyFourCharacters() {
        for (String id : List.of("acme", "a", "ACME-prod_2", "_internal", "a".repeat(64), "0")) {
            assertTrue(TenantNames.isValid(id), id);
            assertEquals(id, TenantNames.validateApplicationId(id));
        }
    }

    @Test
    void shouldRefuseEmptyLongDottedOrForeignIdsWithAReason() {
        assertReason("", "it is empty");
        assertReason("a".repeat(65), "it is longer than 64 characters");
        assertReason("-acme", "it starts with '-'");
        for (String id : List.of("acme.prod", "ac me", "acmé", "acme/1", "acme:1", "acme\n")) {
            assertReason(id, "only letters, digits, '-' and '_' are allowed");
        }
        assertFalse(TenantNames.isValid(null));
    }

    @Test
    void shouldApplyTheSameRulesToKeyNames() {
        assertEquals("ci-1", TenantNames.validateKeyName("ci-1"));
        TenantException refused = assertThrows(TenantException.class, () -> TenantNames.validateKeyName("ci.1"));
        assertEquals("invalid key name 'ci.1': only letters, digits, '-' and '_' are allowed", refused.getMessage());
    }

    @Test
    void shouldFindApplicationsWhoseTopicNamesCouldCollide() {
        // a.b_x (of a) and a_b.x (of a_b) differ only by '.' versus '_'
        assertEquals(Optional.of("a"), TenantNames.conflictingApplication("a_b", List.of("zed", "a")));
        assertEquals(Optional.of("a_b"), TenantNames.conflictingApplication("a", List.of("a_b")));
        assertEquals(Optional.of("a_b"), TenantNames.conflictingApplication("a_b_c", List.of("a_b")));
    }

    @Test
    void shouldNotFindConflictsBetweenMerelySimilarIds() {
        assertEquals(Optional.empty(), TenantNames.conflictingApplication("ab", List.of("a_b", "a-b", "abc", "b")));
        assertEquals(Optional.empty(), TenantNames.conflictingApplication("a", List.of("a-b", "ab", "A_b")));
        assertEquals(Optional.empty(), TenantNames.conflictingApplication("acme", List.of("acme")),
                "equal ids are a matter of uniqueness");
    }

    private static void assertReason(String id, String reason) {
        TenantException refused = assertThrows(TenantException.class, () -> TenantNames.validateApplicationId(id));
        assertEquals("invalid application id '" + id + "': " + reason, refused.getMessage());
    }
}
