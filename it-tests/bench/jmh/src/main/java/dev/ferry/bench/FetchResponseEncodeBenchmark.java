package dev.ferry.bench;

import dev.ferry.protocol.Records;
import dev.ferry.protocol.RecordsWriter;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.FetchResponseData;
import dev.ferry.protocol.message.FetchResponseData.FetchableTopicResponse;
import dev.ferry.protocol.message.FetchResponseData.PartitionData;
import dev.ferry.protocol.message.ResponseHeaderData;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding the part of a Fetch response that is not record bytes: the size prefix, the response header and the body
 * with its per-partition fields, into a pooled I/O buffer sized as the broker's response encoder sizes it. The
 * records stay on disk: as in the broker, the records writer only marks where a segment's bytes go (they are then
 * sent with {@code sendfile}), so what is measured is the work done per response, not per byte.
 *
 * <p>The response is what a consumer of the benchmark receives: one topic, six partitions, each with 1 MiB of
 * records.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class FetchResponseEncodeBenchmark {

    private static final int SIZE_PREFIX_BYTES = 4;
    /** The broker's response encoder allocates the exact size up to this, and grows larger responses. */
    private static final int MAX_INITIAL_BUFFER_BYTES = 64 * 1024;
    private static final int RECORD_BYTES_PER_PARTITION = 1 << 20;
    /** Marks where file-held records go, writing nothing, as the broker's zero-copy writer does. */
    private static final RecordsWriter SKIPPING_RECORDS_WRITER = (out, records) -> { };

    /** Records held in a segment file: only their size is known to the codec. */
    private record OnDiskRecords(int sizeInBytes) implements Records {
    }

    @Param({"6"})
    private int partitions;

    private final ByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
    private short version;
    private short headerVersion;
    private FetchResponseData response;

    @Setup(Level.Trial)
    public void buildResponse() {
        version = ApiMessageType.FETCH.highestSupportedVersion();
        headerVersion = ApiMessageType.FETCH.responseHeaderVersion(version);
        List<PartitionData> partitionData = new ArrayList<>();
        for (int i = 0; i < partitions; i++) {
            // the fields the broker's fetch reader sets for a read-uncommitted fetch
            partitionData.add(new PartitionData()
                    .setPartitionIndex(i)
                    .setErrorCode((short) 0)
                    .setHighWatermark(2_000_000L)
                    .setLastStableOffset(2_000_000L)
                    .setLogStartOffset(0)
                    .setAbortedTransactions(null)
                    .setPreferredReadReplica(-1)
                    .setRecords(new OnDiskRecords(RECORD_BYTES_PER_PARTITION)));
        }
        response = new FetchResponseData()
                .setThrottleTimeMs(0)
                .setErrorCode((short) 0)
                .setSessionId(0)
                .setResponses(new ArrayList<>(List.of(new FetchableTopicResponse()
                        .setTopic("bench-acks1")
                        .setTopicId(UUID.randomUUID())
                        .setPartitions(partitionData))));
    }

    @Benchmark
    public int encode() {
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(42);
        int frameBytes = header.size(headerVersion) + response.size(version);
        ByteBuf out = allocator.ioBuffer(Math.min(SIZE_PREFIX_BYTES + frameBytes, MAX_INITIAL_BUFFER_BYTES));
        try {
            out.writeInt(frameBytes);
            header.write(out, headerVersion);
            response.write(out, version, SKIPPING_RECORDS_WRITER);
            return out.writerIndex();
        } finally {
            out.release();
        }
    }
}
