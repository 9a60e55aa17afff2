package dev.ferry.protocol.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.generator.spec.MessageSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessageGeneratorTest {
    private static final String REQUEST = "{ \"apiKey\": 7, \"type\": \"request\", \"name\": \"PingRequest\","
        + " \"listeners\": [\"broker\"], \"validVersions\": \"0-1\", \"flexibleVersions\": \"1+\","
        + " \"fields\": [ { \"name\": \"Payload\", \"type\": \"bytes\", \"versions\": \"0+\" } ] }";
    private static final String RESPONSE = "{ \"apiKey\": 7, \"type\": \"response\", \"name\": \"PingResponse\","
        + " \"validVersions\": \"0-1\", \"flexibleVersions\": \"1+\","
        + " \"fields\": [ { \"name\": \"ErrorCode\", \"type\": \"int16\", \"versions\": \"0+\" } ] }";
    private static final String DATA = "{ \"type\": \"data\", \"name\": \"SomeRecord\", \"validVersions\": \"0\","
        + " \"flexibleVersions\": \"none\", \"fields\": [] }";

    @Test
    void shouldGenerateMessagesDispatchAndRandomizerButSkipDataSpecsAndDropStaleFiles(@TempDir Path root)
        throws IOException {
        Map<String, String> texts = new TreeMap<>(Map.of("PingRequest.json", REQUEST, "PingResponse.json", RESPONSE,
            "SomeRecord.json", DATA));
        List<MessageSpec> specs = MessageGenerator.parseAll(texts);
        assertEquals(2, specs.size());
        Path messages = root.resolve("main/dev/ferry/protocol/message");
        Files.createDirectories(messages);
        Files.writeString(messages.resolve("DroppedRequestData.java"), "// from a spec that no longer exists");
        MessageGenerator.generate(specs, root.resolve("main"), root.resolve("test"));

        try (Stream<Path> files = Files.list(messages)) {
            assertEquals(
                List.of("ApiMessageType.java", "PingRequestData.java", "PingResponseData.java", "package-info.java"),
                files.map(file -> file.getFileName().toString()).sorted().toList());
        }
        String dispatch = Files.readString(messages.resolve("ApiMessageType.java"));
        assertTrue(dispatch.contains("PING((short) 7, \"Ping\", (short) 0, (short) 1, false, 1, List.of(\"broker\"),"),
            dispatch);
        assertTrue(dispatch.contains("PingRequestData::new, PingResponseData::new);"), dispatch);
        String randomizer = Files.readString(root.resolve("test/dev/ferry/protocol/message/MessageRandomizer.java"));
        assertTrue(randomizer.contains("case 7:"), randomizer);
    }
}
