package dev.ferry.broker.handler;

import dev.ferry.broker.BrokerServices;
import dev.ferry.protocol.message.ApiMessageType;

/**
 * Registers the APIs that describe and change the cluster's topics and configuration, ApiVersions, and the SASL APIs
 * (which the network layer answers itself on a tenant broker).
 */
public final class ControlPlaneApis {

    private ControlPlaneApis() {
    }

    /**
     * @param dispatcher the broker's dispatcher; ApiVersions lists what it holds when a request arrives
     * @param services   the broker's shared services
     * @param broker     this node as Metadata and DescribeCluster describe it
     */
    public static void register(ApiDispatcher dispatcher, BrokerServices services, LocalBroker broker) {
        dispatcher.register(ApiMessageType.API_VERSIONS, new ApiVersionsHandler(dispatcher));
        // both versions are advertised, as librdkafka looks for version 0 to decide the broker speaks SASL at all
        dispatcher.register(ApiMessageType.SASL_HANDSHAKE, SaslOutOfPlace::handshake);
        dispatcher.register(ApiMessageType.SASL_AUTHENTICATE, SaslOutOfPlace::authenticate);
        dispatcher.register(ApiMessageType.METADATA, new MetadataHandler(services.topics(), broker));
        dispatcher.register(ApiMessageType.DESCRIBE_CLUSTER, new DescribeClusterHandler(broker));
        dispatcher.register(ApiMessageType.CREATE_TOPICS,
                new CreateTopicsHandler(services.topics(), services.config()));
        dispatcher.register(ApiMessageType.DELETE_TOPICS,
                new DeleteTopicsHandler(services.topics(), services.config()));
        dispatcher.register(ApiMessageType.CREATE_PARTITIONS,
                new CreatePartitionsHandler(services.topics(), services.config()));
        dispatcher.register(ApiMessageType.DESCRIBE_CONFIGS,
                new DescribeConfigsHandler(services.topics(), services.config()));
        dispatcher.register(ApiMessageType.INCREMENTAL_ALTER_CONFIGS,
                new IncrementalAlterConfigsHandler(services.topics(), services.config()));
    }
}
