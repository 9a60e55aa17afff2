package dev.ferry.protocol.generator.emit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.generator.spec.SpecParser;
import org.junit.jupiter.api.Test;

class MessageFileEmitterTest {
    private static final String SPEC = """
        {
          "apiKey": 99, "type": "request", "name": "SampleRequest",
          "validVersions": "0-4", "flexibleVersions": "2+",
          "fields": [
            { "name": "GroupId", "type": "string", "versions": "1+", "nullableVersions": "3+", "default": "null",
              "about": "The group <id> & @name." },
            { "name": "TimeoutMs", "type": "int32", "versions": "0+", "default": "0x7fffffff" },
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
    void shouldEmitTheClassWithNestedStructsAndKafkaStyleAccessors() {
        String source = MessageFileEmitter.emit(SpecParser.parse(SPEC));
        assertTrue(source.startsWith("// Generated from SampleRequest.json"), source);
        assertTrue(source.contains("package dev.ferry.protocol.message;"));
        assertTrue(source.contains("public final class SampleRequestData implements ApiMessage {"));
        assertTrue(source.contains("public static final short API_KEY = 99;"));
        assertTrue(source.contains("public static final class SampleTopic implements Message {"));
        assertTrue(source.contains("public static final class Leader implements Message {"));
        assertTrue(source.contains("public String groupId() {"));
        assertTrue(source.contains("public SampleRequestData setGroupId(String value) {"));
        assertTrue(source.contains("private List<SampleTopic> topics;"));
        assertTrue(source.contains("this.timeoutMs = 2147483647;"));
        assertTrue(source.contains("this.leaderId = -1;"));
        assertTrue(source.contains("WireReader.readString(in, flexible, version >= 3, \"groupId\")"));
        assertTrue(source.contains("throw WireWriter.unsupportedField(\"groupId\", version);"));
        assertTrue(source.contains("private static final Leader DEFAULT_LEADER = new Leader();"));
        assertTrue(source.contains("The group &lt;id&gt; &amp; &#64;name."));
        assertTrue(source.contains("import java.util.List;"));
        assertFalse(source.contains("import java.util.UUID;"), "no unused imports");
        assertFalse(source.contains("import dev.ferry.protocol.Records;"), "no unused imports");
    }

    @Test
    void shouldRejectStructsNamedLikeImportedTypes() {
        String clashing = SPEC.replace("SampleTopic", "List");
        assertThrows(IllegalArgumentException.class, () -> MessageFileEmitter.emit(SpecParser.parse(clashing)));
    }
}
