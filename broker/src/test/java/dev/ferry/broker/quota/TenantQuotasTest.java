package dev.ferry.broker.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.config.FerryConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TenantQuotasTest {

    private final AtomicLong nowMs = new AtomicLong(1_000_000);
    private final Map<String, Map<String, String>> settings = new ConcurrentHashMap<>();

    private TenantQuotas quotas(Map<String, String> brokerSettings) {
        return new TenantQuotas(FerryConfig.of(brokerSettings), settings::get, nowMs::get);
    }

    @Test
    void shouldNeverThrottleWithoutLimits() {
        TenantQuotas quotas = quotas(Map.of());

        for (int i = 0; i < 1_000; i++) {
            assertEquals(0, quotas.recordProduce("acme", 1 << 20));
            assertEquals(0, quotas.recordFetch("acme", 1 << 20));
            assertEquals(0, quotas.recordRequest("acme"));
            assertTrue(quotas.tryOpenConnection("acme"));
        }
        assertEquals(0, quotas.fetchThrottleMs("acme"));
        assertEquals(1_000, quotas.openConnections("acme"));
    }

    @Test
    void shouldThrottleProduceOnceTheByteRateIsExceeded() {
        TenantQuotas quotas = quotas(Map.of("tenant.producer.byte.rate", "100"));

        // 1000 bytes over the 10 s a young window counts as: 100 B/s, at the limit
        assertEquals(0, quotas.recordProduce("acme", 1_000));
        // 2000 bytes: 200 B/s, (200 - 100) / 100 * 10 s
        assertEquals(10_000, quotas.recordProduce("acme", 1_000));
    }

    @Test
    void shouldAnswerTheFetchThrottleWithoutRecording() {
        TenantQuotas quotas = quotas(Map.of("tenant.consumer.byte.rate", "100"));

        for (int i = 0; i < 100; i++) {
            assertEquals(0, quotas.fetchThrottleMs("acme"));
        }
        // 3000 bytes: 300 B/s, (300 - 100) / 100 * 10 s
        assertEquals(20_000, quotas.recordFetch("acme", 3_000));
        assertEquals(20_000, quotas.fetchThrottleMs("acme"));
        assertEquals(20_000, quotas.fetchThrottleMs("acme"), "asking again records nothing");

        nowMs.addAndGet(11_000);
        assertEquals(0, quotas.fetchThrottleMs("acme"), "the sample expired with the window");
    }

    @Test
    void shouldBoundTheRequestThrottleByOneSample() {
        TenantQuotas quotas = quotas(Map.of("tenant.request.rate", "2"));

        for (int i = 1; i <= 20; i++) {
            assertEquals(0, quotas.recordRequest("acme"), "request " + i);
        }
        // 21 requests over 10 s: 2.1/s, (2.1 - 2) / 2 * 10 s
        assertEquals(500, quotas.recordRequest("acme"));
        for (int i = 22; i < 40; i++) {
            quotas.recordRequest("acme");
        }
        // 40 requests: (4 - 2) / 2 * 10 s = 10 s, bounded by quota.window.size.seconds
        assertEquals(1_000, quotas.recordRequest("acme"));
    }

    @Test
    void shouldNeverThrottleOneApplicationForAnothersUsage() {
        TenantQuotas quotas = quotas(Map.of(
                "tenant.producer.byte.rate", "100",
                "tenant.consumer.byte.rate", "100",
                "tenant.request.rate", "1",
                "tenant.max.connections", "1"));

        assertTrue(quotas.recordProduce("acme", 1_000_000) > 0);
        assertTrue(quotas.recordFetch("acme", 1_000_000) > 0);
        for (int i = 0; i < 100; i++) {
            quotas.recordRequest("acme");
        }
        assertTrue(quotas.tryOpenConnection("acme"));
        assertFalse(quotas.tryOpenConnection("acme"));

        assertEquals(0, quotas.recordProduce("beta", 1_000));
        assertEquals(0, quotas.fetchThrottleMs("beta"));
        assertEquals(0, quotas.recordFetch("beta", 1_000));
        assertEquals(0, quotas.recordRequest("beta"));
        assertTrue(quotas.tryOpenConnection("beta"));
    }

    @Test
    void shouldApplyAnApplicationsOwnSettingsOverTheDefaults() {
        settings.put("acme", Map.of("producer.byte.rate", "1000", "max.partitions", "10"));
        TenantQuotas quotas = quotas(Map.of("tenant.producer.byte.rate", "100", "tenant.max.connections", "5"));

        assertEquals(new TenantLimits(1_000, TenantLimits.UNLIMITED, TenantLimits.UNLIMITED, 10,
                TenantLimits.UNLIMITED, 5), quotas.limits("acme"));
        assertEquals(0, quotas.recordProduce("acme", 2_000), "200 B/s is within acme's own 1000 B/s");
        assertEquals(10_000, quotas.recordProduce("beta", 2_000), "beta has the default 100 B/s");
    }

    @Test
    void shouldResolveLimitsOncePerSettingsMap() {
        Map<String, String> acme = new HashMap<>(Map.of("max.partitions", "10"));
        settings.put("acme", acme);
        TenantQuotas quotas = quotas(Map.of());
        TenantLimits first = quotas.limits("acme");

        assertSame(first, quotas.limits("acme"));
        // the registry never changes a map it handed out; this shows that an unchanged map is not read again
        acme.put("max.partitions", "20");
        assertEquals(10, quotas.limits("acme").maxPartitions());

        settings.put("acme", Map.of("max.partitions", "20"));
        assertEquals(20, quotas.limits("acme").maxPartitions(), "a reload's new map takes effect at once");
        settings.remove("acme");
        assertEquals(TenantLimits.NONE, quotas.limits("acme"), "no settings: the defaults");
    }

    @Test
    void shouldThrottleAtOnceWhenAReloadLowersTheRate() {
        TenantQuotas quotas = quotas(Map.of());
        assertEquals(0, quotas.recordProduce("acme", 2_000));

        settings.put("acme", Map.of("producer.byte.rate", "100"));

        // nothing was measured while unlimited: 2000 bytes from now on are 200 B/s
        assertEquals(10_000, quotas.recordProduce("acme", 2_000));
    }

    @Test
    void shouldFallBackToTheDefaultsOnAnInvalidSetting() {
        settings.put("acme", Map.of("max.connections", "lots", "max.partitions", "3"));
        TenantQuotas quotas = quotas(Map.of("tenant.max.connections", "2"));

        assertEquals(TenantLimits.NONE.withOverrides(Map.of("max.connections", "2")), quotas.limits("acme"));
    }

    @Test
    void shouldCountConnectionsUpToTheLimit() {
        TenantQuotas quotas = quotas(Map.of("tenant.max.connections", "2"));

        assertTrue(quotas.tryOpenConnection("acme"));
        assertTrue(quotas.tryOpenConnection("acme"));
        assertFalse(quotas.tryOpenConnection("acme"));
        assertEquals(2, quotas.openConnections("acme"), "a refused connection is not counted");

        quotas.connectionClosed("acme");
        assertEquals(1, quotas.openConnections("acme"));
        assertTrue(quotas.tryOpenConnection("acme"));
        assertFalse(quotas.tryOpenConnection("acme"));
    }

    @Test
    void shouldKeepCountingConnectionsWhileUnlimitedSoALaterLimitHolds() {
        TenantQuotas quotas = quotas(Map.of());
        assertTrue(quotas.tryOpenConnection("acme"));
        assertTrue(quotas.tryOpenConnection("acme"));

        settings.put("acme", Map.of("max.connections", "2"));

        assertFalse(quotas.tryOpenConnection("acme"));
        quotas.connectionClosed("acme");
        assertTrue(quotas.tryOpenConnection("acme"));
    }

    @Test
    void shouldForgetADeletedApplicationOnceItsLastConnectionCloses() {
        TenantQuotas quotas = quotas(Map.of("tenant.max.connections", "1", "tenant.producer.byte.rate", "1000"));
        assertTrue(quotas.recordProduce("acme", 20_000) > 0);
        assertTrue(quotas.tryOpenConnection("globex"));
        quotas.recordProduce("initech", 10);
        assertEquals(3, quotas.trackedApplications());

        quotas.forgetDeleted(app -> app.equals("initech"));

        assertEquals(2, quotas.trackedApplications(), "acme is forgotten; globex still has a connection open");
        assertEquals(0, quotas.recordProduce("acme", 10), "a forgotten application's rate starts afresh");
        quotas.connectionClosed("globex");
        quotas.forgetDeleted(app -> app.equals("initech"));
        assertEquals(1, quotas.trackedApplications());
    }

    @Test
    void shouldNeverCountBelowZero() {
        TenantQuotas quotas = quotas(Map.of("tenant.max.connections", "1"));

        quotas.connectionClosed("acme");
        quotas.connectionClosed("acme");

        assertEquals(0, quotas.openConnections("acme"));
        assertTrue(quotas.tryOpenConnection("acme"));
        assertFalse(quotas.tryOpenConnection("acme"));
    }
}
