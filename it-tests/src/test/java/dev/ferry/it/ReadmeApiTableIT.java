package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.it.fixture.BrokerTester;
import dev.ferry.it.fixture.RawKafkaConnection;
import dev.ferry.it.fixture.RequestBytes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README's table of Kafka APIs says exactly what a running broker advertises in ApiVersions. */
class ReadmeApiTableIT {

    private static final int API_VERSIONS = 18;
    private static final Path README = Path.of("..", "README.md");
    /** A table row: {@code | Produce | 0 | 3-13 (advertised from 0, ...) |}. */
    private static final Pattern ROW = Pattern.compile("^\\| \\w+ \\| (\\d+) \\| (\\d+)-(\\d+)\\b.*\\|$");

    @Test
    void shouldListEveryAdvertisedApiWithItsVersionRange(@TempDir Path dataDir) throws IOException {
        Map<Integer, String> advertised;
        try (var tester = BrokerTester.start(dataDir, Map.of());
             var connection = RawKafkaConnection.open(tester.port())) {
            connection.sendFrame(RequestBytes.header(API_VERSIONS, 0, 1, "readme"));
            advertised = apiVersionsV0(connection.readFrame());
        }
        assertEquals(advertised, readmeTable(), "README's API table (key -> versions) against ApiVersions");
    }

    /** Reads an ApiVersions v0 response: key to "min-max", with Produce's decoded minimum (3) as README states it. */
    private static Map<Integer, String> apiVersionsV0(ByteBuffer response) {
        assertEquals(1, response.getInt(), "correlation id");
        assertEquals(0, response.getShort(), "error code");
        Map<Integer, String> versions = new TreeMap<>();
        for (int i = response.getInt(); i > 0; i--) {
            versions.put((int) response.getShort(), response.getShort() + "-" + response.getShort());
        }
        return versions;
    }

    private static Map<Integer, String> readmeTable() throws IOException {
        String readme = Files.readString(README);
        String table = readme.substring(readme.indexOf("<!-- api-table:start -->"),
                readme.indexOf("<!-- api-table:end -->"));
        Map<Integer, String> versions = new TreeMap<>();
        for (String line : table.split("\n")) {
            Matcher row = ROW.matcher(line.strip());
            if (row.matches()) {
                int apiKey = Integer.parseInt(row.group(1));
                // Produce is decoded from 3 but advertised from 0, which README says in words
                String min = apiKey == 0 && line.contains("advertised from 0") ? "0" : row.group(2);
                versions.put(apiKey, min + "-" + row.group(3));
            }
        }
        return versions;
    }
}
