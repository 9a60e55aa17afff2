package dev.ferry.broker.quota;

import dev.ferry.config.FerryConfig;
import java.util.List;
import java.util.Map;

/**
 * The quotas one application is held to. Each is a positive number, or {@link #UNLIMITED} (Kafka's "no quota",
 * {@link Long#MAX_VALUE}). The broker's {@code tenant.*} settings give the defaults; an application's own settings,
 * set with {@code ferry app set}, override them one by one under the names {@link #SETTING_NAMES}.
 *
 * @param producerByteRate produce request bytes per second ({@code producer.byte.rate}), beyond which produce
 *                         responses are throttled
 * @param consumerByteRate fetched record bytes per second ({@code consumer.byte.rate}), beyond which fetches are
 *                         throttled
 * @param requestRate      requests per second ({@code request.rate}), beyond which any response is throttled
 * @param maxPartitions    partitions over all the application's topics ({@code max.partitions})
 * @param maxStoredBytes   bytes on disk over all the application's topics ({@code max.stored.bytes})
 * @param maxConnections   authenticated connections open at once ({@code max.connections})
 */
public record TenantLimits(long producerByteRate, long consumerByteRate, long requestRate, long maxPartitions,
                           long maxStoredBytes, long maxConnections) {

    /** The value of a limit that does not limit. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    /** No limit at all. */
    public static final TenantLimits NONE = new TenantLimits(UNLIMITED, UNLIMITED, UNLIMITED, UNLIMITED, UNLIMITED,
            UNLIMITED);

    public static final String PRODUCER_BYTE_RATE = "producer.byte.rate";
    public static final String CONSUMER_BYTE_RATE = "consumer.byte.rate";
    public static final String REQUEST_RATE = "request.rate";
    public static final String MAX_PARTITIONS = "max.partitions";
    public static final String MAX_STORED_BYTES = "max.stored.bytes";
    public static final String MAX_CONNECTIONS = "max.connections";

    /** The application settings that override a limit, in the order of the record's components. */
    public static final List<String> SETTING_NAMES = List.of(PRODUCER_BYTE_RATE, CONSUMER_BYTE_RATE, REQUEST_RATE,
            MAX_PARTITIONS, MAX_STORED_BYTES, MAX_CONNECTIONS);

    public TenantLimits {
        requirePositive(PRODUCER_BYTE_RATE, producerByteRate);
        requirePositive(CONSUMER_BYTE_RATE, consumerByteRate);
        requirePositive(REQUEST_RATE, requestRate);
        requirePositive(MAX_PARTITIONS, maxPartitions);
        requirePositive(MAX_STORED_BYTES, maxStoredBytes);
        requirePositive(MAX_CONNECTIONS, maxConnections);
    }

    /** The broker's defaults: its {@code tenant.*} settings, unlimited where unset. */
    public static TenantLimits defaults(FerryConfig config) {
        return new TenantLimits(config.tenantProducerByteRate(), config.tenantConsumerByteRate(),
                config.tenantRequestRate(), config.tenantMaxPartitions(), config.tenantMaxStoredBytes(),
                config.tenantMaxConnections());
    }

    /** True when {@code limit} is a limit, not {@link #UNLIMITED}. */
    public static boolean isLimited(long limit) {
        return limit != UNLIMITED;
    }

    /**
     * These limits with those {@code applicationSettings} names overridden. Settings of other names are left to the
     * features that own them.
     *
     * @throws IllegalArgumentException naming the setting, when a limit's value is not a positive whole number
     */
    public TenantLimits withOverrides(Map<String, String> applicationSettings) {
        if (applicationSettings.isEmpty()) {
            return this;
        }
        return new TenantLimits(
                override(applicationSettings, PRODUCER_BYTE_RATE, producerByteRate),
                override(applicationSettings, CONSUMER_BYTE_RATE, consumerByteRate),
                override(applicationSettings, REQUEST_RATE, requestRate),
                override(applicationSettings, MAX_PARTITIONS, maxPartitions),
                override(applicationSettings, MAX_STORED_BYTES, maxStoredBytes),
                override(applicationSettings, MAX_CONNECTIONS, maxConnections));
    }

    /**
     * Checks a setting as {@code ferry app set} is about to store it.
     *
     * @throws IllegalArgumentException with a one-line message, when {@code name} is not one of
     *                                  {@link #SETTING_NAMES} or {@code value} not a positive whole number
     */
    public static void validateSetting(String name, String value) {
        if (!SETTING_NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown setting '" + name + "': expected one of "
                    + String.join(", ", SETTING_NAMES));
        }
        parse(name, value);
    }

    private static long override(Map<String, String> settings, String name, long current) {
        String value = settings.get(name);
        return value == null ? current : parse(name, value);
    }

    private static long parse(String name, String value) {
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            parsed = 0;
        }
        if (parsed < 1) {
            throw new IllegalArgumentException("invalid value '" + value + "' for " + name
                    + ": must be a whole number of at least 1");
        }
        return parsed;
    }

    private static void requirePositive(String name, long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException(name + " must be at least 1: " + limit);
        }
    }
}
