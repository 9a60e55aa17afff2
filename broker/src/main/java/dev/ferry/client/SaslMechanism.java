package dev.ferry.client;

import java.util.Locale;

/** The SASL mechanisms the client speaks, by the names Kafka brokers offer them under. */
public enum SaslMechanism {
    PLAIN("PLAIN"),
    SCRAM_SHA_256("SCRAM-SHA-256"),
    SCRAM_SHA_512("SCRAM-SHA-512");

    private final String kafkaName;

    SaslMechanism(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    /** The mechanism's name in SaslHandshake, e.g. {@code SCRAM-SHA-256}. */
    public String kafkaName() {
        return kafkaName;
    }

    /**
     * The mechanism named {@code name}, in any case, with {@code -} or {@code _}: {@code plain},
     * {@code scram-sha-256}, {@code SCRAM_SHA_512}.
     *
     * @throws IllegalArgumentException when no mechanism has that name
     */
    public static SaslMechanism parse(String name) {
        String normalized = name.trim().toUpperCase(Locale.ROOT).replace('_', '-');
        for (SaslMechanism mechanism : values()) {
            if (mechanism.kafkaName.equals(normalized)) {
                return mechanism;
            }
        }
        throw new IllegalArgumentException("unknown SASL mechanism '" + name
                + "' (expected plain, scram-sha-256 or scram-sha-512)");
    }

    /** A new client-side exchange of this mechanism for one connection. */
    SaslExchange newExchange(SaslSettings settings) {
        return switch (this) {
            case PLAIN -> new PlainExchange(settings.username(), settings.password());
            case SCRAM_SHA_256 -> ScramExchange.sha256(settings.username(), settings.password());
            case SCRAM_SHA_512 -> ScramExchange.sha512(settings.username(), settings.password());
        };
    }
}
