package dev.ferry.broker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.protocol.record.RecordBatchBuilder;
import dev.ferry.storage.FetchSlice;
import dev.ferry.storage.Log;
import dev.ferry.storage.LogConfig;
import dev.ferry.storage.LogManager;
import dev.ferry.storage.StorageConfig;
import dev.ferry.storage.TopicPartition;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordCountsTest {

    @TempDir
    Path dir;

    @Test
    void shouldCountTheRecordsOfEveryBatchInABufferWithoutMovingIt() {
        ByteBuf first = batch(3);
        int firstLength = first.readableBytes();
        ByteBuf batches = Unpooled.wrappedBuffer(first, batch(2), batch(1));
        try {
            assertEquals(6, RecordCounts.inBuffer(batches));
            assertEquals(0, batches.readerIndex());
            // from the second batch on
            batches.readerIndex(firstLength);
            assertEquals(3, RecordCounts.inBuffer(batches));
        } finally {
            batches.release();
        }
    }

    @Test
    void shouldLeaveOutABatchCutShort() {
        ByteBuf whole = batch(3);
        ByteBuf cut = batch(4);
        ByteBuf headerOnly = Unpooled.wrappedBuffer(whole.retainedDuplicate(), cut.retainedSlice(0, 61));
        ByteBuf partHeader = Unpooled.wrappedBuffer(whole.retainedDuplicate(), cut.retainedSlice(0, 20));
        try {
            assertEquals(3, RecordCounts.inBuffer(headerOnly));
            assertEquals(3, RecordCounts.inBuffer(partHeader));
            assertEquals(0, RecordCounts.inBuffer(Unpooled.EMPTY_BUFFER));
        } finally {
            headerOnly.release();
            partHeader.release();
            whole.release();
            cut.release();
        }
    }

    @Test
    void shouldCountTheRecordsOfASliceFromTheSegmentFile() throws IOException {
        try (LogManager logs = LogManager.open(new StorageConfig(List.of(dir), 64, 60_000, 1_000))) {
            Log log = logs.getOrCreateLog(new TopicPartition("orders", 0), LogConfig.defaults());
            for (int records : new int[] {3, 2, 4}) {
                ByteBuf batch = batch(records);
                try {
                    log.append(batch.nioBuffer(), System.currentTimeMillis());
                } finally {
                    batch.release();
                }
            }
            try (FetchSlice all = log.read(0, 1 << 20, true);
                 FetchSlice fromTheSecond = log.read(4, 1 << 20, true);
                 FetchSlice firstOnly = log.read(0, 1, true);
                 FetchSlice atTheEnd = log.read(9, 1 << 20, true)) {
                assertEquals(9, RecordCounts.inSlice(all));
                // a fetch inside a batch gets the whole batch, as in Kafka
                assertEquals(2 + 4, RecordCounts.inSlice(fromTheSecond));
                assertEquals(3, RecordCounts.inSlice(firstOnly));
                assertEquals(0, RecordCounts.inSlice(atTheEnd));
            }
        }
    }

    private static ByteBuf batch(int records) {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        for (int i = 0; i < records; i++) {
            builder.add(1_000L + i, null, ("value-" + i).getBytes(StandardCharsets.UTF_8));
        }
        return builder.build(UnpooledByteBufAllocator.DEFAULT);
    }
}
