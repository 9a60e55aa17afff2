package dev.ferry.storage.internal;

import dev.ferry.storage.AtomicFiles;
import dev.ferry.storage.TopicCatalog;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The topic catalog as one properties file, {@code <first log dir>/.ferry/topics.properties}, rewritten atomically
 * on every change. Keys start with the topic id, which cannot contain a dot, so topic names and config names may
 * contain anything:
 *
 * <pre>
 * 5f1d...-...-....id=5f1d...          (redundant, keeps each topic's block self-describing)
 * 5f1d...-...-....name=orders
 * 5f1d...-...-....partitions=3
 * 5f1d...-...-....config.retention.ms=86400000
 * </pre>
 *
 * The {@code .ferry} directory cannot collide with a partition directory, whose name always ends in
 * {@code -<partition number>}.
 *
 * <p><b>Thread-safety:</b> safe from any thread; changes are serialised, reads see an immutable snapshot.
 */
final class FileTopicCatalog implements TopicCatalog {

    static final String DIRECTORY = ".ferry";
    static final String FILE_NAME = "topics.properties";
    private static final String NAME = "name";
    private static final String PARTITIONS = "partitions";
    private static final String CONFIG_PREFIX = "config.";

    private final Path file;
    private volatile Map<String, TopicDefinition> topics;

    private FileTopicCatalog(final Path file, final Map<String, TopicDefinition> topics) {
        this.file = file;
        this.topics = topics;
    }

    static FileTopicCatalog open(final Path logDir) throws IOException {
        final Path dir = logDir.resolve(DIRECTORY);
        Files.createDirectories(dir);
        final Path file = dir.resolve(FILE_NAME);
        return new FileTopicCatalog(file, read(file));
    }

    @Override
    public Collection<TopicDefinition> topics() {
        return List.copyOf(topics.values());
    }

    @Override
    public Optional<TopicDefinition> topic(final String name) {
        return Optional.ofNullable(topics.get(name));
    }

    @Override
    public synchronized void put(final TopicDefinition topic) {
        final TopicDefinition copy = new TopicDefinition(topic.name(), topic.id(), topic.partitions(),
                Map.copyOf(topic.configs()));
        final Map<String, TopicDefinition> next = new TreeMap<>(topics);
        next.put(copy.name(), copy);
        persist(next);
    }

    @Override
    public synchronized void remove(final String name) {
        if (!topics.containsKey(name)) {
            return;
        }
        final Map<String, TopicDefinition> next = new TreeMap<>(topics);
        next.remove(name);
        persist(next);
    }

    private void persist(final Map<String, TopicDefinition> next) {
        try {
            AtomicFiles.write(file, render(next).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the topic catalog " + file, e);
        }
        topics = next;
    }

    private static String render(final Map<String, TopicDefinition> topics) {
        final StringBuilder text = new StringBuilder("# Ferry topic catalog: <topic id>.<field>=<value>\n");
        for (TopicDefinition topic : topics.values()) {
            final String id = topic.id().toString();
            final Map<String, String> lines = new TreeMap<>();
            lines.put("id", id);
            lines.put(NAME, topic.name());
            lines.put(PARTITIONS, Integer.toString(topic.partitions()));
            topic.configs().forEach((key, value) -> lines.put(CONFIG_PREFIX + key, value));
            lines.forEach((key, value) -> text.append(escape(id + "." + key, true)).append('=')
                    .append(escape(value, false)).append('\n'));
        }
        return text.toString();
    }

    private static Map<String, TopicDefinition> read(final Path file) throws IOException {
        final String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException missing) {
            return new TreeMap<>();
        }
        final Properties properties = new Properties();
        properties.load(new StringReader(text));
        final Map<String, Map<String, String>> byId = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            final int dot = key.indexOf('.');
            if (dot <= 0) {
                throw new IOException("malformed key '" + key + "' in topic catalog " + file);
            }
            byId.computeIfAbsent(key.substring(0, dot), id -> new HashMap<>())
                    .put(key.substring(dot + 1), properties.getProperty(key));
        }
        final Map<String, TopicDefinition> topics = new TreeMap<>();
        for (Map.Entry<String, Map<String, String>> entry : byId.entrySet()) {
            final Map<String, String> fields = entry.getValue();
            try {
                final UUID id = UUID.fromString(entry.getKey());
                final String name = fields.get(NAME);
                final int partitions = Integer.parseInt(fields.get(PARTITIONS));
                if (name == null) {
                    throw new IOException("topic " + id + " has no name in topic catalog " + file);
                }
                final Map<String, String> configs = new HashMap<>();
                fields.forEach((key, value) -> {
                    if (key.startsWith(CONFIG_PREFIX)) {
                        configs.put(key.substring(CONFIG_PREFIX.length()), value);
                    }
                });
                topics.put(name, new TopicDefinition(name, id, partitions, Map.copyOf(configs)));
            } catch (IllegalArgumentException e) {
                throw new IOException("malformed topic " + entry.getKey() + " in topic catalog " + file, e);
            }
        }
        return topics;
    }

    /** Escapes as {@link Properties#store} does, so {@link Properties#load} reads the text back exactly. */
    private static String escape(final String text, final boolean isKey) {
        final StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            switch (c) {
                case ' ' -> escaped.append(i == 0 || isKey ? "\\ " : " ");
                case '\t' -> escaped.append("\\t");
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\f' -> escaped.append("\\f");
                case '\\', '=', ':', '#', '!' -> escaped.append('\\').append(c);
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        escaped.append(String.format("\\u%04x", (int) c));
                    } else {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }
}
