package dev.ferry.broker.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"orders", "a", "A.b_c-9", "...", "_internal", "x-.y"})
    void shouldAcceptLegalNames(String name) {
        assertNull(TopicNames.invalidReason(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "with space", "slash/name", "colon:name", "ünïcode", "tab\t"})
    void shouldRejectIllegalNames(String name) {
        assertFalse(TopicNames.isValid(name));
    }

    @Test
    void shouldAcceptNamesUpTo249Characters() {
        assertTrue(TopicNames.isValid("x".repeat(249)));
        assertEquals("Topic name is invalid: the length of '" + "x".repeat(250)
                + "' is longer than the max allowed length 249", TopicNames.invalidReason("x".repeat(250)));
    }

    @Test
    void shouldRejectNullName() {
        assertFalse(TopicNames.isValid(null));
    }

    @Test
    void shouldGiveDotAndUnderscoreTheSameCollisionKey() {
        assertEquals(TopicNames.collisionKey("a.b_c"), TopicNames.collisionKey("a_b.c"));
        assertFalse(TopicNames.collisionKey("a-b").equals(TopicNames.collisionKey("a_b")));
    }
}
