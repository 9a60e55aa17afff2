package dev.ferry.protocol.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.ApiMessage;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ApiMessageTypeTest {

    @Test
    void shouldDefineTheSameApisAsKafka() {
        Set<String> ours = new TreeSet<>();
        for (ApiMessageType type : ApiMessageType.values()) {
            ours.add(type.name());
        }
        Set<String> kafka = new TreeSet<>();
        for (org.apache.kafka.common.message.ApiMessageType type
            : org.apache.kafka.common.message.ApiMessageType.values()) {
            kafka.add(type.name());
        }
        assertEquals(kafka, ours);
    }

    @Test
    void shouldMatchKafkaNamesVersionsAndListeners() {
        for (ApiMessageType type : ApiMessageType.values()) {
            org.apache.kafka.common.message.ApiMessageType kafka =
                org.apache.kafka.common.message.ApiMessageType.fromApiKey(type.apiKey());
            assertEquals(kafka.name(), type.name());
            assertEquals(kafka.name, type.apiName());
            assertEquals(kafka.lowestSupportedVersion(), type.lowestSupportedVersion(), type.name());
            assertEquals(kafka.highestSupportedVersion(true), type.highestSupportedVersion(), type.name());
            assertEquals(kafka.highestSupportedVersion(false), type.highestStableVersion(), type.name());
            assertEquals(kafka.latestVersionUnstable(), type.latestVersionUnstable(), type.name());
            Set<String> kafkaListeners = new TreeSet<>();
            kafka.listeners().forEach(listener -> kafkaListeners.add(listener.name().toLowerCase(Locale.ROOT)));
            assertEquals(kafkaListeners, new TreeSet<>(type.listeners()), type.name());
        }
    }

    @Test
    void shouldMatchKafkaHeaderVersionsAtEveryVersion() {
        for (ApiMessageType type : ApiMessageType.values()) {
            org.apache.kafka.common.message.ApiMessageType kafka =
                org.apache.kafka.common.message.ApiMessageType.fromApiKey(type.apiKey());
            for (short version = type.lowestSupportedVersion(); version <= type.highestSupportedVersion(); version++) {
                String where = type + " v" + version;
                assertEquals(kafka.requestHeaderVersion(version), type.requestHeaderVersion(version), where);
                assertEquals(kafka.responseHeaderVersion(version), type.responseHeaderVersion(version), where);
                assertEquals(type.requestHeaderVersion(version) == 2, type.isFlexible(version), where);
            }
        }
    }

    @Test
    void shouldAnswerApiVersionsWithHeaderVersionZeroEvenWhenFlexible() {
        assertTrue(ApiMessageType.API_VERSIONS.isFlexible((short) 3));
        assertEquals(2, ApiMessageType.API_VERSIONS.requestHeaderVersion((short) 3));
        assertEquals(0, ApiMessageType.API_VERSIONS.responseHeaderVersion((short) 3));
        assertEquals(1, ApiMessageType.METADATA.responseHeaderVersion((short) 9));
        assertEquals(0, ApiMessageType.METADATA.responseHeaderVersion((short) 8));
    }

    @Test
    void shouldFindEachApiByItsKeyAndNothingForUnknownKeys() {
        for (ApiMessageType type : ApiMessageType.values()) {
            assertSame(type, ApiMessageType.fromApiKey(type.apiKey()));
        }
        assertNull(ApiMessageType.fromApiKey((short) -1));
        assertNull(ApiMessageType.fromApiKey((short) 32000));
        assertNull(ApiMessageType.fromApiKey(Short.MIN_VALUE));
    }

    @Test
    void shouldCreateFreshMessagesOfTheApisClasses() {
        assertInstanceOf(ProduceRequestData.class, ApiMessageType.PRODUCE.newRequest());
        assertInstanceOf(FetchResponseData.class, ApiMessageType.FETCH.newResponse());
        for (ApiMessageType type : ApiMessageType.values()) {
            ApiMessage request = type.newRequest();
            ApiMessage response = type.newResponse();
            assertNotNull(request);
            assertEquals(type.apiKey(), request.apiKey());
            assertEquals(type.apiKey(), response.apiKey());
            assertEquals(request, type.newRequest(), "fresh requests hold the same defaults");
            assertNotSame(request, type.newRequest(), "each call creates a new message");
        }
    }
}
