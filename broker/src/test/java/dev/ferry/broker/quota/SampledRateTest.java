package dev.ferry.broker.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SampledRateTest {

    private static final double EXACT = 1e-9;

    /** Kafka's quota sampling: 11 samples of a second. */
    private final SampledRate rate = new SampledRate(11, 1000);

    @Test
    void shouldMeasureNothingBeforeAnyRecord() {
        assertEquals(0.0, rate.ratePerSecond(5_000), EXACT);
        assertEquals(10_000, rate.windowMs(5_000));
        assertEquals(0, rate.throttleMs(1, 5_000, Long.MAX_VALUE));
    }

    @Test
    void shouldCountAYoungWindowAsTenWholeSamples() {
        rate.record(2_000, 0);

        // 2000 bytes over (11 - 1) samples of 1 s
        assertEquals(10_000, rate.windowMs(0));
        assertEquals(200.0, rate.ratePerSecond(0), EXACT);
        // 10 s elapsed but 10 whole samples already: nothing added; 2000 / 10.5 s
        assertEquals(10_500, rate.windowMs(10_500));
        assertEquals(2_000 / 10.5, rate.ratePerSecond(10_500), EXACT);
    }

    @Test
    void shouldThrottleByTheExcessOverTheLimitTimesTheWindow() {
        rate.record(2_000, 0);

        // (200 - 100) / 100 * 10000 ms
        assertEquals(10_000, rate.throttleMs(100, 0, Long.MAX_VALUE));
        // (200 - 150) / 150 * 10000 ms, rounded
        assertEquals(3_333, rate.throttleMs(150, 0, Long.MAX_VALUE));
        assertEquals(0, rate.throttleMs(200, 0, Long.MAX_VALUE), "at the limit is within it");
        assertEquals(1_000, rate.throttleMs(100, 0, 1_000), "bounded by the caller's maximum");
    }

    @Test
    void shouldAddToTheCurrentSampleUntilItIsCompleteThenStartANewOne() {
        rate.record(100, 0);
        rate.record(100, 999);
        rate.record(100, 1_000);

        // one sample [0, 1000) and one from 1000: oldest begins at 0, 1 whole sample + 9 added
        assertEquals(10_000, rate.windowMs(1_000));
        assertEquals(30.0, rate.ratePerSecond(1_000), EXACT);
    }

    @Test
    void shouldForgetASampleWithoutEventsForTheWholeWindow() {
        rate.record(1_000, 0);

        assertEquals(1_000 / 10.999, rate.ratePerSecond(10_999), EXACT);
        assertEquals(0.0, rate.ratePerSecond(11_000), EXACT);
        assertEquals(0, rate.throttleMs(1, 11_000, Long.MAX_VALUE));
    }

    @Test
    void shouldReuseTheOldestSampleOnceTheRingIsFull() {
        // one record of 10 at the start of every second, 0 s to 12 s: 13 samples through a ring of 12
        for (long second = 0; second <= 12; second++) {
            rate.record(10, second * 1_000);
        }

        // at 12 s: the sample of 0 s was reused for 12 s, the one of 1 s is obsolete; 2 s..12 s remain (110),
        // measured from 2 s
        assertEquals(10_000, rate.windowMs(12_000));
        assertEquals(11.0, rate.ratePerSecond(12_000), EXACT);
    }

    @Test
    void shouldNotCountIdleTimeBetweenSamples() {
        rate.record(500, 0);
        rate.record(500, 5_000);

        // samples begin at 0 and 5000; at 5000, 5 whole samples + 5 added
        assertEquals(10_000, rate.windowMs(5_000));
        assertEquals(100.0, rate.ratePerSecond(5_000), EXACT);
    }

    @Test
    void shouldMeasureOverASingleSampleWithoutPadding() {
        SampledRate single = new SampledRate(1, 1000);
        single.record(300, 0);
        single.record(300, 500);

        assertEquals(500, single.windowMs(500));
        assertEquals(1_200.0, single.ratePerSecond(500), EXACT);
        assertEquals(0.0, single.ratePerSecond(1_500), EXACT, "the sample expired a window after its last event");
        assertEquals(1, single.windowMs(1_500), "a window that just began counts as 1 ms, never 0");
    }

    @Test
    void shouldRefuseAnEmptySampling() {
        assertThrows(IllegalArgumentException.class, () -> new SampledRate(0, 1000));
        assertThrows(IllegalArgumentException.class, () -> new SampledRate(11, 0));
    }

    @Test
    void shouldLoseNoRecordUnderConcurrentUse() throws Exception {
        int threads = 4;
        int recordsEach = 10_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Future<?>[] done = new Future<?>[threads];
            for (int t = 0; t < threads; t++) {
                done[t] = pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < recordsEach; i++) {
                        rate.record(1, 0);
                    }
                    return null;
                });
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(threads * recordsEach / 10.0, rate.ratePerSecond(0), EXACT);
    }
}
