package dev.ferry.broker.tenant;

import java.nio.file.Path;

/**
 * A separate process adding keys to a registry, as concurrent {@code ferry key create} commands would: arguments are
 * the metadata directory, the application, a key name prefix and a count.
 */
public final class TenantStoreWriter {

    private TenantStoreWriter() {
    }

    public static void main(String[] args) {
        TenantStore store = TenantStore.open(Path.of(args[0]));
        int count = Integer.parseInt(args[3]);
        for (int i = 0; i < count; i++) {
            store.createKey(args[1], args[2] + i, Role.ALL);
        }
    }
}
