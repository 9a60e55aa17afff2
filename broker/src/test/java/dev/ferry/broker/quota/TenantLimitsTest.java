package dev.ferry.broker.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.config.FerryConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenantLimitsTest {

    private static final long NO_LIMIT = TenantLimits.UNLIMITED;

    @Test
    void shouldHaveNoLimitByDefault() {
        assertEquals(TenantLimits.NONE, TenantLimits.defaults(FerryConfig.defaults()));
    }

    @Test
    void shouldTakeTheBrokerDefaultsFromTheTenantSettings() {
        FerryConfig config = FerryConfig.of(Map.of(
                "tenant.producer.byte.rate", "1000",
                "tenant.consumer.byte.rate", "2000",
                "tenant.request.rate", "30",
                "tenant.max.partitions", "40",
                "tenant.max.stored.bytes", "5000",
                "tenant.max.connections", "6"));

        assertEquals(new TenantLimits(1000, 2000, 30, 40, 5000, 6), TenantLimits.defaults(config));
    }

    @Test
    void shouldOverrideOnlyTheLimitsAnApplicationSets() {
        TenantLimits defaults = new TenantLimits(1000, NO_LIMIT, 30, NO_LIMIT, NO_LIMIT, 6);

        TenantLimits app = defaults.withOverrides(Map.of(
                "producer.byte.rate", "1048576",
                "max.partitions", "10",
                "some.other.feature", "kept for its owner"));

        assertEquals(new TenantLimits(1_048_576, NO_LIMIT, 30, 10, NO_LIMIT, 6), app);
    }

    @Test
    void shouldOverrideEveryLimitByItsApplicationSettingName() {
        TenantLimits app = TenantLimits.NONE.withOverrides(Map.of(
                "producer.byte.rate", "1", "consumer.byte.rate", "2", "request.rate", "3",
                "max.partitions", "4", "max.stored.bytes", "5", "max.connections", "6"));

        assertEquals(new TenantLimits(1, 2, 3, 4, 5, 6), app);
    }

    @Test
    void shouldReturnTheSameLimitsWithoutSettings() {
        TenantLimits defaults = new TenantLimits(1, 2, 3, 4, 5, 6);

        assertSame(defaults, defaults.withOverrides(Map.of()));
    }

    @Test
    void shouldRefuseAnInvalidOverrideNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TenantLimits.NONE.withOverrides(Map.of("max.connections", "many")));

        assertEquals("invalid value 'many' for max.connections: must be a whole number of at least 1",
                e.getMessage());
    }

    @Test
    void shouldAcceptEveryKnownSettingWithAPositiveValue() {
        for (String name : TenantLimits.SETTING_NAMES) {
            TenantLimits.validateSetting(name, "1");
            TenantLimits.validateSetting(name, Long.toString(Long.MAX_VALUE));
        }
    }

    @Test
    void shouldRefuseAnUnknownSettingListingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TenantLimits.validateSetting("producer_byte_rate", "10"));

        assertEquals("unknown setting 'producer_byte_rate': expected one of producer.byte.rate, consumer.byte.rate, "
                + "request.rate, max.partitions, max.stored.bytes, max.connections", e.getMessage());
    }

    @Test
    void shouldRefuseZeroNegativeFractionalAndOversizedValues() {
        for (String value : new String[] {"0", "-5", "1.5", "", " 10", "1e3", "9223372036854775808"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TenantLimits.validateSetting("max.partitions", value), value);
            assertEquals("invalid value '" + value + "' for max.partitions: must be a whole number of at least 1",
                    e.getMessage());
        }
    }

    @Test
    void shouldRefuseANonPositiveLimit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TenantLimits(1, 1, 1, 0, 1, 1));

        assertEquals("max.partitions must be at least 1: 0", e.getMessage());
    }
}
