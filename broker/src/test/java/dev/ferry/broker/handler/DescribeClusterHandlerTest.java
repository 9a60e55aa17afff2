package dev.ferry.broker.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.broker.network.AdvertisedListeners;
import dev.ferry.config.Listener;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.DescribeClusterRequestData;
import dev.ferry.protocol.message.DescribeClusterResponseData;
import dev.ferry.protocol.message.DescribeClusterResponseData.DescribeClusterBroker;
import java.util.List;
import org.junit.jupiter.api.Test;

class DescribeClusterHandlerTest {

    private static final int NODE_ID = 3;

    private final DescribeClusterHandler handler = new DescribeClusterHandler(broker());

    @Test
    void shouldDescribeThisNodeAsTheWholeCluster() {
        DescribeClusterResponseData response = handle(1, new DescribeClusterRequestData());

        assertEquals(Errors.NONE.code(), response.errorCode());
        assertEquals("describe-cluster-test", response.clusterId());
        assertEquals(NODE_ID, response.controllerId());
        assertEquals(1, response.endpointType());
        assertEquals(1, response.brokers().size());
        DescribeClusterBroker broker = response.brokers().get(0);
        assertEquals(NODE_ID, broker.brokerId());
        assertEquals("ferry.example", broker.host());
        assertEquals(9192, broker.port());
        assertEquals(Integer.MIN_VALUE, response.clusterAuthorizedOperations());
    }

    @Test
    void shouldReportClusterOperationsWhenAsked() {
        DescribeClusterResponseData response = handle(1,
                new DescribeClusterRequestData().setIncludeClusterAuthorizedOperations(true));

        // CREATE, ALTER, DESCRIBE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE
        assertEquals(0b1_1111_1010_0000, response.clusterAuthorizedOperations());
    }

    @Test
    void shouldRefuseControllerAndUnknownEndpointTypes() {
        DescribeClusterResponseData controller = handle(1, new DescribeClusterRequestData().setEndpointType((byte) 2));
        DescribeClusterResponseData unknown = handle(1, new DescribeClusterRequestData().setEndpointType((byte) 9));

        assertEquals(Errors.MISMATCHED_ENDPOINT_TYPE.code(), controller.errorCode());
        assertEquals(Errors.UNSUPPORTED_ENDPOINT_TYPE.code(), unknown.errorCode());
        assertTrue(controller.brokers().isEmpty());
    }

    private DescribeClusterResponseData handle(int version, DescribeClusterRequestData request) {
        return handler.handle(TopicsFixture.context(ApiMessageType.DESCRIBE_CLUSTER, version), request).join();
    }

    private static LocalBroker broker() {
        AdvertisedListeners listeners =
                new AdvertisedListeners(List.of(Listener.parse("PLAINTEXT://ferry.example:9192")));
        listeners.bound(TopicsFixture.LISTENER, "127.0.0.1", 40000);
        return new LocalBroker(NODE_ID, "describe-cluster-test", listeners);
    }
}
