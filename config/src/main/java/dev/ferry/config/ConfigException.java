package dev.ferry.config;

/**
 * A setting or topic config is unknown or has a value Ferry cannot accept. The message names the key, the value
 * and, for broker settings, where the value came from; it is meant to be shown to the operator (or returned to a
 * client as INVALID_CONFIG) as is.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
