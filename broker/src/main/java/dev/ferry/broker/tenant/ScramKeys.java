package dev.ferry.broker.tenant;

import java.util.Arrays;

/**
 * What a server keeps of one password for one SCRAM mechanism (RFC 5802 section 3): {@code StoredKey}, which checks
 * a client's proof, and {@code ServerKey}, which signs the server's answer. Neither lets anyone authenticate as the
 * client. Immutable.
 */
final class ScramKeys {

    private final byte[] storedKey;
    private final byte[] serverKey;

    ScramKeys(byte[] storedKey, byte[] serverKey) {
        this.storedKey = storedKey.clone();
        this.serverKey = serverKey.clone();
    }

    byte[] storedKey() {
        return storedKey.clone();
    }

    byte[] serverKey() {
        return serverKey.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ScramKeys keys && Arrays.equals(storedKey, keys.storedKey)
                && Arrays.equals(serverKey, keys.serverKey);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(storedKey) + Arrays.hashCode(serverKey);
    }

    @Override
    public String toString() {
        return "ScramKeys[" + storedKey.length + "+" + serverKey.length + " bytes]";
    }
}
