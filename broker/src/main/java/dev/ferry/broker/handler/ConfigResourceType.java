package dev.ferry.broker.handler;

/** Kafka's config resource type codes ({@code ConfigResource.Type}), as DescribeConfigs and the alter APIs use them. */
enum ConfigResourceType {
    UNKNOWN(0), TOPIC(2), BROKER(4), BROKER_LOGGER(8), CLIENT_METRICS(16), GROUP(32);

    private final byte id;

    ConfigResourceType(int id) {
        this.id = (byte) id;
    }

    byte id() {
        return id;
    }

    static ConfigResourceType forId(byte id) {
        for (ConfigResourceType type : values()) {
            if (type.id == id) {
                return type;
            }
        }
        return UNKNOWN;
    }
}
