package dev.ferry.protocol.generator.json;

/**
 * Thrown for text that is not valid JSON; the message names the line.
 */
public class JsonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JsonException(String message) {
        super(message);
    }
}
