package dev.ferry.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.ApiVersionsResponseData;
import dev.ferry.protocol.message.ApiVersionsResponseData.ApiVersion;
import org.junit.jupiter.api.Test;

class NegotiatedVersionsTest {

    private static NegotiatedVersions broker(ApiMessageType api, int min, int max) {
        ApiVersionsResponseData response = new ApiVersionsResponseData();
        response.apiKeys().add(new ApiVersion().setApiKey(api.apiKey()).setMinVersion((short) min)
                .setMaxVersion((short) max));
        // an API key the client does not know is ignored
        response.apiKeys().add(new ApiVersion().setApiKey((short) 999).setMinVersion((short) 0)
                .setMaxVersion((short) 3));
        return NegotiatedVersions.from(response);
    }

    @Test
    void shouldPickTheBrokersHighestWhenBelowTheClients() {
        assertEquals(7, broker(ApiMessageType.FETCH, 4, 7).version(ApiMessageType.FETCH));
    }

    @Test
    void shouldPickTheClientsHighestStableWhenTheBrokerKnowsNewer() {
        NegotiatedVersions versions = broker(ApiMessageType.INIT_PRODUCER_ID, 0, 99);

        assertEquals(ApiMessageType.INIT_PRODUCER_ID.highestStableVersion(),
                versions.version(ApiMessageType.INIT_PRODUCER_ID));
    }

    @Test
    void shouldReportNoVersionWhenTheRangesDoNotMeet() {
        NegotiatedVersions versions = broker(ApiMessageType.PRODUCE, 0, 2);

        assertFalse(versions.supports(ApiMessageType.PRODUCE));
        KafkaClientException e = assertThrows(KafkaClientException.class,
                () -> versions.version(ApiMessageType.PRODUCE));
        assertEquals("the broker supports Produce versions 0-2 only, and this client versions 3-"
                + ApiMessageType.PRODUCE.highestStableVersion(), e.getMessage());
    }

    @Test
    void shouldNotSupportAnApiTheBrokerDoesNotList() {
        NegotiatedVersions versions = broker(ApiMessageType.FETCH, 4, 7);

        assertTrue(versions.supports(ApiMessageType.FETCH));
        assertFalse(versions.supports(ApiMessageType.METADATA));
    }
}
