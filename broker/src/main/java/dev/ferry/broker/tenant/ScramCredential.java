package dev.ferry.broker.tenant;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a SCRAM server sends in its first message for an application: the salt and iteration count its keys were
 * derived with. Every key of an application shares them (see {@link Application}), because the server must name them
 * before it knows which key the client holds.
 *
 * @param mechanism  the mechanism of the exchange
 * @param salt       the application's salt; a copy
 * @param iterations the iteration count of the key derivation
 */
public record ScramCredential(ScramMechanism mechanism, byte[] salt, int iterations) {

    public ScramCredential {
        Objects.requireNonNull(mechanism, "mechanism");
        salt = salt.clone();
    }

    /** A copy of the salt. */
    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ScramCredential credential && mechanism == credential.mechanism
                && iterations == credential.iterations && Arrays.equals(salt, credential.salt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mechanism, iterations, Arrays.hashCode(salt));
    }

    @Override
    public String toString() {
        return "ScramCredential[" + mechanism.mechanismName() + ", " + salt.length + "-byte salt, " + iterations
                + " iterations]";
    }
}
