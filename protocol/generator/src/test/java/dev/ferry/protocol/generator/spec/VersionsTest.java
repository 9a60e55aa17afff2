package dev.ferry.protocol.generator.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VersionsTest {

    @Test
    void shouldParseOpenEndedRangesSingleVersionsAndNone() {
        assertEquals(new Versions((short) 3, Short.MAX_VALUE), Versions.parse("3+"));
        assertEquals(new Versions((short) 0, (short) 12), Versions.parse("0-12"));
        assertEquals(new Versions((short) 5, (short) 5), Versions.parse("5"));
        assertTrue(Versions.parse("none").isEmpty());
        assertEquals("3+", Versions.parse("3+").toString());
        assertEquals("0-12", Versions.parse("0-12").toString());
        assertEquals("none", Versions.NONE.toString());
    }

    @Test
    void shouldRejectInvalidRanges() {
        assertThrows(IllegalArgumentException.class, () -> Versions.parse("x"));
        assertThrows(IllegalArgumentException.class, () -> Versions.parse("5-3"));
        assertThrows(IllegalArgumentException.class, () -> Versions.parse("1-"));
    }

    @Test
    void shouldTestMembershipAndIntersect() {
        Versions range = Versions.parse("3-9");
        assertTrue(range.contains(3));
        assertTrue(range.contains(9));
        assertFalse(range.contains(10));
        assertFalse(Versions.NONE.contains(0));
        assertTrue(Versions.ALL.contains(range));
        assertTrue(range.contains(Versions.NONE));
        assertFalse(range.contains(Versions.parse("5+")));
        assertEquals(Versions.parse("5-9"), range.intersect(Versions.parse("5+")));
        assertTrue(range.intersect(Versions.parse("10+")).isEmpty());
    }
}
