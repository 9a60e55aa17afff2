package dev.ferry.protocol.generator.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class StructRegistryTest {

    @Test
    void shouldCollectInlineAndCommonStructs() {
        StructRegistry registry = new StructRegistry(SpecParser.parse(SpecParserTest.SPEC));
        assertEquals(List.of("Leader", "SampleTopic"), registry.all().stream().map(StructSpec::name).toList());
        assertEquals("LeaderId", registry.get("Leader").fields().get(0).name());
    }

    @Test
    void shouldRejectUndefinedAndTwiceDefinedStructs() {
        MessageSpec undefined = SpecParser.parse("{ \"type\": \"request\", \"name\": \"XRequest\", \"validVersions\":"
            + " \"0\", \"fields\": [ { \"name\": \"A\", \"type\": \"[]Missing\", \"versions\": \"0+\" } ] }");
        assertThrows(IllegalArgumentException.class, () -> new StructRegistry(undefined));
        MessageSpec twice = SpecParser.parse("{ \"type\": \"request\", \"name\": \"XRequest\","
            + " \"validVersions\": \"0\", \"fields\": ["
            + " { \"name\": \"A\", \"type\": \"S\", \"versions\": \"0+\", \"fields\": [ { \"name\": \"I\","
            + " \"type\": \"int8\", \"versions\": \"0+\" } ] },"
            + " { \"name\": \"B\", \"type\": \"S\", \"versions\": \"0+\", \"fields\": [ { \"name\": \"J\","
            + " \"type\": \"int8\", \"versions\": \"0+\" } ] } ] }");
        assertThrows(IllegalArgumentException.class, () -> new StructRegistry(twice));
    }
}
