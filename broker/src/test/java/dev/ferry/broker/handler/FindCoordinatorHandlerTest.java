package dev.ferry.broker.handler;

import static dev.ferry.broker.handler.TopicsFixture.context;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ferry.broker.tenant.Role;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.FindCoordinatorRequestData;
import dev.ferry.protocol.message.FindCoordinatorResponseData;
import dev.ferry.protocol.message.FindCoordinatorResponseData.Coordinator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FindCoordinatorHandlerTest {

    private static final byte GROUP = 0;
    private static final byte TRANSACTION = 1;
    private static final byte SHARE = 2;

    @TempDir
    Path dir;

    @Test
    void shouldNameThisNodeAtTheAdvertisedAddressForAGroup() {
        try (TopicsFixture fixture = new TopicsFixture(dir, Map.of("node.id", "7"))) {
            FindCoordinatorResponseData response = find(fixture, 3,
                    new FindCoordinatorRequestData().setKey("billing").setKeyType(GROUP));

            assertEquals(Errors.NONE.code(), response.errorCode());
            assertEquals(7, response.nodeId());
            assertEquals("broker.example", response.host());
            assertEquals(19092, response.port());
            assertNull(response.errorMessage());
        }
    }

    @Test
    void shouldAnswerEachKeyOfABatch() {
        try (TopicsFixture fixture = new TopicsFixture(dir, Map.of())) {
            FindCoordinatorResponseData response = find(fixture, 6, new FindCoordinatorRequestData()
                    .setKeyType(GROUP).setCoordinatorKeys(new ArrayList<>(List.of("billing", "", "audit"))));

            List<Coordinator> coordinators = response.coordinators();
            assertEquals(3, coordinators.size());
            assertFound(coordinators.get(0), "billing", fixture.config.nodeId());
            assertEquals("", coordinators.get(1).key());
            assertEquals(Errors.INVALID_REQUEST.code(), coordinators.get(1).errorCode());
            assertEquals(-1, coordinators.get(1).nodeId());
            assertEquals(-1, coordinators.get(1).port());
            assertFound(coordinators.get(2), "audit", fixture.config.nodeId());
        }
    }

    @Test
    void shouldRefuseTransactionalIdsAsNotAuthorized() {
        try (TopicsFixture fixture = new TopicsFixture(dir, Map.of())) {
            FindCoordinatorResponseData single = find(fixture, 2,
                    new FindCoordinatorRequestData().setKey("tx-1").setKeyType(TRANSACTION));
            FindCoordinatorResponseData batched = find(fixture, 4, new FindCoordinatorRequestData()
                    .setKeyType(TRANSACTION).setCoordinatorKeys(new ArrayList<>(List.of("tx-1"))));

            assertEquals(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code(), single.errorCode());
            assertEquals(-1, single.nodeId());
            assertEquals("", single.host());
            assertEquals(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code(),
                    batched.coordinators().get(0).errorCode());
        }
    }

    @Test
    void shouldRefuseShareAndUnknownKeyTypes() {
        try (TopicsFixture fixture = new TopicsFixture(dir, Map.of())) {
            FindCoordinatorResponseData share = find(fixture, 6, new FindCoordinatorRequestData()
                    .setKeyType(SHARE).setCoordinatorKeys(new ArrayList<>(List.of("group:topic:0"))));
            FindCoordinatorResponseData unknown = find(fixture, 3,
                    new FindCoordinatorRequestData().setKey("billing").setKeyType((byte) 9));

            assertEquals(Errors.INVALID_REQUEST.code(), share.coordinators().get(0).errorCode());
            assertEquals(Errors.INVALID_REQUEST.code(), unknown.errorCode());
        }
    }

    @Test
    void shouldEncodeTheResponseAtEveryVersion() {
        try (TopicsFixture fixture = new TopicsFixture(dir, Map.of())) {
            ApiMessageType api = ApiMessageType.FIND_COORDINATOR;
            for (short version = api.lowestSupportedVersion(); version <= api.highestSupportedVersion(); version++) {
                FindCoordinatorRequestData request = version >= 4
                        ? new FindCoordinatorRequestData().setCoordinatorKeys(new ArrayList<>(List.of("billing")))
                        : new FindCoordinatorRequestData().setKey("billing");
                FindCoordinatorResponseData response = find(fixture, version, request);
                ByteBuf out = Unpooled.buffer();
                try {
                    response.write(out, version);
                    FindCoordinatorResponseData decoded = new FindCoordinatorResponseData(out, version);
                    int port = version >= 4 ? decoded.coordinators().get(0).port() : decoded.port();
                    assertEquals(19092, port, "version " + version);
                } finally {
                    out.release();
                }
            }
        }
    }

    @Test
    void shouldRefuseATenantTheCoordinatorOfAnotherApplicationsGroupsAndTransactionalIds() {
        try (TopicsFixture fixture = new TopicsFixture(dir, Map.of())) {
            FindCoordinatorResponseData groups = new FindCoordinatorHandler(fixture.broker)
                    .handle(context(ApiMessageType.FIND_COORDINATOR, 4, TopicsFixture.acme(Role.CONSUME)),
                            new FindCoordinatorRequestData().setKeyType((byte) 0)
                                    .setCoordinatorKeys(new ArrayList<>(List.of("acme.billing", "globex.billing"))))
                    .join();
            FindCoordinatorResponseData single = new FindCoordinatorHandler(fixture.broker)
                    .handle(context(ApiMessageType.FIND_COORDINATOR, 3, TopicsFixture.acme(Role.ALL)),
                            new FindCoordinatorRequestData().setKeyType((byte) 0).setKey("globex.billing")).join();
            FindCoordinatorResponseData transaction = new FindCoordinatorHandler(fixture.broker)
                    .handle(context(ApiMessageType.FIND_COORDINATOR, 4, TopicsFixture.acme(Role.ALL)),
                            new FindCoordinatorRequestData().setKeyType((byte) 1)
                                    .setCoordinatorKeys(new ArrayList<>(List.of("globex.tx")))).join();

            assertFound(groups.coordinators().get(0), "acme.billing", fixture.config.nodeId());
            Coordinator refused = groups.coordinators().get(1);
            assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), refused.errorCode());
            assertEquals(-1, refused.nodeId());
            assertEquals("", refused.host());
            assertEquals(-1, refused.port());
            assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), single.errorCode());
            assertEquals(-1, single.nodeId());
            assertEquals(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code(),
                    transaction.coordinators().get(0).errorCode());
        }
    }

    private static void assertFound(Coordinator coordinator, String key, int nodeId) {
        assertEquals(key, coordinator.key());
        assertEquals(Errors.NONE.code(), coordinator.errorCode());
        assertEquals(nodeId, coordinator.nodeId());
        assertEquals("broker.example", coordinator.host());
        assertEquals(19092, coordinator.port());
    }

    private static FindCoordinatorResponseData find(TopicsFixture fixture, int version,
                                                    FindCoordinatorRequestData request) {
        return new FindCoordinatorHandler(fixture.broker)
                .handle(context(ApiMessageType.FIND_COORDINATOR, version), request).join();
    }
}
