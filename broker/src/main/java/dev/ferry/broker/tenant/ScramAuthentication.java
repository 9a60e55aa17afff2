package dev.ferry.broker.tenant;

import java.util.Arrays;
import java.util.Objects;

/**
 * A SCRAM client proof that matched one of an application's keys.
 *
 * @param principal       who the client is
 * @param serverSignature {@code ServerSignature} for the server-final-message ({@code v=}), made with the matching
 *                        key's {@code ServerKey}; a copy
 */
public record ScramAuthentication(Principal principal, byte[] serverSignature) {

    public ScramAuthentication {
        Objects.requireNonNull(principal, "principal");
        serverSignature = serverSignature.clone();
    }

    /** A copy of the server signature. */
    @Override
    public byte[] serverSignature() {
        return serverSignature.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ScramAuthentication authentication && principal.equals(authentication.principal)
                && Arrays.equals(serverSignature, authentication.serverSignature);
    }

    @Override
    public int hashCode() {
        return 31 * principal.hashCode() + Arrays.hashCode(serverSignature);
    }

    @Override
    public String toString() {
        return "ScramAuthentication[" + principal + "]";
    }
}
