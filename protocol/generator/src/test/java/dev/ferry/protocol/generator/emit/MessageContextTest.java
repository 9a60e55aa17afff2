package dev.ferry.protocol.generator.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.protocol.generator.spec.MessageSpec;
import dev.ferry.protocol.generator.spec.SpecParser;
import dev.ferry.protocol.generator.spec.StructRegistry;
import dev.ferry.protocol.generator.spec.Versions;
import org.junit.jupiter.api.Test;

class MessageContextTest {
    private final MessageSpec spec = SpecParser.parse("{ \"type\": \"request\", \"name\": \"XRequest\","
        + " \"validVersions\": \"2-9\", \"flexibleVersions\": \"5+\", \"fields\": [] }");
    private final MessageContext context = new MessageContext(spec, new StructRegistry(spec));

    @Test
    void shouldSimplifyConditionsAgainstTheValidVersions() {
        assertEquals("true", context.condition(Versions.parse("0+")));
        assertEquals("true", context.condition(Versions.parse("2-9")));
        assertEquals("false", context.condition(Versions.parse("10+")));
        assertEquals("false", context.condition(Versions.NONE));
        assertEquals("version >= 3", context.condition(Versions.parse("3+")));
        assertEquals("version <= 4", context.condition(Versions.parse("0-4")));
        assertEquals("version >= 3 && version <= 4", context.condition(Versions.parse("3-4")));
        assertEquals("version >= 5", context.flexibleCondition());
        assertEquals("!(version >= 3)", context.notCondition(Versions.parse("3+")));
        assertEquals("false", context.notCondition(Versions.parse("0+")));
    }

    @Test
    void shouldFoldConstantsWhenJoining() {
        assertEquals("a", MessageContext.and("true", "a"));
        assertEquals("false", MessageContext.and("a", "false"));
        assertEquals("a && b", MessageContext.and("a", "b"));
    }
}
