package dev.ferry.broker.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.ApiVersionsRequestData;
import dev.ferry.protocol.message.ApiVersionsResponseData;
import dev.ferry.protocol.message.ApiVersionsResponseData.ApiVersion;
import dev.ferry.protocol.message.ProduceResponseData;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiVersionsHandlerTest {

    private final ApiDispatcher dispatcher = new ApiDispatcher();
    private final ApiVersionsHandler handler = new ApiVersionsHandler(dispatcher);

    @BeforeEach
    void register() {
        dispatcher.register(ApiMessageType.API_VERSIONS, handler);
        dispatcher.register(ApiMessageType.PRODUCE, ApiMessageType.PRODUCE.lowestSupportedVersion(),
                ApiMessageType.PRODUCE.highestSupportedVersion(),
                (context, request) -> CompletableFuture.completedFuture(new ProduceResponseData()));
        dispatcher.register(ApiMessageType.METADATA, (short) 1, (short) 9,
                (context, request) -> CompletableFuture.completedFuture(null));
    }

    @Test
    void shouldListRegisteredApisInKeyOrderWithTheirRanges() {
        ApiVersionsResponseData response = handle(3, "apache-kafka-java", "4.3.1");

        assertEquals(Errors.NONE.code(), response.errorCode());
        List<ApiVersion> apis = response.apiKeys();
        assertEquals(List.of(ApiMessageType.PRODUCE.apiKey(), ApiMessageType.METADATA.apiKey(),
                ApiMessageType.API_VERSIONS.apiKey()), apis.stream().map(ApiVersion::apiKey_).toList());
        assertEquals(1, apis.get(1).minVersion());
        assertEquals(9, apis.get(1).maxVersion());
        assertEquals(ApiMessageType.API_VERSIONS.highestSupportedVersion(), apis.get(2).maxVersion());
        assertTrue(response.supportedFeatures().isEmpty());
        assertTrue(response.finalizedFeatures().isEmpty());
    }

    @Test
    void shouldAdvertiseProduceFromVersionZeroAsKafkaDoes() {
        ApiVersion produce = handle(3, "librdkafka", "2.3.0").apiKeys().get(0);

        assertEquals(0, produce.minVersion());
        assertEquals(ApiMessageType.PRODUCE.highestSupportedVersion(), produce.maxVersion());
    }

    @Test
    void shouldRefuseInvalidClientSoftwareFromVersion3() {
        ApiVersionsResponseData invalid = handle(3, "bad name!", "1.0");

        assertEquals(Errors.INVALID_REQUEST.code(), invalid.errorCode());
        assertTrue(invalid.apiKeys().isEmpty());
        assertEquals(Errors.NONE.code(), handle(2, "", "").errorCode(), "versions before 3 carry no software name");
    }

    @Test
    void shouldListOnlyApiVersionsInTheUnsupportedVersionAnswer() {
        ApiVersionsResponseData response = ApiVersionsHandler.unsupportedVersionResponse(
                dispatcher.registration(ApiMessageType.API_VERSIONS.apiKey()));

        assertEquals(Errors.UNSUPPORTED_VERSION.code(), response.errorCode());
        assertEquals(1, response.apiKeys().size());
        assertEquals(ApiMessageType.API_VERSIONS.apiKey(), response.apiKeys().get(0).apiKey_());
    }

    private ApiVersionsResponseData handle(int version, String softwareName, String softwareVersion) {
        ApiVersionsRequestData request = new ApiVersionsRequestData().setClientSoftwareName(softwareName)
                .setClientSoftwareVersion(softwareVersion);
        return handler.handle(TopicsFixture.context(ApiMessageType.API_VERSIONS, version), request).join();
    }
}
