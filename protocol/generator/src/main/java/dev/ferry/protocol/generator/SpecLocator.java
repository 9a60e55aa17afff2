package dev.ferry.protocol.generator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds Kafka's message specs ({@code common/message/*.json}) on the class path, in the kafka-clients jar or a
 * directory, through a class loader. Stateless.
 */
final class SpecLocator {
    static final String SPEC_DIRECTORY = "common/message/";
    private static final String PROBE = SPEC_DIRECTORY + "ProduceRequest.json";

    private SpecLocator() {
    }

    /** The text of every spec, by file name, sorted by name. */
    static Map<String, String> readAll(ClassLoader loader) {
        URL probe = loader.getResource(PROBE);
        if (probe == null) {
            throw new IllegalStateException("No " + PROBE + " on the class path; is kafka-clients a dependency?");
        }
        try {
            if (probe.getProtocol().equals("jar")) {
                return readJar(probe);
            }
            return readDirectory(Path.of(probe.toURI()).getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the message specs from " + probe, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Unexpected spec location " + probe, e);
        }
    }

    private static Map<String, String> readJar(URL probe) throws IOException {
        Map<String, String> specs = new TreeMap<>();
        JarURLConnection connection = (JarURLConnection) probe.openConnection();
        connection.setUseCaches(false);
        try (JarFile jar = connection.getJarFile()) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                if (name.startsWith(SPEC_DIRECTORY) && name.endsWith(".json")
                    && name.indexOf('/', SPEC_DIRECTORY.length()) < 0) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        specs.put(name.substring(SPEC_DIRECTORY.length()),
                            new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return specs;
    }

    private static Map<String, String> readDirectory(Path directory) throws IOException {
        Map<String, String> specs = new TreeMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.endsWith(".json")) {
                    specs.put(name, Files.readString(file));
                }
            }
        }
        return specs;
    }
}
