package dev.ferry.protocol.generator.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses JSON text into plain Java values: objects become {@code Map<String, Object>} (in document order), arrays
 * {@code List<Object>}, strings {@code String}, numbers {@code Long} or {@code Double}, booleans {@code Boolean} and
 * null {@code null}. Line comments ({@code //}) and block comments are skipped as whitespace. Not thread-safe; one
 * instance per document.
 */
public final class JsonReader {
    private final String text;
    private int position;

    private JsonReader(String text) {
        this.text = text;
    }

    /** Parses a whole document, rejecting trailing content. */
    public static Object parse(String text) {
        JsonReader reader = new JsonReader(text);
        Object value = reader.readValue();
        reader.skipWhitespace();
        if (reader.position != text.length()) {
            throw reader.error("Unexpected trailing content");
        }
        return value;
    }

    private Object readValue() {
        skipWhitespace();
        if (position >= text.length()) {
            throw error("Unexpected end of input");
        }
        char c = text.charAt(position);
        switch (c) {
            case '{':
                return readObject();
            case '[':
                return readArray();
            case '"':
                return readString();
            case 't':
                expectWord("true");
                return Boolean.TRUE;
            case 'f':
                expectWord("false");
                return Boolean.FALSE;
            case 'n':
                expectWord("null");
                return null;
            default:
                if (c == '-' || Character.isDigit(c)) {
                    return readNumber();
                }
                throw error("Unexpected character '" + c + "'");
        }
    }

    private Map<String, Object> readObject() {
        Map<String, Object> object = new LinkedHashMap<>();
        expect('{');
        skipWhitespace();
        if (peek() == '}') {
            position++;
            return object;
        }
        while (true) {
            skipWhitespace();
            String key = readString();
            skipWhitespace();
            expect(':');
            if (object.containsKey(key)) {
                throw error("Duplicate key \"" + key + "\"");
            }
            object.put(key, readValue());
            skipWhitespace();
            if (peek() == ',') {
                position++;
            } else {
                expect('}');
                return object;
            }
        }
    }

    private List<Object> readArray() {
        List<Object> array = new ArrayList<>();
        expect('[');
        skipWhitespace();
        if (peek() == ']') {
            position++;
            return array;
        }
        while (true) {
            array.add(readValue());
            skipWhitespace();
            if (peek() == ',') {
                position++;
            } else {
                expect(']');
                return array;
            }
        }
    }

    private String readString() {
        expect('"');
        StringBuilder value = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return value.toString();
            }
            if (c != '\\') {
                value.append(c);
                continue;
            }
            char escaped = next();
            switch (escaped) {
                case '"', '\\', '/' -> value.append(escaped);
                case 'b' -> value.append('\b');
                case 'f' -> value.append('\f');
                case 'n' -> value.append('\n');
                case 'r' -> value.append('\r');
                case 't' -> value.append('\t');
                case 'u' -> {
                    if (position + 4 > text.length()) {
                        throw error("Truncated unicode escape");
                    }
                    value.append((char) Integer.parseInt(text.substring(position, position + 4), 16));
                    position += 4;
                }
                default -> throw error("Invalid escape '\\" + escaped + "'");
            }
        }
    }

    private Object readNumber() {
        int start = position;
        while (position < text.length() && "+-0123456789.eE".indexOf(text.charAt(position)) >= 0) {
            position++;
        }
        String literal = text.substring(start, position);
        try {
            if (literal.contains(".") || literal.contains("e") || literal.contains("E")) {
                return Double.parseDouble(literal);
            }
            return Long.parseLong(literal);
        } catch (NumberFormatException e) {
            throw error("Invalid number " + literal);
        }
    }

    private void skipWhitespace() {
        while (position < text.length()) {
            char c = text.charAt(position);
            if (Character.isWhitespace(c)) {
                position++;
            } else if (text.startsWith("//", position)) {
                int end = text.indexOf('\n', position);
                position = end < 0 ? text.length() : end + 1;
            } else if (text.startsWith("/*", position)) {
                int end = text.indexOf("*/", position + 2);
                if (end < 0) {
                    throw error("Unterminated comment");
                }
                position = end + 2;
            } else {
                return;
            }
        }
    }

    private void expectWord(String word) {
        if (!text.startsWith(word, position)) {
            throw error("Expected " + word);
        }
        position += word.length();
    }

    private void expect(char expected) {
        char c = next();
        if (c != expected) {
            position--;
            throw error("Expected '" + expected + "' but found '" + c + "'");
        }
    }

    private char peek() {
        if (position >= text.length()) {
            throw error("Unexpected end of input");
        }
        return text.charAt(position);
    }

    private char next() {
        char c = peek();
        position++;
        return c;
    }

    private JsonException error(String message) {
        int line = 1;
        for (int i = 0; i < Math.min(position, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return new JsonException(message + " at line " + line);
    }
}
