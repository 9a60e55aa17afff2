package dev.ferry.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.config.FerryConfig;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FileDescriptorLimitTest {

    private static final int UNLIMITED = Integer.MAX_VALUE;

    @Test
    void shouldNeedOneDescriptorPerConnectionAndPerOpenSegmentPlusTheReserve() {
        FileDescriptorLimit check = new FileDescriptorLimit(20_000, 10_000, 8192);

        assertEquals(8192 + FileDescriptorLimit.FIXED_RESERVE, check.neededBesideConnections());
        assertEquals(10_000 + 8192 + FileDescriptorLimit.FIXED_RESERVE, check.needed());
    }

    @Test
    void shouldFailNamingUlimitTheLimitAndWhatIsNeededWhenMaxConnectionsDoesNotFit() {
        FileDescriptorLimit check = new FileDescriptorLimit(4096, 10_000, 8192);

        String failure = check.failure().orElseThrow();

        assertTrue(failure.startsWith("The open-file limit of the broker's process is 4096, but max.connections=10000 "
                + "needs 19216 file descriptors (10000 connections + 8192 open segments of log.max.open.segments + "
                + "1024 for the rest)."), failure);
        assertTrue(failure.contains("ulimit -n 19216"), failure);
        assertEquals(Optional.empty(), check.warning());
    }

    @Test
    void shouldStartWhenTheLimitHoldsExactlyWhatIsNeeded() {
        FileDescriptorLimit check = new FileDescriptorLimit(10_000 + 8192 + 1024, 10_000, 8192);

        assertEquals(Optional.empty(), check.failure());
        assertEquals(Optional.empty(), new FileDescriptorLimit(19_215, 10_000, 8192).warning());
        assertTrue(new FileDescriptorLimit(19_215, 10_000, 8192).failure().isPresent());
    }

    @Test
    void shouldOnlyWarnWithUnlimitedConnectionsWhenTheLimitIsLow() {
        FileDescriptorLimit low = new FileDescriptorLimit(20_000, UNLIMITED, 8192);

        assertEquals(Optional.empty(), low.failure());
        String warning = low.warning().orElseThrow();
        assertTrue(warning.contains("is 20000 (ulimit -n)"), warning);
        assertTrue(warning.contains("room for about 10784 client connections"), warning);
        assertEquals(Optional.empty(), new FileDescriptorLimit(FileDescriptorLimit.LOW_LIMIT, UNLIMITED, 8192)
                .warning());
    }

    @Test
    void shouldNotCountBelowZeroConnectionsWhenSegmentsAloneExceedTheLimit() {
        String warning = new FileDescriptorLimit(1024, UNLIMITED, 8192).warning().orElseThrow();

        assertTrue(warning.contains("room for about 0 client connections"), warning);
    }

    @Test
    void shouldNotOverflowWithTheLargestLimitedMaxConnections() {
        FileDescriptorLimit check = new FileDescriptorLimit(1_048_576, UNLIMITED - 1, UNLIMITED);

        assertEquals((long) UNLIMITED - 1 + UNLIMITED + FileDescriptorLimit.FIXED_RESERVE, check.needed());
        assertTrue(check.failure().isPresent());
    }

    @Test
    void shouldPassThisProcessWhoseLimitHoldsASmallMaxConnections() {
        // the build machine's limit is far above 10 connections, 1 segment and the reserve
        FileDescriptorLimit.check(FerryConfig.of(Map.of("max.connections", "10", "log.max.open.segments", "1")));
        assertTrue(FileDescriptorLimit.processLimit().orElseThrow() >= 10 + 1 + FileDescriptorLimit.FIXED_RESERVE);
    }
}
