package dev.ferry.bench;

import dev.ferry.storage.FetchSlice;
import dev.ferry.storage.Log;
import dev.ferry.storage.LogManager;
import dev.ferry.storage.TopicPartition;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Locating a fetch position ({@link Log#read}): finding the segment holding the offset, the offset index lookup, the
 * scan of batch headers from the indexed position to the batch holding the offset, and the slice's end within a
 * consumer's 1 MiB partition limit, then closing the slice. No record byte is copied: the broker sends the slice
 * with {@code sendfile}.
 *
 * <p>The log holds 64 MiB in 8 MiB segments, with the default 4 KiB index interval; reads start at random offsets.
 * {@code recordsPerBatch}: 63 gives 64 KiB batches, each one indexed; 1 gives 1 KiB batches, about four between
 * index entries, so a lookup also scans a few headers.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = Storages.AGRONA_ACCESS)
@State(Scope.Benchmark)
public class LogReadBenchmark {

    private static final long LOG_BYTES = 64L << 20;
    private static final long SEGMENT_BYTES = 8L << 20;
    private static final int MAX_PARTITION_BYTES = 1 << 20;
    private static final int FETCH_OFFSETS = 1 << 12;

    @Param({"1", "63"})
    private int recordsPerBatch;

    private Path dir;
    private LogManager logs;
    private Log log;
    private final long[] fetchOffsets = new long[FETCH_OFFSETS];
    private int next;

    @Setup(Level.Trial)
    public void fillLog() {
        dir = Storages.newDirectory("ferry-jmh-read");
        logs = Storages.open(dir);
        log = logs.getOrCreateLog(new TopicPartition("read", 0), Storages.withSegmentBytes(SEGMENT_BYTES));
        ByteBuffer batch = RecordBatches.directBatch(recordsPerBatch, RecordBatches.ONE_KIB);
        for (long written = 0; written < LOG_BYTES; written += batch.remaining()) {
            log.append(batch, System.currentTimeMillis());
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < fetchOffsets.length; i++) {
            fetchOffsets[i] = random.nextLong(log.logEndOffset());
        }
    }

    @TearDown(Level.Trial)
    public void closeStorage() {
        logs.close();
        Storages.delete(dir);
    }

    @Benchmark
    public int read() {
        long offset = fetchOffsets[next++ & (FETCH_OFFSETS - 1)];
        try (FetchSlice slice = log.read(offset, MAX_PARTITION_BYTES, true)) {
            return slice.length();
        }
    }
}
