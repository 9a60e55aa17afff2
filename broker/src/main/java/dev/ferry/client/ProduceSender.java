package dev.ferry.client;

import dev.ferry.client.ClusterMetadata.TopicInfo;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.ApiVersionsRequestData;
import dev.ferry.protocol.message.ProduceRequestData;
import dev.ferry.protocol.message.ProduceRequestData.PartitionProduceData;
import dev.ferry.protocol.message.ProduceRequestData.TopicProduceData;
import dev.ferry.protocol.message.ProduceResponseData;
import dev.ferry.protocol.message.ProduceResponseData.PartitionProduceResponse;
import dev.ferry.protocol.message.ProduceResponseData.TopicProduceResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The producer's background loop: takes ready batches from the accumulator, groups them by partition leader, sends
 * one Produce request per leader and settles each batch from the answer.
 *
 * <p>A batch that failed with a retriable error (or whose connection broke) goes back to its queue after the retry
 * backoff, with the metadata marked stale when the error says the leader moved, until the delivery timeout has
 * passed since the batch was created. Any other error fails the batch's records. With acks=0 no answer comes; on
 * close the sender then sends each broker it used an ApiVersions request and waits for the answer, which arrives
 * only after the broker has handled every earlier request on that connection.
 *
 * <p>Runs on one thread; see {@link RecordAccumulator} for how it shares the queues.
 */
final class ProduceSender implements Runnable {

    /** The last Produce version that names topics; later ones carry topic ids only. */
    private static final short LAST_VERSION_WITH_TOPIC_NAMES = 12;

    private final KafkaCluster cluster;
    private final ProducerSettings settings;
    private final RecordAccumulator accumulator;
    private final TopicMetadataCache metadata;
    private final Set<Integer> nodesUsed = new LinkedHashSet<>();

    ProduceSender(KafkaCluster cluster, ProducerSettings settings, RecordAccumulator accumulator,
                  TopicMetadataCache metadata) {
        this.cluster = cluster;
        this.settings = settings;
        this.accumulator = accumulator;
        this.metadata = metadata;
    }

    @Override
    public void run() {
        List<ProducerBatch> ready;
        while ((ready = accumulator.awaitReady()) != null) {
            try {
                sendAll(ready);
            } catch (RuntimeException e) {
                // a bug or an unexpected answer: the batches of this round fail rather than vanish
                for (ProducerBatch batch : ready) {
                    fail(batch, e instanceof KafkaClientException ? e
                            : new KafkaClientException("the producer failed: " + e, e));
                }
            }
        }
        if (settings.acks() == Acks.NONE) {
            awaitUnacknowledged();
        }
    }

    private void sendAll(List<ProducerBatch> ready) {
        try {
            metadata.refreshIfStale();
        } catch (ConnectionFailedException e) {
            for (ProducerBatch batch : ready) {
                retry(batch, e.getMessage());
            }
            return;
        }
        Map<Integer, List<ProducerBatch>> byLeader = new LinkedHashMap<>();
        for (ProducerBatch batch : ready) {
            TopicInfo topic = metadata.cached(batch.partition().topic());
            int leader = topic == null ? Node.NO_NODE : topic.leader(batch.partition().partition());
            if (leader == Node.NO_NODE) {
                metadata.markStale();
                retry(batch, "no leader for " + batch.partition());
            } else {
                byLeader.computeIfAbsent(leader, l -> new ArrayList<>()).add(batch);
            }
        }
        for (Map.Entry<Integer, List<ProducerBatch>> entry : byLeader.entrySet()) {
            sendTo(entry.getKey(), entry.getValue());
        }
    }

    private void sendTo(int nodeId, List<ProducerBatch> batches) {
        Map<String, List<ProducerBatch>> byTopic = new LinkedHashMap<>();
        boolean allIds = true;
        for (ProducerBatch batch : batches) {
            byTopic.computeIfAbsent(batch.partition().topic(), t -> new ArrayList<>()).add(batch);
            TopicInfo topic = metadata.cached(batch.partition().topic());
            allIds &= topic != null && topic.hasId();
        }
        List<TopicProduceData> topicData = new ArrayList<>();
        for (Map.Entry<String, List<ProducerBatch>> entry : byTopic.entrySet()) {
            TopicInfo topic = metadata.cached(entry.getKey());
            List<PartitionProduceData> partitions = new ArrayList<>();
            for (ProducerBatch batch : entry.getValue()) {
                partitions.add(new PartitionProduceData().setIndex(batch.partition().partition())
                        .setRecords(batch.build()));
            }
            topicData.add(new TopicProduceData().setName(entry.getKey()).setTopicId(topic.id())
                    .setPartitionData(partitions));
        }
        int timeoutMs = (int) cluster.settings().requestTimeout().toMillis();
        KafkaConnection.RequestBuilder request = version -> new ProduceRequestData().setAcks(settings.acks().code())
                .setTimeoutMs(timeoutMs).setTopicData(topicData);
        try {
            KafkaConnection connection = cluster.connection(nodeId);
            nodesUsed.add(nodeId);
            short version = connection.versions().version(ApiMessageType.PRODUCE);
            if (!allIds) {
                version = (short) Math.min(version, LAST_VERSION_WITH_TOPIC_NAMES);
            }
            if (settings.acks() == Acks.NONE) {
                connection.sendWithoutResponse(ApiMessageType.PRODUCE, version, request);
                for (ProducerBatch batch : batches) {
                    succeed(batch, -1);
                }
                return;
            }
            ProduceResponseData response = connection.send(ApiMessageType.PRODUCE, version,
                    connection.requestTimeout(), request);
            settle(batches, response);
        } catch (ConnectionFailedException | ClientTimeoutException e) {
            metadata.markStale();
            for (ProducerBatch batch : batches) {
                retry(batch, e.getMessage());
            }
        }
    }

