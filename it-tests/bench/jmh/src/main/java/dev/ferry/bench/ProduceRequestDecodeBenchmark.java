package dev.ferry.bench;

import dev.ferry.protocol.ByteBufRecords;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.ProduceRequestData;
import dev.ferry.protocol.message.ProduceRequestData.PartitionProduceData;
import dev.ferry.protocol.message.ProduceRequestData.TopicProduceData;
import dev.ferry.protocol.message.RequestHeaderData;
import dev.ferry.protocol.record.RecordBatchValidator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding a Produce request as the broker's request decoder does once the frame decoder has cut the frame: the
 * request header, then the body, whose records stay slices of the frame. The request is what the benchmark's
 * producer sends at full speed: one topic (by id, as at the newest version), six partitions, each with one full
 * 64 KiB batch of 1 KiB records.
 *
 * <p>{@link #decode} is the codec alone; {@link #decodeAndValidate} adds the per-partition batch validation the
 * produce handler runs before appending (framing, header checks and the CRC-32C over every byte).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ProduceRequestDecodeBenchmark {

    /** The broker's default {@code message.max.bytes}. */
    private static final int MAX_BATCH_BYTES = 1048588;

    @Param({"6"})
    private int partitions;

    private short version;
    private short headerVersion;
    private ByteBuf frame;

    @Setup(Level.Trial)
    public void encodeRequest() {
        version = ApiMessageType.PRODUCE.highestSupportedVersion();
        headerVersion = ApiMessageType.PRODUCE.requestHeaderVersion(version);
        ByteBuf batch = Unpooled.wrappedBuffer(RecordBatches.batch(RecordBatches.RECORDS_PER_FULL_BATCH,
                RecordBatches.ONE_KIB));
        List<PartitionProduceData> partitionData = new ArrayList<>();
        for (int i = 0; i < partitions; i++) {
            partitionData.add(new PartitionProduceData().setIndex(i).setRecords(new ByteBufRecords(batch.duplicate())));
        }
        ProduceRequestData request = new ProduceRequestData()
                .setAcks((short) 1)
                .setTimeoutMs(30_000)
                .setTopicData(new ArrayList<>(List.of(new TopicProduceData()
                        .setName("bench-acks1")
                        .setTopicId(UUID.randomUUID())
                        .setPartitionData(partitionData))));
        RequestHeaderData header = new RequestHeaderData()
                .setRequestApiKey(ApiMessageType.PRODUCE.apiKey())
                .setRequestApiVersion(version)
                .setCorrelationId(7)
                .setClientId("producer-1");
        // Netty reads requests into pooled direct buffers
        frame = PooledByteBufAllocator.DEFAULT.directBuffer(header.size(headerVersion) + request.size(version));
        header.write(frame, headerVersion);
        request.write(frame, version);
    }

    @TearDown(Level.Trial)
    public void releaseFrame() {
        frame.release();
    }

    @Benchmark
    public ProduceRequestData decode() {
        return decodeFrame();
    }

    @Benchmark
    public void decodeAndValidate(Blackhole blackhole) {
        ProduceRequestData request = decodeFrame();
        for (TopicProduceData topic : request.topicData()) {
            for (PartitionProduceData partition : topic.partitionData()) {
                ByteBuf records = ((ByteBufRecords) partition.records()).buffer();
                blackhole.consume(RecordBatchValidator.validate(records, MAX_BATCH_BYTES));
            }
        }
    }

    private ProduceRequestData decodeFrame() {
        ByteBuf in = frame.readerIndex(0);
        RequestHeaderData header = new RequestHeaderData();
        header.read(in, headerVersion);
        ProduceRequestData request = new ProduceRequestData();
        request.read(in, version);
        return request;
    }
}
