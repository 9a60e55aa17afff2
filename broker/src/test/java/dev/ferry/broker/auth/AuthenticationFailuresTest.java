package dev.ferry.broker.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AuthenticationFailuresTest {

    private final AtomicLong clock = new AtomicLong(1_000_000);

    @Test
    void shouldAnswerTheFirstFailuresAtOnceThenDoubleTheDelayUpToTheCeiling() throws UnknownHostException {
        AuthenticationFailures failures = new AuthenticationFailures(clock::get);
        InetAddress address = InetAddress.getByName("192.0.2.1");

        long[] delays = new long[10];
        for (int i = 0; i < delays.length; i++) {
            delays[i] = failures.recordFailure(address);
        }

        assertEquals("[0, 0, 0, 250, 500, 1000, 2000, 4000, 5000, 5000]", Arrays.toString(delays));
    }

    @Test
    void shouldCountEachAddressApart() throws UnknownHostException {
        AuthenticationFailures failures = new AuthenticationFailures(clock::get);
        InetAddress guesser = InetAddress.getByName("192.0.2.1");
        InetAddress other = InetAddress.getByName("192.0.2.2");
        for (int i = 0; i < 5; i++) {
            failures.recordFailure(guesser);
        }

        assertEquals(0, failures.recordFailure(other));
        assertEquals(1_000, failures.recordFailure(guesser));
    }

    @Test
    void shouldStartOverAfterAQuietMinute() throws UnknownHostException {
        AuthenticationFailures failures = new AuthenticationFailures(clock::get);
        InetAddress address = InetAddress.getByName("192.0.2.1");
        for (int i = 0; i < 6; i++) {
            failures.recordFailure(address);
        }

        clock.addAndGet(AuthenticationFailures.FORGET_AFTER_MS);

        assertEquals(0, failures.recordFailure(address));
    }

    @Test
    void shouldRememberABoundedNumberOfAddresses() throws UnknownHostException {
        AuthenticationFailures failures = new AuthenticationFailures(clock::get, 3);
        for (int i = 1; i <= 5; i++) {
            failures.recordFailure(InetAddress.getByName("192.0.2." + i));
        }

        assertEquals(3, failures.tracked());
    }

    @Test
    void shouldNeverDelayAnUnknownAddress() {
        AuthenticationFailures failures = new AuthenticationFailures(clock::get);
        for (int i = 0; i < 10; i++) {
            assertEquals(0, failures.recordFailure(null));
        }
    }
}