    private void settle(List<ProducerBatch> batches, ProduceResponseData response) {
        Map<TopicPartition, PartitionProduceResponse> answers = new HashMap<>();
        for (TopicProduceResponse topic : response.responses()) {
            String name = topic.name();
            if (name == null || name.isEmpty()) {
                name = topicName(topic);
            }
            for (PartitionProduceResponse partition : topic.partitionResponses()) {
                answers.put(new TopicPartition(name, partition.index()), partition);
            }
        }
        for (ProducerBatch batch : batches) {
            PartitionProduceResponse answer = answers.get(batch.partition());
            if (answer == null) {
                fail(batch, new KafkaClientException("the broker did not answer for " + batch.partition()));
                continue;
            }
            Errors error = Errors.forCode(answer.errorCode());
            if (error == Errors.NONE) {
                succeed(batch, answer.baseOffset());
            } else if (error.retriable()) {
                if (error == Errors.NOT_LEADER_OR_FOLLOWER || error == Errors.UNKNOWN_TOPIC_OR_PARTITION
                        || error == Errors.LEADER_NOT_AVAILABLE || error == Errors.KAFKA_STORAGE_ERROR) {
                    metadata.markStale();
                }
                retry(batch, ErrorMessages.describe(error));
            } else {
                fail(batch, new KafkaErrorException(error, failure(batch.partition(), error, answer.errorMessage())));
            }
        }
    }

    private String topicName(TopicProduceResponse topic) {
        for (TopicInfo info : metadata.all().values()) {
            if (info.id().equals(topic.topicId())) {
                return info.name();
            }
        }
        return "";
    }

    private static String failure(TopicPartition partition, Errors error, String brokerMessage) {
        String reason = switch (error) {
            case TOPIC_AUTHORIZATION_FAILED, INVALID_TOPIC_EXCEPTION -> ErrorMessages.forTopic(error,
                    partition.topic());
            default -> "cannot produce to " + partition + ": " + ErrorMessages.describe(error);
        };
        return brokerMessage == null || brokerMessage.isEmpty() ? reason : reason + ": " + brokerMessage;
    }

    private void retry(ProducerBatch batch, String reason) {
        long now = System.nanoTime();
        long backoff = cluster.settings().retryBackoff().toNanos();
        if (now + backoff - batch.createdNanos() > settings.deliveryTimeout().toNanos()) {
            fail(batch, new ClientTimeoutException(batch.recordCount() + " record(s) for " + batch.partition()
                    + " could not be delivered within " + settings.deliveryTimeout().toMillis() + " ms: " + reason));
            return;
        }
        accumulator.requeue(batch, now + backoff);
    }

    // futures complete before the accumulator hears of it, so that a flush returns with every future done
    private void succeed(ProducerBatch batch, long baseOffset) {
        batch.succeed(baseOffset);
        accumulator.completed(batch);
    }

    private void fail(ProducerBatch batch, RuntimeException failure) {
        batch.fail(failure);
        accumulator.completed(batch);
    }

    private void awaitUnacknowledged() {
        for (int nodeId : nodesUsed) {
            try {
                KafkaConnection connection = cluster.connection(nodeId);
                short version = connection.versions().version(ApiMessageType.API_VERSIONS);
                connection.send(ApiMessageType.API_VERSIONS, version, connection.requestTimeout(),
                        v -> apiVersions(v));
            } catch (KafkaClientException e) {
                // the records were written to the socket; nothing more can be learned about them
            }
        }
    }

    private ApiVersionsRequestData apiVersions(short version) {
        ApiVersionsRequestData request = new ApiVersionsRequestData();
        if (version >= 3) {
            request.setClientSoftwareName(cluster.settings().softwareName())
                    .setClientSoftwareVersion(cluster.settings().softwareVersion());
        }
        return request;
    }
}
