package dev.ferry.broker.cli;

import dev.ferry.client.ConsumerRecord;
import dev.ferry.protocol.record.Header;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * How {@code ferry consume} prints a record: one line per record, from a template or as JSON.
 *
 * <p>A template is text with placeholders: {@code %v} value, {@code %k} key, {@code %p} partition, {@code %o}
 * offset, {@code %t} timestamp (milliseconds since the epoch), {@code %T} topic, {@code %h} headers as
 * {@code k=v} pairs separated by commas, {@code %%} a percent sign; and escapes {@code \t}, {@code \n},
 * {@code \\}. Keys, values and headers print as UTF-8 text, a null one as {@code null}. The format {@code json}
 * prints each record as a JSON object on one line, with fields topic, partition, offset, timestamp, key, value and
 * headers (an array of {"key", "value"} objects, in order; headers may repeat a key).
 *
 * <p>Immutable and thread-safe once parsed.
 */
public final class RecordFormat {

    /** The name of the JSON lines format. */
    public static final String JSON = "json";

    private static final String NULL_TEXT = "null";

    private final List<BiConsumer<ConsumerRecord, StringBuilder>> parts;

    private RecordFormat(List<BiConsumer<ConsumerRecord, StringBuilder>> parts) {
        this.parts = List.copyOf(parts);
    }

    /**
     * Parses a format: {@value #JSON}, or a template.
     *
     * @throws IllegalArgumentException naming the unknown placeholder or escape
     */
    public static RecordFormat parse(String format) {
        if (JSON.equals(format)) {
            return new RecordFormat(List.of(RecordFormat::json));
        }
        List<BiConsumer<ConsumerRecord, StringBuilder>> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' && c != '\\') {
                literal.append(c);
                continue;
            }
            if (i + 1 == format.length()) {
                throw new IllegalArgumentException("the format ends with a lone '" + c + "'");
            }
            char next = format.charAt(++i);
            if (c == '\\') {
                literal.append(switch (next) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case '\\' -> '\\';
                    default -> throw new IllegalArgumentException("unknown escape '\\" + next + "' in the format");
                });
                continue;
            }
            if (next == '%') {
                literal.append('%');
                continue;
            }
            BiConsumer<ConsumerRecord, StringBuilder> placeholder = placeholder(next);
            if (literal.length() > 0) {
                String text = literal.toString();
                parts.add((record, out) -> out.append(text));
                literal.setLength(0);
            }
            parts.add(placeholder);
        }
        if (literal.length() > 0) {
            String text = literal.toString();
            parts.add((record, out) -> out.append(text));
        }
        return new RecordFormat(parts);
    }

    private static BiConsumer<ConsumerRecord, StringBuilder> placeholder(char name) {
        return switch (name) {
            case 'v' -> (record, out) -> out.append(text(record.value()));
            case 'k' -> (record, out) -> out.append(text(record.key()));
            case 't' -> (record, out) -> out.append(record.timestamp());
            case 'T' -> (record, out) -> out.append(record.partition().topic());
            case 'p' -> (record, out) -> out.append(record.partition().partition());
            case 'o' -> (record, out) -> out.append(record.offset());
            case 'h' -> RecordFormat::headers;
            default -> throw new IllegalArgumentException("unknown placeholder '%" + name
                    + "' in the format (known: %v %k %p %o %t %T %h %%)");
        };
    }

    /** The line for {@code record}, without a line terminator. */
    public String format(ConsumerRecord record) {
        StringBuilder out = new StringBuilder();
        for (BiConsumer<ConsumerRecord, StringBuilder> part : parts) {
            part.accept(record, out);
        }
        return out.toString();
    }

    private static void headers(ConsumerRecord record, StringBuilder out) {
        for (int i = 0; i < record.headers().size(); i++) {
            Header header = record.headers().get(i);
            if (i > 0) {
                out.append(',');
            }
            out.append(header.key()).append('=').append(text(header.value()));
        }
    }

    private static void json(ConsumerRecord record, StringBuilder out) {
        out.append("{\"topic\":");
        jsonString(record.partition().topic(), out);
        out.append(",\"partition\":").append(record.partition().partition());
        out.append(",\"offset\":").append(record.offset());
        out.append(",\"timestamp\":").append(record.timestamp());
        out.append(",\"key\":");
        jsonBytes(record.key(), out);
        out.append(",\"value\":");
        jsonBytes(record.value(), out);
        out.append(",\"headers\":[");
        for (int i = 0; i < record.headers().size(); i++) {
            Header header = record.headers().get(i);
            out.append(i == 0 ? "" : ",").append("{\"key\":");
            jsonString(header.key(), out);
            out.append(",\"value\":");
            jsonBytes(header.value(), out);
            out.append('}');
        }
        out.append("]}");
    }

    private static void jsonBytes(byte[] bytes, StringBuilder out) {
        if (bytes == null) {
            out.append(NULL_TEXT);
        } else {
            jsonString(new String(bytes, StandardCharsets.UTF_8), out);
        }
    }

    /** A JSON string literal (RFC 8259): quote, backslash and control characters escaped. */
    static void jsonString(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static String text(byte[] bytes) {
        return bytes == null ? NULL_TEXT : new String(bytes, StandardCharsets.UTF_8);
    }
}
