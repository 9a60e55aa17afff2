package dev.ferry.protocol.generator.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.generator.spec.FieldType.Kind;
import org.junit.jupiter.api.Test;

class FieldTypeTest {

    @Test
    void shouldParsePrimitivesArraysAndStructs() {
        assertEquals(Kind.UINT16, FieldType.parse("uint16").kind());
        assertEquals(Kind.RECORDS, FieldType.parse("records").kind());
        FieldType ints = FieldType.parse("[]int32");
        assertTrue(ints.isArray());
        assertEquals(Kind.INT32, ints.elementType().kind());
        FieldType topics = FieldType.parse("[]TopicData");
        assertTrue(topics.refersToStruct());
        assertEquals("TopicData", topics.referencedStruct());
        assertEquals("[]TopicData", topics.toString());
        assertTrue(FieldType.parse("Cursor").isStruct());
        assertFalse(FieldType.parse("int64").canBeNullable());
        assertTrue(FieldType.parse("bytes").canBeNullable());
        assertEquals(16, Kind.UUID.fixedWidth());
    }

    @Test
    void shouldRejectUnknownAndNestedArrayTypes() {
        assertThrows(IllegalArgumentException.class, () -> FieldType.parse("int128"));
        assertThrows(IllegalArgumentException.class, () -> FieldType.parse("[][]int32"));
        assertThrows(IllegalArgumentException.class, () -> FieldType.parse("[]records"));
    }
}
