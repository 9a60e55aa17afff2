package dev.ferry.broker.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConnectionLimitsTest {

    private static final InetAddress FIRST = address(10, 0, 0, 1);
    private static final InetAddress SECOND = address(10, 0, 0, 2);

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final List<String> lines = new ArrayList<>();

    @Test
    void shouldAdmitUpToMaxConnectionsOverAllAddressesThenRefuse() {
        ConnectionLimits limits = limits(3, Integer.MAX_VALUE);

        assertTrue(limits.tryOpen(FIRST, "PLAINTEXT"));
        assertTrue(limits.tryOpen(SECOND, "PLAINTEXT"));
        assertTrue(limits.tryOpen(FIRST, "SSL"));
        assertFalse(limits.tryOpen(SECOND, "SSL"));

        assertEquals(3, limits.openConnections());
    }

    @Test
    void shouldAdmitAgainOnceAConnectionCloses() {
        ConnectionLimits limits = limits(1, Integer.MAX_VALUE);
        assertTrue(limits.tryOpen(FIRST, "PLAINTEXT"));
        assertFalse(limits.tryOpen(SECOND, "PLAINTEXT"));

        limits.closed(FIRST);

        assertTrue(limits.tryOpen(SECOND, "PLAINTEXT"));
        assertEquals(1, limits.openConnections());
    }

    @Test
    void shouldRefuseEveryConnectionWhenMaxConnectionsIsZero() {
        ConnectionLimits limits = limits(0, Integer.MAX_VALUE);

        assertFalse(limits.tryOpen(FIRST, "PLAINTEXT"));
        assertEquals(0, limits.openConnections());
    }

    @Test
    void shouldLimitEachAddressSeparatelyAndNotCountARefusalAgainstTheTotal() {
        ConnectionLimits limits = limits(10, 2);

        assertTrue(limits.tryOpen(FIRST, "PLAINTEXT"));
        assertTrue(limits.tryOpen(FIRST, "PLAINTEXT"));
        assertFalse(limits.tryOpen(FIRST, "PLAINTEXT"));
        assertTrue(limits.tryOpen(SECOND, "PLAINTEXT"));
        assertEquals(3, limits.openConnections());

        limits.closed(FIRST);
        assertTrue(limits.tryOpen(FIRST, "PLAINTEXT"));
        assertFalse(limits.tryOpen(FIRST, "PLAINTEXT"));
        assertEquals(3, limits.openConnections());
    }

    @Test
    void shouldKeepRunningTotalsOfRefusalsByTheLimitReached() {
        ConnectionLimits limits = limits(3, 2);
        assertTrue(limits.tryOpen(FIRST, "PLAINTEXT"));
        assertTrue(limits.tryOpen(FIRST, "PLAINTEXT"));
        assertFalse(limits.tryOpen(FIRST, "PLAINTEXT"));
        assertFalse(limits.tryOpen(FIRST, "PLAINTEXT"));
        assertTrue(limits.tryOpen(SECOND, "PLAINTEXT"));
        assertFalse(limits.tryOpen(SECOND, "PLAINTEXT"));
        assertFalse(limits.tryOpen(null, "PLAINTEXT"));

        assertEquals(2, limits.refusedAtMaxConnectionsPerIp());
        assertEquals(2, limits.refusedAtMaxConnections());
    }

    @Test
    void shouldCountAConnectionOfUnknownAddressAgainstTheTotalOnly() {
        ConnectionLimits limits = limits(2, 1);

        assertTrue(limits.tryOpen(null, "PLAINTEXT"));
        assertTrue(limits.tryOpen(FIRST, "PLAINTEXT"));
        assertFalse(limits.tryOpen(null, "PLAINTEXT"));
        limits.closed(null);

        assertEquals(1, limits.openConnections());
    }

    @Test
    void shouldLogTheFirstRefusalAtOnceAndThenOneLinePerIntervalWithTheCount() {
        ConnectionLimits limits = limits(0, Integer.MAX_VALUE);

        assertFalse(limits.tryOpen(FIRST, "PLAINTEXT"));
        for (int i = 0; i < 99; i++) {
            assertFalse(limits.tryOpen(SECOND, "PLAINTEXT"));
        }
        assertEquals(List.of("Closed a new connection from 10.0.0.1 on listener PLAINTEXT: the broker has reached "
                + "max.connections=0 (1 connection(s) refused since the last such line)"), lines);

        nanos.addAndGet(ConnectionLimits.LOG_INTERVAL_NANOS);
        assertFalse(limits.tryOpen(SECOND, "SSL"));

        assertEquals(2, lines.size());
        assertEquals("Closed a new connection from 10.0.0.2 on listener SSL: the broker has reached "
                + "max.connections=0 (100 connection(s) refused since the last such line)", lines.get(1));
    }

    @Test
    void shouldNameThePerAddressLimitWhenThatIsTheOneReached() {
        ConnectionLimits limits = limits(10, 1);
        assertTrue(limits.tryOpen(FIRST, "PLAINTEXT"));

        assertFalse(limits.tryOpen(FIRST, "PLAINTEXT"));

        assertEquals(List.of("Closed a new connection from 10.0.0.1 on listener PLAINTEXT: the address has reached "
                + "max.connections.per.ip=1 (1 connection(s) refused since the last such line)"), lines);
    }

    @Test
    void shouldRejectLimitsKafkaWouldNotAccept() {
        assertThrows(IllegalArgumentException.class, () -> new ConnectionLimits(-1, Integer.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> new ConnectionLimits(10, 0));
    }

    private ConnectionLimits limits(int maxConnections, int maxConnectionsPerIp) {
        return new ConnectionLimits(maxConnections, maxConnectionsPerIp, nanos::get, lines::add);
    }

    private static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
