package dev.ferry.broker.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.ferry.broker.BrokerServices;
import dev.ferry.protocol.message.ApiMessageType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataPlaneApisTest {

    @TempDir
    Path dir;

    @Test
    void shouldRegisterEveryDataPlaneApiAtItsServedVersions() {
        try (DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir)) {
            ApiDispatcher dispatcher = new ApiDispatcher();
            BrokerServices services = new BrokerServices(fixture.config(), fixture.topics(), fixture.logManager(),
                    fixture.scheduler(), dir.resolve("metadata"));

            DataPlaneApis.register(dispatcher, services);


            for (ApiMessageType api : List.of(ApiMessageType.PRODUCE, ApiMessageType.FETCH,
                    ApiMessageType.LIST_OFFSETS, ApiMessageType.OFFSET_FOR_LEADER_EPOCH,
                    ApiMessageType.DELETE_RECORDS)) {
                ApiDispatcher.Registration registration = dispatcher.registration(api.apiKey());
                assertNotNull(registration, api.apiName());
                assertEquals(api.lowestSupportedVersion(), registration.minVersion(), api.apiName());
                assertEquals(api.highestSupportedVersion(), registration.maxVersion(), api.apiName());
            }
            ApiDispatcher.Registration initProducerId = dispatcher.registration(
                    ApiMessageType.INIT_PRODUCER_ID.apiKey());
            assertEquals(0, initProducerId.minVersion());
            assertEquals(5, initProducerId.maxVersion());
            assertInstanceOf(InitProducerIdHandler.class, initProducerId.handler());
            assertEquals(6, dispatcher.registrations().size());
        }
    }
}
