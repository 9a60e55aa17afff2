package dev.ferry.protocol.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.generator.spec.MessageSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    private static final String EMBEDDED = "{ \"type\": \"data\", \"name\": \"Embedded\", \"validVersions\": \"0-1\","
        + " \"flexibleVersions\": \"none\", \"fields\": [ { \"name\": \"Topics\", \"type\": \"[]string\","
        + " \"versions\": \"0+\" }, { \"name\": \"GenerationId\", \"type\": \"int32\", \"versions\": \"1+\","
        + " \"default\": \"-1\", \"ignorable\": true } ] }";

    @Test
    void shouldGenerateMessagesDispatchAndRandomizerButSkipUnlistedDataSpecsAndDropStaleFiles(@TempDir Path root)
        throws IOException {
        Map<String, String> texts = new TreeMap<>(Map.of("PingRequest.json", REQUEST, "PingResponse.json", RESPONSE,
            "SomeRecord.json", DATA));
        List<MessageSpec> specs = MessageGenerator.parseAll(texts, Set.of());
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
        assertTrue(dispatch.contains("PingRequestData::new, PingResponseData::new,"), dispatch);
        assertTrue(dispatch.contains(
            "(response, version, action) -> ((PingResponseData) response).forEachErrorCode(version, action));"),
            dispatch);
        String randomizer = Files.readString(root.resolve("test/dev/ferry/protocol/message/MessageRandomizer.java"));
        assertTrue(randomizer.contains("case 7:"), randomizer);
    }

    @Test
    void shouldGenerateListedDataSpecsAsPlainMessagesOutsideTheApiDispatch(@TempDir Path root) throws IOException {
        Map<String, String> texts = new TreeMap<>(Map.of("PingRequest.json", REQUEST, "PingResponse.json", RESPONSE,
            "SomeRecord.json", DATA, "Embedded.json", EMBEDDED));
        List<MessageSpec> specs = MessageGenerator.parseAll(texts, Set.of("Embedded"));
        assertEquals(List.of("EmbeddedData", "PingRequestData", "PingResponseData"),
            specs.stream().map(MessageSpec::className).sorted().toList());
        MessageGenerator.generate(specs, root.resolve("main"), root.resolve("test"));

        Path messages = root.resolve("main/dev/ferry/protocol/message");
        String embedded = Files.readString(messages.resolve("EmbeddedData.java"));
        assertTrue(embedded.contains("public final class EmbeddedData implements Message {"), embedded);
        assertFalse(embedded.contains("API_KEY"), embedded);
        assertTrue(embedded.contains("public EmbeddedData setGenerationId(int value) {"), embedded);
        assertFalse(Files.exists(messages.resolve("SomeRecordData.java")), "unlisted data spec must be skipped");
        String dispatch = Files.readString(messages.resolve("ApiMessageType.java"));
        assertFalse(dispatch.contains("Embedded"), dispatch);
        String randomizer = Files.readString(root.resolve("test/dev/ferry/protocol/message/MessageRandomizer.java"));
        assertTrue(randomizer.contains("public EmbeddedData embedded(short version) {"), randomizer);
    }

    @Test
    void shouldFailWhenAListedDataSpecIsMissingOrNotData() {
        Map<String, String> texts = Map.of("PingRequest.json", REQUEST, "SomeRecord.json", DATA);
        IllegalStateException missing = assertThrows(IllegalStateException.class,
            () -> MessageGenerator.parseAll(texts, Set.of("SomeRecord", "ConsumerProtocolAssignment")));
        assertTrue(missing.getMessage().contains("[ConsumerProtocolAssignment]"), missing.getMessage());
        assertThrows(IllegalStateException.class, () -> MessageGenerator.parseAll(texts, Set.of("PingRequest")));
    }
}
