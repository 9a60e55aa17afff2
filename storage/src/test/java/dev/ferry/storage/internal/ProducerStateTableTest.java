package dev.ferry.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ferry.storage.AppendResult.Status;
import org.junit.jupiter.api.Test;

class ProducerStateTableTest {

    private static final long EXPIRATION_MS = 1_000;

    private final ProducerStateTable table = new ProducerStateTable();
    private final ProducerAppendCheck check = new ProducerAppendCheck();

    private Status append(final long producerId, final int sequence, final long offset, final long nowMs) {
        check.reset();
        final Status status = check.check(table, producerId, (short) 0, sequence, sequence, offset, offset, 1);
        if (status == Status.OK) {
            check.commit(table, nowMs);
        }
        return status;
    }

    @Test
    void shouldStampEachCommittedAppendWithTheBrokerClock() {
        append(1, 0, 0, 5_000);
        append(1, 1, 1, 7_000);
        assertEquals(7_000, table.entry(1).lastAppendMs());
    }

    @Test
    void shouldForgetProducersThatHaveNotAppendedForTheExpirationTime() {
        append(1, 0, 0, 10_000);
        append(2, 0, 1, 10_500);
        append(3, 0, 2, 11_000);

        assertEquals(1, table.removeExpired(11_000, EXPIRATION_MS), "producer 1, idle for exactly the expiration");
        assertNull(table.entry(1));
        assertNotNull(table.entry(2));
        assertEquals(2, table.size());
        assertEquals(0, table.removeExpired(11_499, EXPIRATION_MS));
        assertEquals(2, table.removeExpired(12_000, EXPIRATION_MS));
        assertEquals(0, table.size());
    }

    @Test
    void shouldTakeAnExpiredProducersNextBatchAsFromAnUnknownProducer() {
        assertEquals(Status.OK, append(1, 0, 0, 10_000));
        assertEquals(Status.OK, append(1, 1, 1, 10_000));
        assertEquals(Status.DUPLICATE, append(1, 1, 2, 10_000));
        table.removeExpired(20_000, EXPIRATION_MS);
        assertEquals(Status.OK, append(1, 1, 2, 20_000), "a retry is no longer recognised once expired");
        assertEquals(Status.OUT_OF_ORDER_SEQUENCE, append(1, 3, 3, 20_000), "known again from that batch on");
        table.removeExpired(30_000, EXPIRATION_MS);
        assertEquals(Status.OK, append(1, 3, 3, 30_000), "any sequence starts a producer the log does not know");
    }

    @Test
    void shouldCountAReplayedProducerAsHavingAppendedAtTheLatestTimeGiven() {
        table.replay(4, (short) 0, 0, 0, 0, 0, 1, 30_000);
        table.replay(4, (short) 0, 1, 1, 1, 1, 1, 20_000);
        assertEquals(30_000, table.entry(4).lastAppendMs());
    }
}
