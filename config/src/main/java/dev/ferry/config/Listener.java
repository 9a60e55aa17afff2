package dev.ferry.config;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One listener address, as written in {@code listeners} and {@code advertised.listeners}:
 * {@code NAME://host:port}.
 *
 * @param name the listener name, upper-cased as Kafka normalises it (e.g. {@code PLAINTEXT})
 * @param host a host name or IP literal without brackets; empty means every interface when binding and the
 *             machine's host name when advertising
 * @param port 0 to 65535; 0 binds an ephemeral port (and advertises the port actually bound)
 */
public record Listener(String name, String host, int port) {

    private static final Pattern SPEC =
            Pattern.compile("([A-Za-z0-9_]+)://(\\[([0-9A-Za-z:.%]+)]|[A-Za-z0-9._-]*):([0-9]{1,5})");

    public Listener {
        if (name == null || !name.matches("[A-Z0-9_]+")) {
            throw new IllegalArgumentException("Listener name must be upper-case letters, digits or '_': " + name);
        }
        if (host == null) {
            throw new IllegalArgumentException("Listener host must not be null; use \"\" for every interface");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("Listener port must be between 0 and 65535: " + port);
        }
    }

    /**
     * Parses {@code NAME://host:port}: an IPv6 literal goes in brackets ({@code PLAINTEXT://[::1]:9092}), an empty
     * host ({@code PLAINTEXT://:9092}) means every interface, port 0 an ephemeral port.
     *
     * @throws ConfigException naming the spec and what is wrong with it
     */
    public static Listener parse(String spec) {
        String trimmed = spec.trim();
        Matcher matcher = SPEC.matcher(trimmed);
        if (!matcher.matches()) {
            throw new ConfigException("Listener '" + trimmed + "' is not of the form NAME://host:port "
                    + "(IPv6 hosts in brackets, e.g. PLAINTEXT://[::1]:9092)");
        }
        int port = Integer.parseInt(matcher.group(4));
        if (port > 65535) {
            throw new ConfigException("Listener '" + trimmed + "' has port " + port + ", above 65535");
        }
        String host = matcher.group(3) != null ? matcher.group(3) : matcher.group(2);
        return new Listener(matcher.group(1).toUpperCase(Locale.ROOT), host, port);
    }

    /** This listener written back as {@code NAME://host:port}, with an IPv6 host in brackets. */
    public String spec() {
        return name + "://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** True when the host means every interface: empty, {@code 0.0.0.0} or {@code ::}. */
    public boolean bindsAllInterfaces() {
        return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::");
    }

    /** The specs of {@code listeners}, comma-separated. */
    static String specs(List<Listener> listeners) {
        return String.join(",", listeners.stream().map(Listener::spec).toList());
    }
}
