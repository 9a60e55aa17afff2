package dev.ferry.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.storage.AppendResult.Status;
import org.junit.jupiter.api.Test;

class ProducerAppendCheckTest {

    private static final long PID = 42;

    private final ProducerStateTable table = new ProducerStateTable();
    private final ProducerAppendCheck check = new ProducerAppendCheck();
    private long nextOffset;

    /** Checks and commits one batch of {@code count} records, as a successful append does. */
    private Status append(final int epoch, final int firstSequence, final int count) {
        check.reset();
        final long first = nextOffset;
        final Status status = check.check(table, PID, (short) epoch, firstSequence,
                BatchHeaderDescriptor.lastSequence(firstSequence, count - 1), first, first + count - 1, 1_000 + first);
        if (status == Status.OK) {
            check.commit(table, 1_000);
            nextOffset += count;
        }
        return status;
    }

    @Test
    void shouldRecogniseARetryOfEachOfTheLastFiveBatches() {
        for (int i = 0; i < 7; i++) {
            assertEquals(Status.OK, append(0, i * 3, 3));
        }
        for (int batch = 2; batch < 7; batch++) {
            assertEquals(Status.DUPLICATE, append(0, batch * 3, 3), "batch " + batch);
            assertEquals(batch * 3L, check.duplicateFirstOffset());
            assertEquals(batch * 3L + 2, check.duplicateLastOffset());
            assertEquals(1_000 + batch * 3L, check.duplicateTimestamp());
        }
        assertEquals(Status.OUT_OF_ORDER_SEQUENCE, append(0, 3, 3), "the sixth-newest batch is forgotten");
        assertEquals(21, nextOffset);
    }

    @Test
    void shouldRejectASequenceGap() {
        assertEquals(Status.OK, append(0, 0, 5));
        assertEquals(Status.OUT_OF_ORDER_SEQUENCE, append(0, 6, 1));
        assertEquals(Status.OUT_OF_ORDER_SEQUENCE, append(0, 4, 1));
        assertEquals(Status.OK, append(0, 5, 1));
    }

    @Test
    void shouldRejectAnOlderEpoch() {
        assertEquals(Status.OK, append(3, 0, 1));
        assertEquals(Status.INVALID_PRODUCER_EPOCH, append(2, 1, 1));
    }

    @Test
    void shouldRequireANewEpochToStartAtSequenceZero() {
        assertEquals(Status.OK, append(0, 0, 2));
        assertEquals(Status.OUT_OF_ORDER_SEQUENCE, append(1, 2, 1));
        assertEquals(Status.OK, append(1, 0, 1));
        assertEquals(Status.DUPLICATE, append(1, 0, 1), "a retry of the new epoch's first batch");
    }

    @Test
    void shouldAcceptAnySequenceFromAProducerItDoesNotKnow() {
        assertEquals(Status.OK, append(5, 1_234, 2));
        assertEquals(Status.OUT_OF_ORDER_SEQUENCE, append(5, 1_240, 1));
        assertEquals(Status.OK, append(5, 1_236, 1));
    }

    @Test
    void shouldWrapSequencesPastIntegerMax() {
        assertEquals(Status.OK, append(0, Integer.MAX_VALUE - 1, 2));
        assertEquals(Status.OK, append(0, 0, 1));
        assertEquals(1, BatchHeaderDescriptor.lastSequence(Integer.MAX_VALUE, 2));
    }

    @Test
    void shouldCheckEachBatchOfOneAppendAgainstTheOnesBefore() {
        assertEquals(Status.OK, append(0, 0, 1));
        check.reset();
        assertEquals(Status.OK, check.check(table, PID, (short) 0, 1, 2, 1, 2, 10));
        assertEquals(Status.OK, check.check(table, PID, (short) 0, 3, 3, 3, 3, 10));
        assertEquals(Status.OUT_OF_ORDER_SEQUENCE, check.check(table, PID, (short) 0, 3, 3, 4, 4, 10));
        check.reset();
        assertEquals(0, table.entry(PID).lastSequence(), "nothing is committed until the append is written");
    }

    @Test
    void shouldAcceptAnySequenceForEveryBatchOfAnUnknownProducersFirstAppend() {
        check.reset();
        assertEquals(Status.OK, check.check(table, PID, (short) 0, 10, 11, 0, 1, 10));
        assertEquals(Status.OK, check.check(table, PID, (short) 0, 50, 50, 2, 2, 10));
        check.commit(table, 1_000);
        assertEquals(50, table.entry(PID).lastSequence());
    }
}
