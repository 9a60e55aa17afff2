package dev.ferry.broker.handler;

import static dev.ferry.protocol.record.RecordBatchDescriptor.ATTRIBUTES_OFFSET;
import static dev.ferry.protocol.record.RecordBatchDescriptor.COMPRESSION_CODEC_MASK;
import static dev.ferry.protocol.record.RecordBatchDescriptor.COMPRESSION_ZSTD;
import static dev.ferry.protocol.record.RecordBatchDescriptor.MAGIC_OFFSET;
import static dev.ferry.protocol.record.RecordBatchDescriptor.MAGIC_V2;
import static dev.ferry.protocol.record.RecordBatchDescriptor.RECORDS_OFFSET;
import static dev.ferry.protocol.record.RecordBatchDescriptor.TRANSACTIONAL_FLAG_MASK;

import dev.ferry.broker.fetch.FetchWaiters;
import dev.ferry.broker.tenant.Permission;
import dev.ferry.broker.topic.StorageQuota;
import dev.ferry.broker.topic.TopicManager;
import dev.ferry.broker.topic.TopicManager.TopicInfo;
import dev.ferry.protocol.ByteBufRecords;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.Records;
import dev.ferry.protocol.message.ProduceRequestData;
import dev.ferry.protocol.message.ProduceRequestData.PartitionProduceData;
import dev.ferry.protocol.message.ProduceRequestData.TopicProduceData;
import dev.ferry.protocol.message.ProduceResponseData;
import dev.ferry.protocol.message.ProduceResponseData.PartitionProduceResponse;
import dev.ferry.protocol.message.ProduceResponseData.TopicProduceResponse;
import dev.ferry.protocol.record.RecordBatchValidator;
import dev.ferry.protocol.record.ValidationResult;
import dev.ferry.storage.AppendResult;
import dev.ferry.storage.Log;
import dev.ferry.storage.LogDirectoryFullException;
import dev.ferry.storage.TopicPartition;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produce: validates each partition's record batch and appends it to the partition's log, then wakes the fetches
 * waiting on that partition.
 *
 * <p>As in Kafka's KafkaApis and ReplicaManager:
 * <ul>
 *   <li>A tenant may write only to its application's topics (TOPIC_AUTHORIZATION_FAILED otherwise, and nothing is
 *       auto-created), auto-creates only with a role that may create topics, and while its application is at its
 *       {@code max.stored.bytes} gets POLICY_VIOLATION with a message saying so for every partition.</li>
 *   <li>Transactions are not offered: a request with a transactional id or a transactional batch is refused as a
 *       whole with TRANSACTIONAL_ID_AUTHORIZATION_FAILED, the answer of a Kafka broker that does not let the client
 *       use transactions. The Java producer treats it as fatal and reports it at once, rather than retrying.</li>
 *   <li>Topics are named (up to version 12) or given by id (version 13+, where an unknown id is UNKNOWN_TOPIC_ID). A
 *       named topic that does not exist is auto-created when the broker allows it; otherwise it is
 *       UNKNOWN_TOPIC_OR_PARTITION, or INVALID_TOPIC_EXCEPTION for an illegal name. (Kafka itself leaves
 *       auto-creation to the Metadata request that every producer sends first.)</li>
 *   <li>Each partition must carry exactly one v2 batch, checked by {@link RecordBatchValidator} against the topic's
 *       {@code max.message.bytes}; zstd needs version 7+ (UNSUPPORTED_COMPRESSION_TYPE).</li>
 *   <li>acks other than 0, 1 and -1 answer INVALID_REQUIRED_ACKS for every partition that exists, and nothing is
 *       written; with one replica, acks -1 and 1 are the same.</li>
 *   <li>The log's verdict maps to the partition's error: a duplicate retry is acknowledged with its original
 *       offsets; sequence gaps, fenced epochs and unknown producers get their Kafka codes; a disk failure is
 *       KAFKA_STORAGE_ERROR (a full log directory too: the producer retries until space returns), and a log
 *       deleted while the request was in flight UNKNOWN_TOPIC_OR_PARTITION. Failed appends carry the log start
 *       offset, which the Java producer needs to handle UNKNOWN_PRODUCER_ID.</li>
 *   <li>With acks 0 no response is sent; if any partition failed, the future fails with
 *       {@link UnacknowledgedProduceFailedException} so the network layer closes the connection, which is how Kafka
 *       tells such a producer to refresh its metadata.</li>
 * </ul>
 *
 * <p><b>Hot path:</b> allocates per partition (the response entry, one NIO view of the records), never per record.
 * The records are slices of the request frame, which stays alive until the returned future completes; the log
 * rewrites the batch headers in place.
 *
 * <p><b>Thread-safety:</b> stateless; serves concurrent requests (appends to one log are serialised by the log).
 */
