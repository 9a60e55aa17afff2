package dev.ferry.broker.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.broker.network.FetchSliceRecords;
import dev.ferry.protocol.message.FetchResponseData;
import dev.ferry.storage.FetchSlice;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class DelayedFetchTest {

    @Test
    void shouldCompleteWhenAReadReachesMinBytesAndCloseTheKeptResult() {
        CountingSlice kept = new CountingSlice(10);
        CountingSlice enough = new CountingSlice(100);
        FetchResult first = result(kept);
        FetchResult second = result(enough);
        DelayedFetch fetch = new DelayedFetch(first, 50, reads(second));

        assertTrue(fetch.tryComplete());

        assertSame(second.response(), fetch.future().join());
        assertEquals(1, kept.closes.get());
        assertEquals(0, enough.closes.get());
    }

    @Test
    void shouldKeepTheFreshestReadWhileBelowMinBytesAndSendItAtExpiry() {
        CountingSlice first = new CountingSlice(10);
        CountingSlice second = new CountingSlice(20);
        CountingSlice third = new CountingSlice(30);
        FetchResult freshest = result(third);
        DelayedFetch fetch = new DelayedFetch(result(first), 50, reads(result(second), freshest));

        assertFalse(fetch.tryComplete());
        assertFalse(fetch.tryComplete());
        assertFalse(fetch.future().isDone());
        assertTrue(fetch.expire());

        assertSame(freshest.response(), fetch.future().join());
        assertEquals(1, first.closes.get());
        assertEquals(1, second.closes.get());
        assertEquals(0, third.closes.get());
    }

    @Test
    void shouldCompleteAtOnceWhenAReadMeetsAnError() {
        CountingSlice kept = new CountingSlice(0);
        FetchResult failed = result(new CountingSlice(0));
        failed.markError();
        DelayedFetch fetch = new DelayedFetch(result(kept), 50, reads(failed));

        assertTrue(fetch.tryComplete());

        assertSame(failed.response(), fetch.future().join());
        assertEquals(1, kept.closes.get());
    }

    @Test
    void shouldSendTheKeptResultAtExpiryWithoutReadingAndOnlyOnce() {
        CountingSlice kept = new CountingSlice(10);
        FetchResult first = result(kept);
        DelayedFetch fetch = new DelayedFetch(first, 50, () -> {
            throw new AssertionError("expiry must not read");
        });

        assertTrue(fetch.expire());
        assertFalse(fetch.expire());
        assertTrue(fetch.tryComplete(), "a completed fetch reports completion without reading");

        assertSame(first.response(), fetch.future().join());
        assertEquals(0, kept.closes.get());
    }

    @Test
    void shouldCloseAReadThatFinishesAfterTheFetchExpired() {
        CountingSlice kept = new CountingSlice(10);
        CountingSlice late = new CountingSlice(100);
        FetchResult first = result(kept);
        AtomicReference<DelayedFetch> self = new AtomicReference<>();
        DelayedFetch fetch = new DelayedFetch(first, 50, () -> {
            // the timer fires while this read is in progress
            assertTrue(self.get().expire());
            return result(late);
        });
        self.set(fetch);

        assertTrue(fetch.tryComplete());

        assertSame(first.response(), fetch.future().join());
        assertEquals(0, kept.closes.get());
        assertEquals(1, late.closes.get());
    }

    @Test
    void shouldCloseASmallReadThatFinishesAfterTheFetchExpired() {
        CountingSlice kept = new CountingSlice(10);
        CountingSlice late = new CountingSlice(20);
        FetchResult first = result(kept);
        AtomicReference<DelayedFetch> self = new AtomicReference<>();
        DelayedFetch fetch = new DelayedFetch(first, 50, () -> {
            assertTrue(self.get().expire());
            return result(late);
        });
        self.set(fetch);

        assertTrue(fetch.tryComplete());

        assertSame(first.response(), fetch.future().join());
        assertEquals(0, kept.closes.get());
        assertEquals(1, late.closes.get());
    }

    @Test
    void shouldFailAndCloseTheKeptSlicesWhenAReadThrows() {
        CountingSlice kept = new CountingSlice(10);
        DelayedFetch fetch = new DelayedFetch(result(kept), 50, () -> {
            throw new IllegalStateException("disk gone");
        });

        assertTrue(fetch.tryComplete());

        CompletionException failure = assertThrows(CompletionException.class, () -> fetch.future().join());
        assertEquals("disk gone", failure.getCause().getMessage());
        assertEquals(1, kept.closes.get());
    }

    @Test
    void shouldReadAgainForAWakeUpThatArrivesDuringARead() {
        AtomicInteger reads = new AtomicInteger();
        AtomicReference<DelayedFetch> self = new AtomicReference<>();
        DelayedFetch fetch = new DelayedFetch(result(new CountingSlice(0)), 50, () -> {
            if (reads.incrementAndGet() == 1) {
                // another producer appends and wakes the fetch while this thread is reading
                Thread waker = new Thread(() -> self.get().tryComplete());
                waker.start();
                joinUninterruptibly(waker);
            }
            return result(new CountingSlice(0));
        });
        self.set(fetch);

        assertFalse(fetch.tryComplete());

        assertEquals(2, reads.get(), "the wake-up during the first read causes a second read");
    }

    private static void joinUninterruptibly(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Supplier<FetchResult> reads(FetchResult... results) {
        Deque<FetchResult> queue = new ArrayDeque<>(List.of(results));
        return () -> {
            FetchResult next = queue.poll();
            if (next == null) {
                throw new AssertionError("more reads than expected");
            }
            return next;
        };
    }

    private static FetchResult result(CountingSlice slice) {
        FetchResult result = new FetchResult(new FetchResponseData());
        result.addSlice(new FetchSliceRecords(slice));
        return result;
    }

    /** A slice of {@code length} bytes that counts how often it is closed. */
    private static final class CountingSlice implements FetchSlice {

        private final int length;
        private final AtomicInteger closes = new AtomicInteger();

        CountingSlice(int length) {
            this.length = length;
        }

        @Override
        public FileChannel channel() {
            throw new UnsupportedOperationException("not read in these tests");
        }

        @Override
        public long position() {
            return 0;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }
}
