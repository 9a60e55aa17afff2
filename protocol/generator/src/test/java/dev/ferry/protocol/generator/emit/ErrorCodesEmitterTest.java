package dev.ferry.protocol.generator.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.generator.spec.SpecParser;
import org.junit.jupiter.api.Test;

class ErrorCodesEmitterTest {
    private static final String RESPONSE = """
        {
          "apiKey": 98, "type": "response", "name": "SampleResponse",
          "validVersions": "0-4", "flexibleVersions": "none",
          "fields": [
            { "name": "ThrottleTimeMs", "type": "int32", "versions": "0+" },
            { "name": "ErrorCode", "type": "int16", "versions": "2+" },
            { "name": "Topics", "type": "[]SampleTopic", "versions": "0+", "fields": [
              { "name": "Name", "type": "string", "versions": "0+" },
              { "name": "PartitionErrorCode", "type": "int16", "versions": "0+" },
              { "name": "Labels", "type": "[]Label", "versions": "0+", "fields": [
                { "name": "Value", "type": "string", "versions": "0+" }
              ]}
            ]},
            { "name": "Leader", "type": "Leader", "versions": "1+" }
          ],
          "commonStructs": [
            { "name": "Leader", "versions": "0+", "fields": [
              { "name": "LeaderId", "type": "int32", "versions": "0+" },
              { "name": "LeaderErrorCode", "type": "int16", "versions": "0+" }
            ]}
          ]
        }
        """;

    @Test
    void shouldWalkErrorCodesOfTheVersionAndDescendIntoStructsHoldingThem() {
        String source = MessageFileEmitter.emit(SpecParser.parse(RESPONSE));
        String walk = method(source, "    public void forEachErrorCode(short version, IntConsumer action) {");
        assertEquals("""
                public void forEachErrorCode(short version, IntConsumer action) {
                    if (version >= 2) {
                        action.accept(this.errorCode);
                    }
                    if (this.topics != null) {
                        for (int i = 0; i < this.topics.size(); i++) {
                            this.topics.get(i).forEachErrorCode(version, action);
                        }
                    }
                    if (version >= 1) {
                        if (this.leader != null) {
                            this.leader.forEachErrorCode(version, action);
                        }
                    }
                }
            """, walk);
        assertTrue(source.contains("import java.util.function.IntConsumer;"));
        // SampleTopic and Leader carry codes; Label holds none, so it gets no walk
        assertEquals(3, source.split("public void forEachErrorCode", -1).length - 1, source);
        String label = source.substring(source.indexOf("public static final class Label implements Message"));
        assertFalse(label.substring(0, label.indexOf("\n    }\n")).contains("forEachErrorCode"));
    }

    @Test
    void shouldGiveEveryResponseTheWalkEvenWithoutErrorCodes() {
        String source = MessageFileEmitter.emit(SpecParser.parse("""
            {
              "apiKey": 98, "type": "response", "name": "SampleResponse",
              "validVersions": "0", "flexibleVersions": "none",
              "fields": [ { "name": "ThrottleTimeMs", "type": "int32", "versions": "0+" } ]
            }
            """));
        assertTrue(source.contains("""
                public void forEachErrorCode(short version, IntConsumer action) {
                }
            """), source);
    }

    @Test
    void shouldLeaveRequestsWithoutTheWalk() {
        String request = RESPONSE.replace("\"response\"", "\"request\"").replace("SampleResponse", "SampleRequest");
        String source = MessageFileEmitter.emit(SpecParser.parse(request));
        assertFalse(source.contains("forEachErrorCode"));
        assertFalse(source.contains("IntConsumer"), "no unused import");
    }

    private static String method(String source, String signature) {
        int start = source.indexOf(signature);
        assertTrue(start >= 0, source);
        int end = source.indexOf("\n    }\n", start) + "\n    }\n".length();
        return source.substring(start, end);
    }
}
