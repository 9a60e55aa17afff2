package dev.ferry.bench;

import dev.ferry.storage.Log;
import dev.ferry.storage.LogConfig;
import dev.ferry.storage.LogManager;
import dev.ferry.storage.TopicPartition;
import java.nio.ByteBuffer;
import java.nio.file.Path;
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
 * Appending one record batch to a partition log ({@link Log#append}): header checks, offset assignment in place,
 * the write into the active segment, index entries every {@code index.interval.bytes}, and segment rolls, with the
 * broker's default topic settings (1 GiB segments, OS-managed flushing). The batch sits in direct memory, as a
 * produce request's records do.
 *
 * <p>{@code recordsPerBatch}: 63 is a full 64 KiB batch of 1 KiB records (the throughput workloads); 1 is a batch of
 * one 1 KiB record (the latency workload), where the fixed cost per append dominates. Each iteration appends to a
 * new log, deleted after it, so the disk holds at most one iteration's bytes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = Storages.AGRONA_ACCESS)
@State(Scope.Benchmark)
public class LogAppendBenchmark {

    @Param({"1", "63"})
    private int recordsPerBatch;

    private Path dir;
    private LogManager logs;
    private ByteBuffer batch;
    private Log log;
    private int iteration;

    @Setup(Level.Trial)
    public void openStorage() {
        dir = Storages.newDirectory("ferry-jmh-append");
        logs = Storages.open(dir);
        batch = RecordBatches.directBatch(recordsPerBatch, RecordBatches.ONE_KIB);
    }

    @Setup(Level.Iteration)
    public void createLog() {
        log = logs.getOrCreateLog(new TopicPartition("append", iteration++), LogConfig.defaults());
    }

    @TearDown(Level.Iteration)
    public void deleteLog() {
        logs.deleteLog(log.topicPartition());
    }

    @TearDown(Level.Trial)
    public void closeStorage() {
        logs.close();
        Storages.delete(dir);
    }

    @Benchmark
    public long append() {
        return log.append(batch, System.currentTimeMillis()).baseOffset();
    }
}
