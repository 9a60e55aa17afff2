package dev.ferry.broker.handler;

import dev.ferry.broker.BrokerServices;
import dev.ferry.broker.fetch.FetchReader;
import dev.ferry.broker.fetch.FetchWaiters;
import dev.ferry.broker.producer.ProducerIdManager;
import dev.ferry.broker.topic.TopicManager;
import dev.ferry.protocol.message.ApiMessageType;

/** Registers the APIs that write and read records: Produce, Fetch and the offset and producer-id APIs around them. */
public final class DataPlaneApis {

    /**
     * InitProducerId's last stable version: Kafka 4.3 marks version 6 (two-phase commit, KIP-939) unstable and does
     * not advertise it.
     */
    private static final short INIT_PRODUCER_ID_MAX_VERSION = 5;

    private DataPlaneApis() {
    }

    /**
     * Registers Produce, Fetch, ListOffsets, OffsetForLeaderEpoch and DeleteRecords at every version the codecs
     * support, and InitProducerId up to its last stable version. The handlers share one {@link FetchWaiters}, through
     * which appends wake the fetches waiting on their partitions.
     *
     * @throws java.io.UncheckedIOException when the producer id block file cannot be read
     * @throws IllegalStateException        when it is corrupt
     */
    public static void register(ApiRegistry registry, BrokerServices services) {
        TopicManager topics = services.topics();
        FetchWaiters waiters = new FetchWaiters(services.scheduler());
        registry.register(ApiMessageType.PRODUCE, new ProduceHandler(topics, waiters, services.storageQuota()));
        registry.register(ApiMessageType.FETCH,
                new FetchHandler(new FetchReader(topics), waiters, services.config().fetchMaxBytes()));
        registry.register(ApiMessageType.LIST_OFFSETS, new ListOffsetsHandler(topics));
        registry.register(ApiMessageType.OFFSET_FOR_LEADER_EPOCH, new OffsetForLeaderEpochHandler(topics));
        registry.register(ApiMessageType.DELETE_RECORDS, new DeleteRecordsHandler(topics, waiters));
        ApiMessageType initProducerId = ApiMessageType.INIT_PRODUCER_ID;
        registry.register(initProducerId, initProducerId.lowestSupportedVersion(),
                (short) Math.min(initProducerId.highestSupportedVersion(), INIT_PRODUCER_ID_MAX_VERSION),
                new InitProducerIdHandler(ProducerIdManager.open(services.metadataDir())));
    }
}
