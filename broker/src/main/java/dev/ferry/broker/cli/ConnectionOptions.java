package dev.ferry.broker.cli;

import dev.ferry.client.ClientSettings;
import dev.ferry.client.HostPort;
import dev.ferry.client.SaslMechanism;
import dev.ferry.client.SaslSettings;
import dev.ferry.client.TlsSettings;
import java.nio.file.Path;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options every client subcommand shares: where the cluster is, the application key sent as client id, transport
 * security, and {@code --verbose}. A picocli mixin.
 */
public final class ConnectionOptions {

    /** The client id of a command run without {@code --key}. */
    static final String DEFAULT_CLIENT_ID = "ferry-cli";

    /** Kafka's rule for the client software version of ApiVersions (KIP-511). */
    private static final Pattern SOFTWARE_VERSION = Pattern.compile("[a-zA-Z0-9](?:[a-zA-Z0-9\\-.]*[a-zA-Z0-9])?");

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--kafka", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9092",
            description = "The broker to connect to first (default: ${DEFAULT-VALUE}).")
    private String kafka;

    @Option(names = "--key", paramLabel = "KEY",
            description = "The application key, sent as the client id of every request (default: "
                    + DEFAULT_CLIENT_ID + "). To keep it out of the process list, put the option in a file and "
                    + "pass @FILE.")
    private String key;

    @Option(names = "--tls", description = "Connect over TLS.")
    private boolean tls;

    @Option(names = "--tls-ca", paramLabel = "FILE",
            description = "PEM file of the CA certificates to trust (implies --tls; default: the JVM's trust store).")
    private Path tlsCa;

    @Option(names = "--sasl", paramLabel = "MECHANISM",
            description = "Authenticate with SASL: plain, scram-sha-256 or scram-sha-512.")
    private String sasl;

    @Option(names = "--sasl-user", paramLabel = "USER", description = "The SASL user name.")
    private String saslUser;

    @Option(names = "--sasl-password", paramLabel = "PASSWORD",
            description = "The SASL password. To keep it out of the process list, put the option in a file and pass "
                    + "@FILE.")
    private String saslPassword;

    @Option(names = "--verbose", description = "Print the stack trace of a failure.")
    private boolean verbose;

    /** Whether {@code --verbose} was given. */
    boolean verbose() {
        return verbose;
    }

    /**
     * The client settings these options describe.
     *
     * @throws ParameterException when an option's value is invalid or a SASL option is missing
     */
    ClientSettings settings() {
        HostPort bootstrap;
        try {
            bootstrap = HostPort.parse(kafka);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), "Invalid value for option '--kafka': "
                    + e.getMessage());
        }
        String version = FerryVersion.version();
        ClientSettings settings = ClientSettings.to(bootstrap).withClientId(key == null ? DEFAULT_CLIENT_ID : key)
                .withSoftware("ferry", SOFTWARE_VERSION.matcher(version).matches() ? version : "unknown");
        if (tls || tlsCa != null) {
            settings = settings.withTls(new TlsSettings(tlsCa));
        }
        if (sasl != null) {
            SaslMechanism mechanism;
            try {
                mechanism = SaslMechanism.parse(sasl);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(mixee.commandLine(), "Invalid value for option '--sasl': "
                        + e.getMessage());
            }
            if (saslUser == null || saslPassword == null) {
                throw new ParameterException(mixee.commandLine(), "--sasl needs --sasl-user and --sasl-password");
            }
            settings = settings.withSasl(new SaslSettings(mechanism, saslUser, saslPassword));
        } else if (saslUser != null || saslPassword != null) {
            throw new ParameterException(mixee.commandLine(), "--sasl-user and --sasl-password need --sasl");
        }
        return settings;
    }
}
