package dev.ferry.protocol.generator.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpecParserTest {
    static final String SPEC = """
        // a header comment
        {
          "apiKey": 99,
          "type": "request",
          "listeners": ["broker", "controller"],
          "name": "SampleRequest",
          "validVersions": "0-4",
          "flexibleVersions": "2+",
          "fields": [
            { "name": "GroupId", "type": "string", "versions": "1+", "nullableVersions": "3+", "default": "null",
              "about": "The group." },
            { "name": "TimeoutMs", "type": "int32", "versions": "0+", "default": "0x7fffffff", "ignorable": true },
            { "name": "Topics", "type": "[]SampleTopic", "versions": "0+", "fields": [
              { "name": "Name", "type": "string", "versions": "0+" },
              { "name": "Leader", "type": "Leader", "versions": "2+", "tag": 0, "taggedVersions": "2+" }
            ]}
          ],
          "commonStructs": [
            { "name": "Leader", "versions": "0+", "fields": [
              { "name": "LeaderId", "type": "int32", "versions": "0+", "default": -1 }
            ]}
          ]
        }
        """;

    @Test
    void shouldReadMessageAttributesAndFields() {
        MessageSpec spec = SpecParser.parse(SPEC);
        assertEquals("SampleRequest", spec.name());
        assertEquals("SampleRequestData", spec.className());
        assertTrue(spec.isRequest());
        assertEquals(99, spec.apiKey());
        assertEquals(Versions.parse("0-4"), spec.validVersions());
        assertEquals(Versions.parse("2+"), spec.flexibleVersions());
        assertEquals(List.of("broker", "controller"), spec.listeners());
        FieldSpec groupId = spec.fields().get(0);
        assertEquals(Versions.parse("3+"), groupId.nullableVersions());
        assertTrue(groupId.defaultsToNull());
        assertEquals("The group.", groupId.about());
        FieldSpec timeout = spec.fields().get(1);
        assertEquals("2147483647", String.valueOf(Long.decode(timeout.defaultValue())));
        assertTrue(timeout.ignorable());
        assertNull(timeout.flexibleVersions());
        FieldSpec leader = spec.fields().get(2).fields().get(1);
        assertEquals(0, leader.tag());
        assertEquals(Versions.NONE, leader.positionalVersions());
        assertEquals("Leader", spec.commonStructs().get(0).name());
    }

    @Test
    void shouldRejectRuleBreakingSpecs() {
        assertInvalid("nullable int32", "{ \"name\": \"Id\", \"type\": \"int32\", \"versions\": \"0+\","
            + " \"nullableVersions\": \"0+\" }");
        assertInvalid("tag outside flexible versions", "{ \"name\": \"Id\", \"type\": \"int32\", \"versions\": \"0+\","
            + " \"tag\": 0, \"taggedVersions\": \"0+\" }");
        assertInvalid("tag without taggedVersions", "{ \"name\": \"Id\", \"type\": \"int32\", \"versions\": \"2+\","
            + " \"tag\": 0 }");
        assertInvalid("null default on non-nullable", "{ \"name\": \"Id\", \"type\": \"string\", \"versions\": \"0+\","
            + " \"default\": \"null\" }");
        assertInvalid("duplicate field", "{ \"name\": \"Id\", \"type\": \"int32\", \"versions\": \"0+\" },"
            + " { \"name\": \"Id\", \"type\": \"int32\", \"versions\": \"0+\" }");
    }

    private static void assertInvalid(String why, String fields) {
        String spec = "{ \"type\": \"request\", \"name\": \"BadRequest\", \"validVersions\": \"0-4\","
            + " \"flexibleVersions\": \"2+\", \"fields\": [" + fields + "] }";
        assertThrows(IllegalArgumentException.class, () -> SpecParser.parse(spec), why);
    }
}
