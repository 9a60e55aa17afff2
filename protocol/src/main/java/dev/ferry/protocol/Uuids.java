package dev.ferry.protocol;

import java.util.UUID;

/**
 * UUID constants of the protocol.
 */
public final class Uuids {
    /** The all-zero UUID Kafka uses as "no id"; the default of every uuid field. */
    public static final UUID ZERO = new UUID(0L, 0L);

    private Uuids() {
    }
}
