package dev.ferry.broker.fetch;

import dev.ferry.broker.network.FetchSliceRecords;
import dev.ferry.protocol.message.FetchResponseData;
import dev.ferry.storage.Log;
import dev.ferry.storage.TopicPartition;
import java.util.ArrayList;
import java.util.List;

/**
 * One read of every partition of a Fetch request: the response it makes, and what deciding whether to send it needs
 * (bytes read, errors met, the partitions whose appends could add more).
 *
 * <p><b>Ownership:</b> the result owns the {@link FetchSliceRecords} in its response. Sending the response hands them
 * to the network layer; a result that is not sent must be {@link #close() closed}, exactly once.
 *
 * <p><b>Thread-safety:</b> built by one thread; afterwards read-only, safe to pass to another thread through a
 * synchronising hand-off.
 */
public final class FetchResult implements AutoCloseable {

    private final FetchResponseData response;
    private final List<FetchSliceRecords> slices = new ArrayList<>();
    private final List<Log> readLogs = new ArrayList<>();
    private final List<Long> endOffsetsBeforeRead = new ArrayList<>();
    private int bytes;
    private boolean hasError;

    FetchResult(FetchResponseData response) {
        this.response = response;
    }

    public FetchResponseData response() {
        return response;
    }

    /** Record bytes in the response, over all partitions. */
    public int bytes() {
        return bytes;
    }

    /** True when some partition was answered with an error; Kafka then answers at once rather than waiting. */
    public boolean hasError() {
        return hasError;
    }

    /** The partitions read without error, in request order: appends to these may satisfy a waiting fetch. */
    public List<TopicPartition> readPartitions() {
        List<TopicPartition> partitions = new ArrayList<>(readLogs.size());
        for (Log log : readLogs) {
            partitions.add(log.topicPartition());
        }
        return partitions;
    }

    /**
     * True when a partition's log grew after this result read it, so reading again could find more: a fetch that
     * starts waiting checks this so as not to miss an append made while it was reading. A log deleted or closed since
     * the read also makes the result stale, since reading again answers that partition differently.
     */
    public boolean isStale() {
        for (int i = 0; i < readLogs.size(); i++) {
            try {
                if (readLogs.get(i).logEndOffset() != endOffsetsBeforeRead.get(i)) {
                    return true;
                }
            } catch (IllegalStateException e) {
                // the log was deleted or closed after the read
                return true;
            }
        }
        return false;
    }

    /** Closes every slice of the response; for a result that will not be sent. */
    @Override
    public void close() {
        for (FetchSliceRecords records : slices) {
            records.close();
        }
        slices.clear();
    }

    void addSlice(FetchSliceRecords records) {
        slices.add(records);
        bytes += records.sizeInBytes();
    }

    void addReadLog(Log log, long endOffsetBeforeRead) {
        readLogs.add(log);
        endOffsetsBeforeRead.add(endOffsetBeforeRead);
    }

    void markError() {
        hasError = true;
    }
}
