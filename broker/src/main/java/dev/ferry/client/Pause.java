package dev.ferry.client;

import java.time.Duration;

/** Sleeps between retries, turning an interrupt into a {@link WakeupException} with the flag kept set. */
final class Pause {

    private Pause() {
    }

    static void sleep(Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }
}
