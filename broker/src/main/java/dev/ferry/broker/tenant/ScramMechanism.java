package dev.ferry.broker.tenant;

import java.util.Optional;

/** The SCRAM mechanisms Kafka clients offer (RFC 7677 and its SHA-512 sibling), with their hash functions. */
public enum ScramMechanism {

    SCRAM_SHA_256("SCRAM-SHA-256", "SHA-256", "HmacSHA256", 1),
    SCRAM_SHA_512("SCRAM-SHA-512", "SHA-512", "HmacSHA512", 2);

    /** Iterations of the key derivation; Kafka's clients refuse fewer than this for either mechanism. */
    public static final int DEFAULT_ITERATIONS = 4096;

    private final String mechanismName;
    private final String digestAlgorithm;
    private final String hmacAlgorithm;
    private final int code;

    ScramMechanism(String mechanismName, String digestAlgorithm, String hmacAlgorithm, int code) {
        this.mechanismName = mechanismName;
        this.digestAlgorithm = digestAlgorithm;
        this.hmacAlgorithm = hmacAlgorithm;
        this.code = code;
    }

    /** The SASL mechanism name, e.g. {@code SCRAM-SHA-256}. */
    public String mechanismName() {
        return mechanismName;
    }

    /** The mechanism with SASL name {@code name}, exactly as clients send it. */
    public static Optional<ScramMechanism> forName(String name) {
        for (ScramMechanism mechanism : values()) {
            if (mechanism.mechanismName.equals(name)) {
                return Optional.of(mechanism);
            }
        }
        return Optional.empty();
    }

    String digestAlgorithm() {
        return digestAlgorithm;
    }

    String hmacAlgorithm() {
        return hmacAlgorithm;
    }

    /** The mechanism's number in the registry file; never reused. */
    int code() {
        return code;
    }

    static ScramMechanism forCode(int code) {
        for (ScramMechanism mechanism : values()) {
            if (mechanism.code == code) {
                return mechanism;
            }
        }
        throw new IllegalArgumentException("unknown SCRAM mechanism code " + code);
    }
}