public final class ProduceHandler implements ApiHandler<ProduceRequestData> {

    private static final Logger LOG = LoggerFactory.getLogger(ProduceHandler.class);
    private static final short FIRST_VERSION_WITH_TOPIC_IDS = 13;
    private static final short FIRST_VERSION_WITH_ZSTD = 7;
    private static final long UNKNOWN_OFFSET = -1;
    private static final long NO_TIMESTAMP = -1;
    /** The most waiting fetches a produce handled on a network thread may wake (and so read) there. */
    static final int MAX_FETCHES_WOKEN_ON_NETWORK_THREAD = 8;

    private final TopicManager topics;
    private final FetchWaiters waiters;
    private final StorageQuota storageQuota;

    public ProduceHandler(TopicManager topics, FetchWaiters waiters) {
        this(topics, waiters, StorageQuota.NONE);
    }

    /** @param storageQuota what tenants may store; asked once per request, told of every append */
    public ProduceHandler(TopicManager topics, FetchWaiters waiters, StorageQuota storageQuota) {
        this.topics = topics;
        this.waiters = waiters;
        this.storageQuota = storageQuota;
    }

    @Override
    public CompletableFuture<ProduceResponseData> handle(RequestContext context, ProduceRequestData request) {
        short version = context.apiVersion();
        short acks = request.acks();
        ProduceResponseData response;
        if (request.transactionalId() != null || hasTransactionalBatch(request)) {
            response = failAll(request, Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
        } else {
            boolean acksValid = acks == 0 || acks == 1 || acks == -1;
            String application = context.isTenant() ? context.principal().applicationId() : null;
            Produce produce = new Produce(context, version, acksValid, System.currentTimeMillis(), application,
                    application == null ? null : storageQuota.refusal(application));
            response = new ProduceResponseData().setThrottleTimeMs(0);
            for (TopicProduceData topic : request.topicData()) {
                response.responses().add(produceTopic(topic, produce));
            }
        }
        if (acks != 0) {
            return CompletableFuture.completedFuture(response);
        }
        String failures = failureSummary(response);
        return failures == null ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(new UnacknowledgedProduceFailedException(failures));
    }

    /**
     * On the network thread when every append of the request goes to the page cache and nothing else: every
     * partition's log is open and loaded and fsyncs only in the background, and no topic is to be created (see
     * {@link TopicManager#appendsWithoutWaiting}). That saves the two thread hand-offs of the request-handler pool,
     * about a fifth of the broker's CPU time in the produce benchmark.
     *
     * <p>The fetches an append wakes are read on the same thread (their answers then go to their own network
     * threads), so a produce that would wake more than {@value #MAX_FETCHES_WOKEN_ON_NETWORK_THREAD} waiting fetches
     * goes to the pool, where reading them all does not hold up the other connections of the network thread.
     */
    @Override
    public boolean handlesOnNetworkThread(ProduceRequestData request) {
        int woken = 0;
        for (TopicProduceData topic : request.topicData()) {
            String name = topic.name();
            if (name == null || name.isEmpty()) {
                name = topics.topic(topic.topicId()).map(TopicInfo::name).orElse(null);
            }
            for (PartitionProduceData partition : topic.partitionData()) {
                if (!topics.appendsWithoutWaiting(name, partition.index())) {
                    return false;
                }
                woken += waiters.waitingOn(new TopicPartition(name, partition.index()));
                if (woken > MAX_FETCHES_WOKEN_ON_NETWORK_THREAD) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * What every partition of one request shares.
     *
     * @param application    the tenant's application, or null on an open broker
     * @param storageRefusal why the tenant may store nothing more, or null
     */
    private record Produce(RequestContext context, short version, boolean acksValid, long nowMs, String application,
                           String storageRefusal) {
    }

    private TopicProduceResponse produceTopic(TopicProduceData topic, Produce produce) {
        TopicProduceResponse topicResponse = new TopicProduceResponse().setName(topic.name())
                .setTopicId(topic.topicId());
        RequestContext context = produce.context();
        Errors topicError = Errors.NONE;
        String errorMessage = null;
        String name = topic.name();
        if (produce.version() >= FIRST_VERSION_WITH_TOPIC_IDS) {
            Optional<TopicInfo> info = topics.topic(topic.topicId());
            name = info.map(TopicInfo::name).orElse(null);
            topicError = info.isEmpty() ? Errors.UNKNOWN_TOPIC_ID : context.authorizeTopic(name, Permission.WRITE);
        } else {
            // checked first: a tenant learns nothing of, and creates nothing in, another application's topics
            topicError = context.authorizeTopic(name, Permission.WRITE);
            if (topicError != Errors.NONE || produce.storageRefusal() != null) {
                // refused before any look-up: nothing is created
            } else if (produce.acksValid()) {
                topicError = topics.lookupOrCreate(name, context.permits(Permission.CREATE_TOPICS)).error();
            } else if (topics.topic(name).isEmpty()) {
                // a request that will write nothing creates nothing
                topicError = Errors.UNKNOWN_TOPIC_OR_PARTITION;
            }
        }
        if (topicError == Errors.NONE && produce.storageRefusal() != null) {
            topicError = Errors.POLICY_VIOLATION;
            errorMessage = produce.storageRefusal();
        }
        for (PartitionProduceData partition : topic.partitionData()) {
            PartitionProduceResponse partitionResponse = topicError == Errors.NONE
                    ? producePartition(name, partition, produce)
                    : failed(partition.index(), topicError, errorMessage, UNKNOWN_OFFSET);
            topicResponse.partitionResponses().add(partitionResponse);
        }
        return topicResponse;
    }

    private PartitionProduceResponse producePartition(String topic, PartitionProduceData partition,
                                                      Produce produce) {
        short version = produce.version();
        int index = partition.index();
        Optional<Log> found;
        try {
            found = topics.log(topic, index);
        } catch (UncheckedIOException e) {
            LOG.error("Could not open the log of {}-{}", topic, index, e);
            return failed(index, Errors.KAFKA_STORAGE_ERROR, null, UNKNOWN_OFFSET);
        }
        if (found.isEmpty()) {
            return failed(index, Errors.UNKNOWN_TOPIC_OR_PARTITION, null, UNKNOWN_OFFSET);
        }
        if (!produce.acksValid()) {
            return failed(index, Errors.INVALID_REQUIRED_ACKS, null, UNKNOWN_OFFSET);
        }
        Log log = found.get();
        ByteBuf records = buffer(partition.records());
        ValidationResult validation = RecordBatchValidator.validate(records,
                topics.settings(topic).maxMessageBytes());
        if (!validation.isValid()) {
            return failed(index, validation.error(), validation.errorMessage(), UNKNOWN_OFFSET);
        }
        if (version < FIRST_VERSION_WITH_ZSTD && compressionId(records) == COMPRESSION_ZSTD) {
            return failed(index, Errors.UNSUPPORTED_COMPRESSION_TYPE,
                    "Produce requests before version 7 may not use zstd compression", UNKNOWN_OFFSET);
        }
        AppendResult result;
        try {
            result = log.append(nioView(records), produce.nowMs());
        } catch (LogDirectoryFullException e) {
            // an expected condition while the disk is full, answered every time the producer retries: no stack trace
            LOG.warn("Refused an append to {}: {}", log.topicPartition(), e.getMessage());
            return failed(index, Errors.KAFKA_STORAGE_ERROR, null, UNKNOWN_OFFSET);
        } catch (UncheckedIOException e) {
            LOG.error("Could not append to {}", log.topicPartition(), e);
            return failed(index, Errors.KAFKA_STORAGE_ERROR, null, UNKNOWN_OFFSET);
        } catch (IllegalStateException e) {
            // the log was deleted (or the storage closed) since it was looked up; retriable, so the producer
            // refreshes its metadata and learns whether the partition still exists
            LOG.debug("Log of {} closed during a produce", log.topicPartition(), e);
            return failed(index, Errors.UNKNOWN_TOPIC_OR_PARTITION, null, UNKNOWN_OFFSET);
        } catch (RuntimeException e) {
            // as Kafka: an unexpected failure fails the partition, not the request
            LOG.error("Unexpected failure appending to {}", log.topicPartition(), e);
            return failed(index, Errors.UNKNOWN_SERVER_ERROR, null, UNKNOWN_OFFSET);
        }
        long logStart = result.logStartOffset();
        return switch (result.status()) {
            case OK -> {
                waiters.wake(log.topicPartition());
                if (produce.application() != null) {
                    storageQuota.appended(produce.application(), records.readableBytes());
                }
                yield appended(index, result);
            }
            case DUPLICATE -> appended(index, result);
            case OUT_OF_ORDER_SEQUENCE -> failed(index, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, null, logStart);
            case INVALID_PRODUCER_EPOCH -> failed(index, Errors.INVALID_PRODUCER_EPOCH, null, logStart);
            case UNKNOWN_PRODUCER_ID -> failed(index, Errors.UNKNOWN_PRODUCER_ID, null, logStart);
        };
    }

    private static PartitionProduceResponse appended(int index, AppendResult result) {
        return new PartitionProduceResponse()
                .setIndex(index)
                .setErrorCode(Errors.NONE.code())
                .setBaseOffset(result.baseOffset())
                .setLogAppendTimeMs(result.logAppendTimeMs())
                .setLogStartOffset(result.logStartOffset());
    }

    private static PartitionProduceResponse failed(int index, Errors error, String message, long logStartOffset) {
        return new PartitionProduceResponse()
                .setIndex(index)
                .setErrorCode(error.code())
                .setErrorMessage(message)
                .setBaseOffset(UNKNOWN_OFFSET)
                .setLogAppendTimeMs(NO_TIMESTAMP)
                .setLogStartOffset(logStartOffset);
    }

    private static ProduceResponseData failAll(ProduceRequestData request, Errors error) {
        ProduceResponseData response = new ProduceResponseData().setThrottleTimeMs(0);
        for (TopicProduceData topic : request.topicData()) {
            TopicProduceResponse topicResponse = new TopicProduceResponse().setName(topic.name())
                    .setTopicId(topic.topicId());
            for (PartitionProduceData partition : topic.partitionData()) {
                topicResponse.partitionResponses().add(failed(partition.index(), error, null, UNKNOWN_OFFSET));
            }
            response.responses().add(topicResponse);
        }
        return response;
    }

    /** Kafka looks at each partition's first batch only; a client never mixes transactional and other batches. */
    private static boolean hasTransactionalBatch(ProduceRequestData request) {
        for (TopicProduceData topic : request.topicData()) {
            for (PartitionProduceData partition : topic.partitionData()) {
                ByteBuf records = buffer(partition.records());
                if (records.readableBytes() >= RECORDS_OFFSET
                        && records.getByte(records.readerIndex() + MAGIC_OFFSET) == MAGIC_V2
                        && (attributes(records) & TRANSACTIONAL_FLAG_MASK) != 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int compressionId(ByteBuf validBatch) {
        return attributes(validBatch) & COMPRESSION_CODEC_MASK;
    }

    private static short attributes(ByteBuf batch) {
        return batch.getShort(batch.readerIndex() + ATTRIBUTES_OFFSET);
    }

    /** The records' bytes; null records read as none, which validation refuses. */
    private static ByteBuf buffer(Records records) {
        if (records == null) {
            return Unpooled.EMPTY_BUFFER;
        }
        if (records instanceof ByteBufRecords bufRecords) {
            return bufRecords.buffer();
        }
        throw new IllegalArgumentException("Produce records of type " + records.getClass().getName());
    }

    /**
     * A view sharing the records' memory. A frame made of several buffers (rare: only when a request arrived in
     * pieces that Netty did not merge) is copied once, since the log appends one contiguous buffer.
     */
    private static ByteBuffer nioView(ByteBuf records) {
        if (records.nioBufferCount() == 1) {
            return records.nioBuffer();
        }
        ByteBuffer copy = ByteBuffer.allocate(records.readableBytes());
        records.getBytes(records.readerIndex(), copy);
        return copy.flip();
    }

    /** The failed partitions, for the log line of a connection closed after an unacknowledged produce; or null. */
    private static String failureSummary(ProduceResponseData response) {
        StringBuilder failures = null;
        for (TopicProduceResponse topic : response.responses()) {
            for (PartitionProduceResponse partition : topic.partitionResponses()) {
                if (partition.errorCode() != Errors.NONE.code()) {
                    failures = failures == null ? new StringBuilder() : failures.append(", ");
                    String topicName = topic.name() != null ? topic.name() : String.valueOf(topic.topicId());
                    failures.append(topicName).append('-').append(partition.index()).append(": ")
                            .append(Errors.forCode(partition.errorCode()));
                }
            }
        }
        return failures == null ? null : failures.toString();
    }

    /**
     * A produce with acks 0 failed on some partition. The producer expects no response, so the connection is closed
     * instead, as Kafka does; the message names the failed partitions and their errors.
     */
    public static final class UnacknowledgedProduceFailedException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public UnacknowledgedProduceFailedException(String failures) {
            // an expected client error: no stack trace to fill in or log
            super("Produce with acks=0 failed; closing the connection so the producer refreshes its metadata: "
                    + failures, null, false, false);
        }
    }
}
