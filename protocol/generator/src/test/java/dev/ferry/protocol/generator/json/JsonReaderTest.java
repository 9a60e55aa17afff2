package dev.ferry.protocol.generator.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {

    @Test
    void shouldSkipLineAndBlockComments() {
        Object value = JsonReader.parse("""
            // Licensed to the Apache Software Foundation
            {
              // a comment line inside
              "name": "Produce", /* inline */ "apiKey": 0
            }
            """);
        assertEquals(Map.of("name", "Produce", "apiKey", 0L), value);
    }

    @Test
    void shouldParseNestedValuesInDocumentOrder() {
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) JsonReader.parse(
            "{\"b\": [1, -2, 3.5, true, false, null, {}], \"a\": {\"x\": []}}");
        assertEquals(List.of("b", "a"), List.copyOf(object.keySet()));
        List<?> array = (List<?>) object.get("b");
        assertEquals(List.of(1L, -2L, 3.5, true, false), array.subList(0, 5));
        assertNull(array.get(5));
        assertEquals(Map.of(), array.get(6));
        assertEquals(Map.of("x", List.of()), object.get("a"));
    }

    @Test
    void shouldDecodeStringEscapes() {
        assertEquals("q\"b\\s/n\nt\tu\u00e9", JsonReader.parse("\"q\\\"b\\\\s\\/n\\nt\\tu\\u00e9\""));
    }

    @Test
    void shouldRejectMalformedDocumentsNamingTheLine() {
        JsonException e = assertThrows(JsonException.class, () -> JsonReader.parse("{\n\"a\": 1,\n\"a\": 2}"));
        assertTrue(e.getMessage().contains("Duplicate key"), e.getMessage());
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        assertThrows(JsonException.class, () -> JsonReader.parse("{\"a\": 1} x"));
        assertThrows(JsonException.class, () -> JsonReader.parse("{\"a\": \"unterminated"));
        assertThrows(JsonException.class, () -> JsonReader.parse("[1, 2"));
        assertThrows(JsonException.class, () -> JsonReader.parse("{\"a\" 1}"));
        assertThrows(JsonException.class, () -> JsonReader.parse("/* open"));
        assertThrows(JsonException.class, () -> JsonReader.parse("[tru]"));
    }
}
