package dev.ferry.broker.handler;

import static dev.ferry.broker.handler.DataPlaneApisFixture.context;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.broker.producer.ProducerIdManager;
import dev.ferry.broker.tenant.Role;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.InitProducerIdRequestData;
import dev.ferry.protocol.message.InitProducerIdResponseData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitProducerIdHandlerTest {

    @TempDir
    Path dir;

    @Test
    void shouldGiveEachIdempotentProducerANewIdWithEpochZero() {
        InitProducerIdHandler handler = new InitProducerIdHandler(ProducerIdManager.open(dir));

        InitProducerIdResponseData first = init(handler, 4, new InitProducerIdRequestData().setTransactionalId(null));
        InitProducerIdResponseData second = init(handler, 4, new InitProducerIdRequestData().setTransactionalId(null));

        assertEquals(Errors.NONE.code(), first.errorCode());
        assertEquals(0, first.producerEpoch());
        assertEquals(Errors.NONE.code(), second.errorCode());
        assertEquals(0, second.producerEpoch());
        assertTrue(first.producerId() >= 0);
        assertNotEquals(first.producerId(), second.producerId());
    }

    @Test
    void shouldGiveANewIdWhenAnIdempotentProducerNamesItsCurrentOne() {
        InitProducerIdHandler handler = new InitProducerIdHandler(ProducerIdManager.open(dir));
        InitProducerIdResponseData first = init(handler, 4, new InitProducerIdRequestData().setTransactionalId(null));

        InitProducerIdResponseData again = init(handler, 4, new InitProducerIdRequestData().setTransactionalId(null)
                .setProducerId(first.producerId()).setProducerEpoch((short) 5));

        assertEquals(Errors.NONE.code(), again.errorCode());
        assertNotEquals(first.producerId(), again.producerId());
        assertEquals(0, again.producerEpoch());
    }

    @Test
    void shouldRefuseTransactionalIds() {
        InitProducerIdHandler handler = new InitProducerIdHandler(ProducerIdManager.open(dir));

        InitProducerIdResponseData response = init(handler, 5,
                new InitProducerIdRequestData().setTransactionalId("payments").setTransactionTimeoutMs(60_000));

        assertEquals(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code(), response.errorCode());
        assertEquals(-1, response.producerId());
        assertEquals(-1, response.producerEpoch());
    }

    @Test
    void shouldRefuseAProducerIdWithoutAnEpochAndTheReverse() {
        InitProducerIdHandler handler = new InitProducerIdHandler(ProducerIdManager.open(dir));

        InitProducerIdResponseData idOnly = init(handler, 3, new InitProducerIdRequestData().setTransactionalId(null)
                .setProducerId(12).setProducerEpoch((short) -1));
        InitProducerIdResponseData epochOnly = init(handler, 3, new InitProducerIdRequestData()
                .setTransactionalId(null).setProducerId(-1).setProducerEpoch((short) 2));

        assertEquals(Errors.INVALID_REQUEST.code(), idOnly.errorCode());
        assertEquals(-1, idOnly.producerId());
        assertEquals(Errors.INVALID_REQUEST.code(), epochOnly.errorCode());
    }

    @Test
    void shouldNotRepeatIdsAfterARestart() {
        long before = init(new InitProducerIdHandler(ProducerIdManager.open(dir)), 4,
                new InitProducerIdRequestData().setTransactionalId(null)).producerId();

        long after = init(new InitProducerIdHandler(ProducerIdManager.open(dir)), 4,
                new InitProducerIdRequestData().setTransactionalId(null)).producerId();

        assertTrue(after > before, after + " after a restart must exceed " + before);
    }

    @Test
    void shouldRefuseAnIdempotentProducerIdToAConsumeOnlyKeyWithClusterAuthorizationFailed() {
        InitProducerIdHandler handler = new InitProducerIdHandler(ProducerIdManager.open(dir));
        InitProducerIdRequestData request = new InitProducerIdRequestData().setTransactionalId(null);

        InitProducerIdResponseData consumeOnly = handler.handle(
                context(ApiMessageType.INIT_PRODUCER_ID, 4, TopicsFixture.acme(Role.CONSUME)), request).join();
        InitProducerIdResponseData produce = handler.handle(
                context(ApiMessageType.INIT_PRODUCER_ID, 4, TopicsFixture.acme(Role.PRODUCE)), request).join();
        InitProducerIdResponseData otherTransactionalId = handler.handle(
                context(ApiMessageType.INIT_PRODUCER_ID, 4, TopicsFixture.acme(Role.ALL)),
                new InitProducerIdRequestData().setTransactionalId("globex.tx")).join();

        assertEquals(Errors.CLUSTER_AUTHORIZATION_FAILED.code(), consumeOnly.errorCode());
        assertEquals(-1, consumeOnly.producerId());
        assertEquals(-1, consumeOnly.producerEpoch());
        assertEquals(Errors.NONE.code(), produce.errorCode());
        assertTrue(produce.producerId() >= 0);
        assertEquals(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code(), otherTransactionalId.errorCode());
    }

    private static InitProducerIdResponseData init(InitProducerIdHandler handler, int version,
                                                   InitProducerIdRequestData request) {
        return handler.handle(context(ApiMessageType.INIT_PRODUCER_ID, version), request).join();
    }
}
